"""Headings that Markdown does not mark: paragraphs written as bold lines."""

from __future__ import annotations

import re

from clausewatch.segment.blocks import Block, Heading

#: Level given to a bold line read as a heading, below the six Markdown levels.
PSEUDO_HEADING_LEVEL = 7
#: Maximum length of a bold line read as a heading, without its markers.
MAX_BOLD_HEADING_CHARS = 100

_HEADING_END = re.compile(r"[.!?;]\W*$")
# One or more bold runs and nothing else. Several runs make one heading when a
# number and its title are set in bold apart: "**4.** **Refunds**".
_BOLD_RUN = r"(?:\*\*|__)[^*_]{1,100}(?:\*\*|__)"
_BOLD_LINE = re.compile(rf"{_BOLD_RUN}(?:[ \t]*{_BOLD_RUN})*")
_BOLD_MARKER = re.compile(r"\*\*|__")


def bold_heading(markdown: str, block: Block) -> Heading | None:
    """Read a short paragraph that is all bold, such as "**Cookies**", as a heading.

    Many policies style sub-headings as bold text. The pseudo-heading ranks below
    every real heading, so the next real heading of any level closes it. A line whose
    text ends like a sentence is not a heading.
    """
    if block.kind != "paragraph" or len(block.lines) != 1:
        return None
    text = markdown[block.start : block.end].strip()
    if _BOLD_LINE.fullmatch(text) is None:
        return None
    inner = _BOLD_MARKER.sub("", text)
    if len(inner) > MAX_BOLD_HEADING_CHARS or _HEADING_END.search(inner):
        return None
    return Heading(PSEUDO_HEADING_LEVEL, inner)
