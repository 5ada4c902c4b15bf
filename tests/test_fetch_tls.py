"""HTTPS through the pinned transport: the certificate is checked for the URL's host."""

from __future__ import annotations

import datetime as dt
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from clausewatch.errors import FetchError
from tests.test_fetch_support import LocalServer, Reply, fetch_once, make_settings


def write_self_signed(folder: Path) -> tuple[Path, Path]:
    """Write a certificate for the name localhost only, and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    cert_path = folder / "localhost.pem"
    key_path = folder / "localhost.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LocalServer]:
    cert_path, key_path = write_self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    # httpx builds its client TLS context from SSL_CERT_FILE when it is set.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_path))
    local = LocalServer(tls=context).start()
    local.add(
        "/terms", Reply(headers={"Content-Type": "text/html"}, body=b"<p>tls</p>")
    )
    yield local
    local.stop()


def test_https_verifies_url_host(tls_server: LocalServer, tmp_path: Path) -> None:
    url = f"https://localhost:{tls_server.port}/terms"
    settings = make_settings(tmp_path, allowed_private_hosts=["localhost"])

    result = fetch_once(settings, url)

    assert result.body == b"<p>tls</p>"
    assert result.final_url == url


def test_https_rejects_wrong_host(tls_server: LocalServer, tmp_path: Path) -> None:
    url = f"https://127.0.0.1:{tls_server.port}/terms"
    settings = make_settings(tmp_path)

    with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED|certificate"):
        fetch_once(settings, url)

    assert tls_server.requests == []
