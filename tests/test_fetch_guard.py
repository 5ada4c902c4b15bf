"""The SSRF guard: schemes, credentials, forbidden addresses and redirect targets.

Requests to forbidden addresses go through ``LoopbackOnlyTransport`` or an
``httpx.MockTransport`` that records them, so even a broken guard sends nothing past
127.0.0.1; the tests assert that nothing was recorded.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from clausewatch.errors import BlockedURLError, ConfigurationError
from clausewatch.fetch import check_url_allowed
from clausewatch.fetch.guard import AllowList, describe_forbidden
from clausewatch.fetch.transport import GuardedNetworkBackend
from tests.test_fetch_support import (
    LocalServer,
    LoopbackOnlyTransport,
    Reply,
    fetch_once,
    make_settings,
)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    yield local
    local.stop()


class RecordingTransport(httpx.MockTransport):
    """A mock transport that records each request it is given."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        super().__init__(self._answer)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(str(request.url))
        return httpx.Response(200, text="should never be reached")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://127.0.0.1/terms.txt",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,<p>hi</p>",
        "gopher://127.0.0.1:70/",
        "//127.0.0.1/terms",
    ],
)
def test_guard_rejects_scheme(tmp_path: Path, url: str) -> None:
    transport = RecordingTransport()

    with pytest.raises(BlockedURLError, match="only http and https"):
        fetch_once(make_settings(tmp_path), url, transport=transport)

    assert transport.seen == []


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://10.0.0.1/", "10.0.0.1"),
        ("http://169.254.169.254/latest/meta-data", "169.254.169.254"),
        ("http://[::1]/", "::1"),
        ("http://localhost/", "127.0.0.1"),
        ("http://127.0.0.1/", "127.0.0.1"),
        ("http://0.0.0.0/", "0.0.0.0"),
        ("http://192.168.1.1/", "192.168.1.1"),
        ("http://[fd00:ec2::254]/", "fd00:ec2::254"),
        ("http://100.100.100.200/latest/meta-data", "100.100.100.200"),
        ("http://[::ffff:10.0.0.1]/", "10.0.0.1"),
        ("http://224.0.0.1/", "224.0.0.1"),
    ],
)
def test_guard_rejects_private_before_connecting(
    tmp_path: Path, url: str, address: str
) -> None:
    transport = RecordingTransport()
    settings = make_settings(tmp_path, allowed_private_hosts=[])

    with pytest.raises(BlockedURLError) as caught:
        fetch_once(settings, url, transport=transport)

    assert transport.seen == []
    message = str(caught.value)
    assert url in message
    assert address in message or (address == "127.0.0.1" and "::1" in message)
    assert "CLAUSEWATCH_ALLOWED_PRIVATE_HOSTS" in message


def test_guard_rejects_credentials(tmp_path: Path) -> None:
    transport = RecordingTransport()

    with pytest.raises(BlockedURLError, match="credentials") as caught:
        fetch_once(
            make_settings(tmp_path),
            "http://alice:s3cret@127.0.0.1/",
            transport=transport,
        )

    assert "s3cret" not in str(caught.value)
    assert transport.seen == []


@pytest.mark.parametrize(
    ("target", "reported"),
    [
        (
            "http://169.254.169.254/latest/meta-data",
            "169.254.169.254 is a cloud metadata address",
        ),
        ("http://10.1.2.3/", "10.1.2.3 is a private address"),
        ("http://[::1]:8080/", "::1 is a loopback address"),
        ("file:///etc/passwd", "only http and https"),
    ],
)
def test_guard_rejects_redirect_target(
    server: LocalServer, tmp_path: Path, target: str, reported: str
) -> None:
    url = server.add("/hop", Reply(302, headers={"Location": target}))
    transport = LoopbackOnlyTransport()

    with pytest.raises(BlockedURLError) as caught:
        fetch_once(make_settings(tmp_path), url, transport=transport)

    assert transport.blocked == []
    assert server.requests == ["/hop"]
    assert reported in str(caught.value)


def test_guard_allows_listed_network(server: LocalServer, tmp_path: Path) -> None:
    url = server.add("/ok", Reply(body=b"fine"))
    settings = make_settings(tmp_path, allowed_private_hosts=["127.0.0.0/8"])

    assert fetch_once(settings, url).body == b"fine"


def test_guard_allows_listed_host_name(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, allowed_private_hosts=["localhost"])

    check_url_allowed("http://localhost:8080/terms", settings)


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.215.14/terms",
        "https://[2606:4700:4700::1111]/privacy",
        "HTTPS://93.184.215.14:8443/a?b=c",
    ],
)
def test_guard_accepts_public_addresses(tmp_path: Path, url: str) -> None:
    check_url_allowed(url, make_settings(tmp_path, allowed_private_hosts=[]))


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("169.254.169.254", "metadata"),
        ("100.100.100.200", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("127.0.0.2", "loopback"),
        ("fe80::1", "link-local"),
        ("10.20.30.40", "private"),
        ("172.16.0.1", "private"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("::", "unspecified"),
        ("100.64.0.1", "non-public"),
        ("2002:a00:1::1", "private"),
        ("8.8.8.8", None),
    ],
)
def test_describe_forbidden(address: str, reason: str | None) -> None:
    described = describe_forbidden(ipaddress.ip_address(address))

    if reason is None:
        assert described is None
    else:
        assert described is not None
        assert reason in described


def test_allow_list_rejects_bad_network(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, allowed_private_hosts=["10.0.0.0/33"])

    with pytest.raises(ConfigurationError, match="10.0.0.0/33"):
        AllowList.from_settings(settings)


def test_backend_rejects_before_connecting(server: LocalServer) -> None:
    """The transport checks the address it connects to, not only the URL."""
    backend = GuardedNetworkBackend(AllowList(frozenset(), ()), resolve_timeout=5)
    port = int(server.base.rsplit(":", 1)[1])

    with pytest.raises(BlockedURLError, match="loopback"):
        asyncio.run(backend.connect_tcp("localhost", port, timeout=5))

    assert server.requests == []


def test_backend_connects_to_checked_address(server: LocalServer) -> None:
    allow = AllowList(frozenset(), (ipaddress.ip_network("127.0.0.1/32"),))
    backend = GuardedNetworkBackend(allow, resolve_timeout=5)
    port = int(server.base.rsplit(":", 1)[1])

    async def connect() -> None:
        stream = await backend.connect_tcp("127.0.0.1", port, timeout=5)
        await stream.aclose()

    asyncio.run(connect())

    assert server.requests == []
