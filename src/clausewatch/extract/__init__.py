"""Extraction: turn fetched HTML, PDF or text into a document's normalized Markdown.

Pure functions: bytes and text in, Markdown and findings out, no storage or network.
"""

from clausewatch.declarations.selectors import RangeSelector, Selector
from clausewatch.extract.content import extract_content
from clausewatch.extract.dates import find_stated_date
from clausewatch.extract.document import ExtractedDocument
from clausewatch.extract.html import extract_html
from clausewatch.extract.normalize import normalize_markdown
from clausewatch.extract.pdf import extract_pdf
from clausewatch.extract.suspect import (
    SuspectCapture,
    TextMeasure,
    assess_capture,
    measure_text,
)

__all__ = [
    "ExtractedDocument",
    "RangeSelector",
    "Selector",
    "SuspectCapture",
    "TextMeasure",
    "assess_capture",
    "extract_content",
    "extract_html",
    "extract_pdf",
    "find_stated_date",
    "measure_text",
    "normalize_markdown",
]
