"""PDF documents to Markdown, with headings found from font sizes."""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from clausewatch.errors import ExtractionError
from clausewatch.extract.document import ExtractedDocument
from clausewatch.extract.normalize import normalize_markdown

logger = logging.getLogger(__name__)

#: A line whose font is at least this much larger than the body text is a heading.
HEADING_SIZE_RATIO = 1.15
#: Maximum heading levels derived from font sizes. Smaller heading sizes share the last.
MAX_SIZE_LEVELS = 4
_BULLET = re.compile(r"^[•◦▪●‣○■□–\-*]\s*")
_ORDERED = re.compile(r"^(?:\d{1,3}|[a-z]|[ivx]{1,5})[.)]\s")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?:;]$")
_FIRST_HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)
_BREAK_HYPHEN = re.compile("\\w[\u2010\u00ad]$")
_HYPHEN_MINUS = re.compile(r"[^\W\d_]-$")


@dataclass
class _Line:
    text: str
    page: int
    top: float
    bottom: float
    size: float
    bold: bool


def extract_pdf(data: bytes) -> ExtractedDocument:
    """Extract a PDF's text as normalized Markdown.

    Lines set in a larger font than the body become headings, and short bold lines
    become minor headings. Wrapped lines are joined into paragraphs, rejoining a word
    hyphenated at a line end. Bullets become list items. Page numbers and lines
    repeated on most pages (running headers and footers) are dropped.

    Raises ExtractionError for a corrupt or encrypted PDF and for one without a text
    layer (scanned pages), which would need OCR.
    """
    # Imported here, because the PDF libraries take about 0.15 s to import and most
    # commands never read a PDF.
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    _check_readable(data)
    try:
        with pdfplumber.open(io.BytesIO(data)) as document:
            metadata_title = (document.metadata or {}).get("Title")
            lines = [line for page in document.pages for line in _page_lines(page)]
    except PdfminerException as error:
        raise ExtractionError(
            f"the PDF could not be read ({error or type(error).__name__}); "
            "it may be corrupt or truncated, so fetch it again"
        ) from error
    if not lines:
        raise ExtractionError(
            "the PDF has no text layer (its pages are images, e.g. a scan); OCR is "
            "not supported, so track an HTML or text version of the document instead"
        )

    lines = _drop_page_furniture(lines)
    markdown = normalize_markdown(_to_markdown(lines))
    return ExtractedDocument(markdown=markdown, title=_title(metadata_title, markdown))


def _title(metadata_title: object, markdown: str) -> str | None:
    """Return the PDF's metadata title, else its first heading."""
    if isinstance(metadata_title, str) and metadata_title.strip():
        return metadata_title.strip()
    heading = _FIRST_HEADING.search(markdown)
    return heading.group(1).strip() if heading else None


def _check_readable(data: bytes) -> None:
    import pypdf

    if not data.lstrip()[:5] == b"%PDF-":
        raise ExtractionError(
            "the content is not a PDF (it does not start with %PDF-); check the "
            "document's URL and content type"
        )
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        if encrypted and not reader.decrypt(""):
            raise ExtractionError(
                "the PDF is encrypted with a password; track an unprotected copy "
                "of the document instead"
            )
    except pypdf.errors.PyPdfError as error:
        raise ExtractionError(
            f"the PDF could not be read ({error}); it may be corrupt or truncated, "
            "so fetch it again"
        ) from error


def _page_lines(page: Any) -> list[_Line]:
    words = page.extract_words(extra_attrs=["size", "fontname"], use_text_flow=False)
    words.sort(key=lambda word: (round(word["top"]), word["x0"]))
    lines: list[_Line] = []
    current: list[dict[str, Any]] = []
    for word in words:
        if current and abs(word["top"] - current[0]["top"]) > 0.5 * current[0]["size"]:
            lines.append(_make_line(current, page.page_number))
            current = []
        current.append(word)
    if current:
        lines.append(_make_line(current, page.page_number))
    return lines


def _make_line(words: list[dict[str, Any]], page_number: int) -> _Line:
    words = sorted(words, key=lambda word: word["x0"])
    sizes = Counter(round(word["size"], 1) for word in words)
    return _Line(
        text=" ".join(word["text"] for word in words),
        page=page_number,
        top=min(word["top"] for word in words),
        bottom=max(word["bottom"] for word in words),
        size=sizes.most_common(1)[0][0],
        bold=all("bold" in word["fontname"].lower() for word in words),
    )


def _drop_page_furniture(lines: list[_Line]) -> list[_Line]:
    page_count = len({line.page for line in lines})
    pages_by_text: dict[str, set[int]] = {}
    for line in lines:
        pages_by_text.setdefault(line.text, set()).add(line.page)
    repeated = {
        text
        for text, pages in pages_by_text.items()
        if page_count >= 3 and len(pages) > page_count / 2
    }
    return [
        line
        for line in lines
        if line.text not in repeated and not _PAGE_NUMBER.match(line.text.strip())
    ]


def _to_markdown(lines: list[_Line]) -> str:
    body_size = _body_size(lines)
    heading_sizes = sorted(
        {line.size for line in lines if line.size >= HEADING_SIZE_RATIO * body_size},
        reverse=True,
    )
    blocks: list[str] = []
    previous: _Line | None = None
    for line in lines:
        level = _heading_level(line, body_size, heading_sizes)
        if level is not None:
            heading = "#" * level + " "
            continues = (
                previous is not None
                and blocks[-1].startswith(heading)
                and previous.size == line.size
                and _close(previous, line)
            )
            if continues:
                blocks[-1] += " " + line.text
            else:
                blocks.append(heading + line.text)
        elif _starts_block(line, previous):
            blocks.append(_list_item(line.text))
        else:
            blocks[-1] = _join_wrapped(blocks[-1], line.text)
        previous = line
    return "\n\n".join(blocks)


def _body_size(lines: list[_Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0]


def _heading_level(
    line: _Line, body_size: float, heading_sizes: list[float]
) -> int | None:
    if line.size in heading_sizes:
        return min(heading_sizes.index(line.size) + 1, MAX_SIZE_LEVELS)
    short = len(line.text) <= 100 and not _SENTENCE_END.search(line.text)
    if line.bold and short and not _BULLET.match(line.text):
        return min(len(heading_sizes) + 1, 6)
    return None


def _close(previous: _Line, line: _Line) -> bool:
    """Tell whether a line follows the previous one with no paragraph gap."""
    if line.page != previous.page:
        return False
    gap = line.top - previous.bottom
    return gap < 0.6 * (line.bottom - line.top)


def _starts_block(line: _Line, previous: _Line | None) -> bool:
    if previous is None or _BULLET.match(line.text) or _ORDERED.match(line.text):
        return True
    if previous.size != line.size:
        return True
    if line.page != previous.page:
        # A paragraph continues on the next page when it did not end a sentence.
        return bool(_SENTENCE_END.search(previous.text)) or not line.text[:1].islower()
    return not _close(previous, line)


def _list_item(text: str) -> str:
    bullet = _BULLET.match(text)
    if bullet and bullet.end() < len(text):
        return "- " + text[bullet.end() :]
    return text


def _join_wrapped(paragraph: str, line: str) -> str:
    # A word hyphenated across lines ("pro-" + "cessing") is rejoined. The Unicode
    # hyphen and the soft hyphen only ever mark such breaks; a hyphen-minus is taken
    # as one when a lower-case letter follows.
    if _BREAK_HYPHEN.search(paragraph):
        return paragraph[:-1] + line
    if _HYPHEN_MINUS.search(paragraph) and line[:1].islower():
        return paragraph[:-1] + line
    return paragraph + " " + line
