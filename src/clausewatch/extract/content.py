"""Pick the extractor for a fetched body from its content type."""

from __future__ import annotations

from collections.abc import Sequence

from clausewatch.declarations.selectors import Selector
from clausewatch.errors import ExtractionError
from clausewatch.extract.document import ExtractedDocument
from clausewatch.extract.html import extract_html
from clausewatch.extract.normalize import normalize_markdown
from clausewatch.extract.pdf import extract_pdf
from clausewatch.fetch.charset import decode_body, resolve_charset

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}
_HTML_SIGNS = (b"<!doctype html", b"<html", b"<body", b"<head")


def extract_content(
    body: bytes,
    *,
    content_type: str,
    text: str | None,
    url: str,
    select: Sequence[Selector] = (),
    remove: Sequence[Selector] = (),
) -> ExtractedDocument:
    """Extract the document text of a fetched body as normalized Markdown.

    ``content_type`` is the response's media type (parameters are ignored) and
    ``text`` the body decoded with the response's charset, when it is text. HTML goes
    to ``extract_html``, PDF to ``extract_pdf``, and plain text or Markdown is only
    normalized. A body whose type is missing or generic is recognised by its first
    bytes. Raises ExtractionError for other types, for selectors declared on a
    document that is not HTML, and for what the extractors reject.
    """
    media_type = content_type.split(";", 1)[0].strip().lower()
    kind = _kind(media_type, body)
    if kind == "html":
        html = _decoded(body, text, content_type=content_type, html=True)
        return extract_html(html, url=url, select=select, remove=remove)
    if select or remove:
        raise ExtractionError(
            f"the document at {url} is {media_type or 'not HTML'}, but its declaration "
            "sets select or remove, which apply only to HTML pages; remove them"
        )
    if kind == "pdf":
        return extract_pdf(body)
    if kind == "text":
        markdown = normalize_markdown(
            _decoded(body, text, content_type=content_type, html=False)
        )
        if not markdown:
            raise ExtractionError(f"the document at {url} is empty; check the URL")
        return ExtractedDocument(markdown=markdown, title=None)
    raise ExtractionError(
        f"unsupported content type {media_type!r} at {url}; clausewatch reads HTML, "
        "PDF, plain text and Markdown, so check the document's URL"
    )


def _kind(media_type: str, body: bytes) -> str | None:
    if media_type in _HTML_TYPES:
        return "html"
    if media_type == "application/pdf":
        return "pdf"
    if media_type in _TEXT_TYPES:
        return "text"
    if media_type in ("", "application/octet-stream", "binary/octet-stream"):
        start = body.lstrip()[:512].lower()
        if start.startswith(b"%pdf-"):
            return "pdf"
        if any(sign in start for sign in _HTML_SIGNS):
            return "html"
    return None


def _decoded(body: bytes, text: str | None, *, content_type: str, html: bool) -> str:
    """Return the fetched text, else the body decoded as the fetcher would decode it.

    Without a decoded text from the fetcher, the charset comes from a byte order
    mark, a charset parameter of ``content_type``, an HTML ``<meta>`` or an XML
    declaration, and otherwise from detection (see ``clausewatch.fetch.charset``).
    """
    if text is not None:
        return text
    return decode_body(body, resolve_charset(body, content_type, html=html))
