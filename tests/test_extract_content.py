"""Content-type dispatch of extract_content."""

from __future__ import annotations

import pytest
import weasyprint

from clausewatch.errors import ExtractionError
from clausewatch.extract import extract_content

URL = "http://127.0.0.1:8000/terms"
PAGE = (
    "<html><head><title>Terms</title></head><body><main><h1>Terms</h1>"
    "<p>You may cancel your subscription at any time from your settings.</p>"
    "</main></body></html>"
)


@pytest.mark.parametrize(
    "content_type",
    ["text/html", "text/html; charset=utf-8", "application/xhtml+xml", "TEXT/HTML"],
)
def test_content_html_types(content_type: str) -> None:
    document = extract_content(
        PAGE.encode(), content_type=content_type, text=PAGE, url=URL
    )

    assert document.title == "Terms"
    assert "You may cancel your subscription" in document.markdown


def test_content_html_without_decoded_text() -> None:
    document = extract_content(
        PAGE.encode(), content_type="text/html", text=None, url=URL
    )

    assert "# Terms" in document.markdown


def test_content_html_selectors_passed() -> None:
    document = extract_content(
        PAGE.encode(), content_type="text/html", text=PAGE, url=URL, select=["p"]
    )

    assert document.markdown == (
        "You may cancel your subscription at any time from your settings.\n"
    )


def test_content_pdf() -> None:
    data = weasyprint.HTML(string=PAGE).write_pdf()

    document = extract_content(data, content_type="application/pdf", text=None, url=URL)

    assert "# Terms" in document.markdown
    assert "You may cancel your subscription" in document.markdown


def test_content_sniffs_generic_pdf() -> None:
    data = weasyprint.HTML(string=PAGE).write_pdf()

    document = extract_content(
        data, content_type="application/octet-stream", text=None, url=URL
    )

    assert "# Terms" in document.markdown


@pytest.mark.parametrize("content_type", ["", "application/octet-stream"])
def test_content_sniffs_generic_html(content_type: str) -> None:
    document = extract_content(
        PAGE.encode(), content_type=content_type, text=None, url=URL
    )

    assert "# Terms" in document.markdown


@pytest.mark.parametrize("content_type", ["text/plain", "text/markdown"])
def test_content_text_normalized(content_type: str) -> None:
    text = "Terms\r\n=====\r\n\r\n*   You may cancel\u00a0at any time.\r\n"

    document = extract_content(
        text.encode(), content_type=content_type, text=text, url=URL
    )

    assert document.markdown == "# Terms\n\n- You may cancel at any time.\n"
    assert document.title is None


def test_content_empty_text() -> None:
    with pytest.raises(ExtractionError, match="empty"):
        extract_content(b" \n", content_type="text/plain", text=" \n", url=URL)


def test_content_unsupported_type() -> None:
    with pytest.raises(ExtractionError, match="unsupported content type 'image/png'"):
        extract_content(b"\x89PNG", content_type="image/png", text=None, url=URL)


def test_content_selectors_on_pdf() -> None:
    data = weasyprint.HTML(string=PAGE).write_pdf()

    with pytest.raises(ExtractionError, match="apply only to HTML"):
        extract_content(
            data, content_type="application/pdf", text=None, url=URL, select=["main"]
        )


def test_content_meta_charset_decoding() -> None:
    sentence = "Données conservées pendant un an, à compter de la clôture."
    page = (
        "<html><head><meta charset='windows-1252'></head><body><main>"
        f"<p>{sentence}</p></main></body></html>"
    )

    document = extract_content(
        page.encode("windows-1252"), content_type="text/html", text=None, url=URL
    )

    assert sentence in document.markdown


def test_content_byte_order_mark() -> None:
    data = "\ufeff" + PAGE

    document = extract_content(
        data.encode("utf-16-le"), content_type="text/html", text=None, url=URL
    )

    assert "You may cancel your subscription" in document.markdown
