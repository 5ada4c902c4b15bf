"""Decoding fetched text: declared, mislabelled and undeclared charsets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clausewatch.fetch import FetchResult
from tests.test_fetch_support import LocalServer, Reply, fetch_once, make_settings

FRENCH = (
    "Politique de confidentialité. Nous collectons les données que vous nous "
    "fournissez « volontairement » : par exemple lorsque vous créez un compte, "
    "répondez à une enquête ou contactez notre équipe. Vos données ne sont jamais "
    "vendues à des tiers ; elles sont conservées pendant la durée nécessaire à la "
    "fourniture du service, puis supprimées. Ça vous concerne."
)
ENGLISH_1252 = (
    "We don\u2019t sell your data. Our \u201cservices\u201d include the caf\u00e9 "
    "app \u2013 see \u00a7 4 for the details\u2026 and the \u20ac5 fee."
)
JAPANESE = (
    "プライバシーポリシー。当社は、お客様がサービスを利用する際に提供する個人情報を"
    "収集します。収集した情報は、サービスの提供、改善、およびお客様へのご連絡のため"
    "に利用します。当社は法令に基づく場合を除き、お客様の同意なく第三者に個人情報を"
    "提供しません。"
)


def page(text: str, meta: str | None) -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return (
        f"<html><head>{head}<title>Policy</title></head>"
        f"<body><p>{text}</p></body></html>"
    )


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    yield local
    local.stop()


@pytest.mark.parametrize(
    ("text", "encoding", "meta", "expected_charset"),
    [
        (FRENCH, "cp1252", None, "cp1252"),
        (FRENCH, "cp1252", "windows-1252", "cp1252"),
        (ENGLISH_1252, "cp1252", "iso-8859-1", "cp1252"),
        (ENGLISH_1252, "cp1252", None, None),
        (JAPANESE, "shift_jis", None, None),
        (JAPANESE, "shift_jis", "Shift_JIS", "shift_jis"),
        (FRENCH, "iso-8859-1", None, None),
        (JAPANESE, "utf-8", None, "utf-8"),
    ],
)
def test_text_decodes_without_header_charset(
    server: LocalServer,
    tmp_path: Path,
    text: str,
    encoding: str,
    meta: str | None,
    expected_charset: str | None,
) -> None:
    body = page(text, meta).encode(encoding)
    url = server.add("/policy", Reply(headers={"Content-Type": "text/html"}, body=body))

    result = fetch_once(make_settings(tmp_path), url)

    assert text in result.text()
    assert result.charset is not None
    if expected_charset is not None:
        assert result.charset == expected_charset


def test_header_charset_wins_over_meta(server: LocalServer, tmp_path: Path) -> None:
    body = page(FRENCH, "utf-8").encode("cp1252")
    url = server.add(
        "/policy",
        Reply(headers={"Content-Type": "text/html; charset=windows-1252"}, body=body),
    )

    result = fetch_once(make_settings(tmp_path), url)

    assert result.charset == "cp1252"
    assert FRENCH in result.text()


def test_http_equiv_meta_used(server: LocalServer, tmp_path: Path) -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
    body = f"<html><head>{head}</head><body>{JAPANESE}</body></html>".encode(
        "shift_jis"
    )
    url = server.add("/policy", Reply(body=body))

    result = fetch_once(make_settings(tmp_path), url)

    assert result.charset == "shift_jis"
    assert JAPANESE in result.text()


def make_result(body: bytes, content_type: str, charset: str | None) -> FetchResult:
    return FetchResult(
        url="http://127.0.0.1/p",
        final_url="http://127.0.0.1/p",
        status=200,
        content_type="text/html",
        charset=charset,
        headers={"content-type": content_type},
        body=body,
        fetched_at=datetime.now(UTC),
        via_browser=False,
    )


def test_bom_wins_over_declared_charset() -> None:
    body = "\ufeffcafé".encode("utf-8")

    result = make_result(body, "text/html; charset=windows-1252", "cp1252")

    assert result.text() == "café"


def test_utf16_bom_decoded() -> None:
    body = "\ufeffプライバシー".encode("utf-16-le")

    assert make_result(body, "text/html", None).text() == "プライバシー"


def test_invalid_bytes_replaced() -> None:
    body = b"caf\xc3\xa9 \xff\xfe broken"

    text = make_result(body, "text/html; charset=utf-8", "utf-8").text()

    assert text.startswith("café ")
    assert "\ufffd" in text


@pytest.mark.parametrize("label", ["no-such-charset", ""])
def test_unknown_charset_falls_back_to_detection(label: str) -> None:
    body = page(FRENCH, None).encode("cp1252")

    text = make_result(body, f"text/html; charset={label}", label or None).text()

    assert FRENCH in text
