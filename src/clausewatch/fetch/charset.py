"""Find the character encoding of a text body and decode it.

The order follows what browsers do (WHATWG Encoding and HTML standards): a byte order
mark wins, then the charset parameter of Content-Type, then a ``<meta charset>`` or
``<meta http-equiv="Content-Type">`` near the start of HTML, then the encoding of an
XML declaration, then detection. Detection takes valid UTF-8 as UTF-8 and otherwise
asks charset_normalizer, but re-ranks its Latin guesses (see ``latin_charsets``) so
that Western text is not read with a Central European code page. Charsets are
returned as Python codec names ("utf-8", "cp1252", "shift_jis").
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from clausewatch.fetch.latin_charsets import best_latin_reading, is_latin_charset

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)

# Browsers decode these labels as windows-1252, and pages labelled iso-8859-1 often
# contain its curly quotes and dashes in the 0x80-0x9F range.
WINDOWS_1252_ALIASES = frozenset({"latin_1", "ascii", "iso8859-1", "iso-8859-1"})

META_SCAN_BYTES = 4096
FALLBACK_CHARSET = "cp1252"

_CHARSET_PARAMETER = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:+-]+)""", re.I)
_META_TAG = re.compile(rb"<meta\b[^>]*>", re.I)
_XML_DECLARATION = re.compile(
    rb"""<\?xml\s[^>]*?encoding\s*=\s*["']\s*([A-Za-z0-9._:+-]+)""", re.I
)


def normalize_charset(label: str | None, *, from_meta: bool = False) -> str | None:
    """Return the Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    if name in WINDOWS_1252_ALIASES:
        return "cp1252"
    if from_meta and name.startswith("utf-16"):
        # A <meta> readable as ASCII proves the body is not UTF-16 (HTML standard).
        return "utf-8"
    return name


def charset_from_bom(body: bytes) -> tuple[str, int] | None:
    """Return the charset named by a byte order mark and the length of the mark."""
    for bom, charset in BOMS:
        if body.startswith(bom):
            return charset, len(bom)
    return None


def charset_from_content_type(value: str | None) -> str | None:
    """Return the charset parameter of a Content-Type header value."""
    if not value:
        return None
    match = _CHARSET_PARAMETER.search(value.encode("latin-1", "replace"))
    return normalize_charset(match.group(1).decode("ascii")) if match else None


def charset_from_meta(body: bytes) -> str | None:
    """Return the charset declared by a <meta> tag near the start of an HTML body."""
    for tag in _META_TAG.finditer(body[:META_SCAN_BYTES]):
        match = _CHARSET_PARAMETER.search(tag.group(0))
        if match:
            charset = normalize_charset(match.group(1).decode("ascii"), from_meta=True)
            if charset:
                return charset
    return None


def charset_from_xml_declaration(body: bytes) -> str | None:
    """Return the encoding named by an XML declaration at the start of a body."""
    match = _XML_DECLARATION.match(body.lstrip(b" \t\r\n")[:META_SCAN_BYTES])
    if match is None:
        return None
    # Like <meta>, a declaration readable as ASCII proves the body is not UTF-16.
    return normalize_charset(match.group(1).decode("ascii"), from_meta=True)


def detect_charset(body: bytes) -> str:
    """Guess the charset of an undeclared body: UTF-8 if valid, else statistics.

    charset_normalizer guesses first. A Latin guess is checked against the other
    Latin code pages, and windows-1252 wins unless another one reads the letters of
    the body as one language's alphabet with fewer exceptions. A non-Latin guess
    gives way to a Latin reading that fits one alphabet without exception, because
    charset_normalizer takes a mostly ASCII text with one accented letter for Big5
    or Johab.
    """
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    matches = charset_normalizer.from_bytes(body)
    suggested = [codecs.lookup(match.encoding).name for match in matches]
    latin = best_latin_reading(body, suggested)
    best = matches.best()
    if latin is None:
        guess = best.encoding if best is not None else FALLBACK_CHARSET
    elif best is None or is_latin_charset(codecs.lookup(best.encoding).name):
        guess = latin.charset
    elif latin.misfits == 0 and b"\x00" not in body:
        # NUL bytes mark UTF-16 or UTF-32 text, whose ASCII half reads as Latin.
        guess = latin.charset
    else:
        guess = best.encoding
    return normalize_charset(guess) or FALLBACK_CHARSET


def resolve_charset(body: bytes, content_type_header: str | None, html: bool) -> str:
    """Return the charset of a text body, declared or detected."""
    bom = charset_from_bom(body)
    if bom is not None:
        return bom[0]
    declared = charset_from_content_type(content_type_header)
    if declared is None and html:
        declared = charset_from_meta(body)
    if declared is None:
        declared = charset_from_xml_declaration(body)
    return declared or detect_charset(body)


def decode_body(body: bytes, charset: str | None) -> str:
    """Decode a body, never raising: a BOM wins, bad bytes become U+FFFD."""
    bom = charset_from_bom(body)
    if bom is not None:
        codec, length = bom
        return body[length:].decode(codec, errors="replace")
    codec = normalize_charset(charset) or detect_charset(body)
    return body.decode(codec, errors="replace")
