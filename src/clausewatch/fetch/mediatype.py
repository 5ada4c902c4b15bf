"""Decide the media type of a body from its Content-Type header and its first bytes."""

from __future__ import annotations

import re

PDF = "application/pdf"
HTML = "text/html"
OCTET_STREAM = "application/octet-stream"

# Labels that servers use when they do not know the type; the body decides instead.
GENERIC_TYPES = frozenset(
    {
        "",
        OCTET_STREAM,
        "binary/octet-stream",
        "application/binary",
        "application/download",
        "application/force-download",
        "application/x-download",
        "application/unknown",
        "unknown/unknown",
    }
)

TEXT_TYPES = frozenset(
    {
        "application/xhtml+xml",
        "application/xml",
        "application/json",
        "application/javascript",
        "application/rss+xml",
        "application/atom+xml",
    }
)

SNIFF_BYTES = 1024
PDF_MAGIC = b"%PDF-"

_HTML_START = re.compile(
    rb"<(!doctype\s+html|html|head|body|title|script|!--|p|div|h1|table|br|a|iframe|"
    rb"font|b|style)[\s>]",
    re.I,
)


def parse_media_type(content_type: str | None) -> str:
    """Return the media type of a Content-Type value, lower case, without parameters."""
    if not content_type:
        return ""
    return content_type.split(";", 1)[0].strip().lower()


def sniff_media_type(body: bytes) -> str:
    """Guess a media type from the first bytes of a body."""
    head = body[:SNIFF_BYTES]
    if PDF_MAGIC in head:
        return PDF
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n\f")
    if _HTML_START.match(start):
        return HTML
    if start.startswith(b"<?xml"):
        return HTML if b"<html" in head.lower() else "application/xml"
    if start[:1] in (b"{", b"["):
        return "application/json"
    if b"\x00" not in head and body:
        return "text/plain"
    return OCTET_STREAM if body else ""


def detect_media_type(content_type_header: str | None, body: bytes) -> str:
    """Return the media type of a response, sniffing if the header is missing or wrong.

    A body that starts with the PDF signature is a PDF whatever the header declares,
    since servers often label PDFs as HTML or as a download.
    """
    if body[: len(PDF_MAGIC)] == PDF_MAGIC or body.lstrip()[:5] == PDF_MAGIC:
        return PDF
    declared = parse_media_type(content_type_header)
    if declared in GENERIC_TYPES:
        return sniff_media_type(body) or OCTET_STREAM
    return declared


def is_text(media_type: str) -> bool:
    """Return whether a media type carries text that has a charset."""
    return (
        media_type.startswith("text/")
        or media_type in TEXT_TYPES
        or (media_type.endswith("+xml"))
    )
