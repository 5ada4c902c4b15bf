"""Pick the extractor for a fetched body from its content type."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import charset_normalizer

from clausewatch.declarations.selectors import Selector
from clausewatch.errors import ExtractionError
from clausewatch.extract.document import ExtractedDocument
from clausewatch.extract.html import extract_html
from clausewatch.extract.normalize import normalize_markdown
from clausewatch.extract.pdf import extract_pdf

logger = logging.getLogger(__name__)

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}
_HTML_SIGNS = (b"<!doctype html", b"<html", b"<body", b"<head")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


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
        return extract_html(_decoded(body, text), url=url, select=select, remove=remove)
    if select or remove:
        raise ExtractionError(
            f"the document at {url} is {media_type or 'not HTML'}, but its declaration "
            "sets select or remove, which apply only to HTML pages; remove them"
        )
    if kind == "pdf":
        return extract_pdf(body)
    if kind == "text":
        markdown = normalize_markdown(_decoded(body, text))
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


def _decoded(body: bytes, text: str | None) -> str:
    """Return the fetched text, else the body decoded by its declared charset.

    Without a decoded text from the fetcher, a byte order mark or an HTML
    ``<meta charset>`` names the encoding. Otherwise charset_normalizer guesses it,
    and UTF-8 with replacement characters is the last resort.
    """
    if text is not None:
        return text
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace")
    declared = _META_CHARSET.search(body[:4096])
    if declared:
        try:
            return body.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            logger.info("unknown charset %r declared in a page", declared.group(1))
    guess = charset_normalizer.from_bytes(body).best()
    if guess is not None:
        return str(guess)
    return body.decode("utf-8", errors="replace")
