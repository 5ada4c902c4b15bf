"""The result of extraction: a document's text as normalized Markdown."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExtractedDocument:
    """Text of one fetched document, ready to become a version."""

    markdown: str  # normalized Markdown, see normalize_markdown
    title: str | None
