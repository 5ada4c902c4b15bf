"""Block structure of a Markdown text, with character offsets into it.

The parser covers the CommonMark blocks that policy pages use (ATX and setext headings,
paragraphs, bullet and ordered lists, pipe tables, fenced code, thematic breaks). It is
not a full CommonMark parser: indented code blocks and HTML blocks are read as
paragraphs, and a blank line always ends a paragraph. One non-standard case is read as
a setext heading: a short title cut off from its underline by one or two blank lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
TABLE_LINE = re.compile(r"^ {0,3}\|")
LIST_MARKER = re.compile(r"^( *)([-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
#: Maximum length of a title that a detached setext underline turns into a heading.
MAX_DETACHED_TITLE_CHARS = 100


class Line(NamedTuple):
    """One line of the text: its offsets (newline excluded) and its content.

    A named tuple rather than a dataclass, because importing a long history splits
    hundreds of thousands of lines and a tuple is built in about half the time.
    """

    start: int
    end: int
    text: str

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip(" "))


@dataclass(frozen=True)
class Heading:
    """A heading with its level (1 to 6) and raw inline text."""

    level: int
    text: str


@dataclass(frozen=True)
class Block:
    """A paragraph, list, table or code block spanning ``lines``."""

    kind: str  # "paragraph" | "list" | "table" | "code"
    lines: tuple[Line, ...]

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end


def split_lines(text: str) -> list[Line]:
    """Split the text into lines that remember their offsets."""
    lines: list[Line] = []
    position = 0
    for raw in text.split("\n"):
        lines.append(Line(position, position + len(raw), raw))
        position += len(raw) + 1
    return lines


def list_marker_width(line: Line) -> int | None:
    """Return the column where a list item's content starts, or None for no marker."""
    found = LIST_MARKER.match(line.text)
    if found is None or THEMATIC_BREAK.match(line.text):
        return None
    return found.end() if found.end() > found.end(2) else found.end(2) + 1


def _starts_block(line: Line) -> bool:
    text = line.text
    return bool(
        ATX_HEADING.match(text)
        or FENCE.match(text)
        or TABLE_LINE.match(text)
        or THEMATIC_BREAK.match(text)
    )


def _interrupts_paragraph(line: Line) -> bool:
    # CommonMark lets a bullet or an ordered list starting at 1 interrupt a paragraph.
    found = LIST_MARKER.match(line.text)
    if found is None or line.indent > 3 or found.end() == len(line.text):
        return False
    marker = found.group(2)
    return not marker[0].isdigit() or marker[:-1] == "1"


def parse_blocks(lines: list[Line]) -> list[Block | Heading]:
    """Group the lines into headings and blocks, in document order."""
    items: list[Block | Heading] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.is_blank or THEMATIC_BREAK.match(line.text):
            index += 1
            continue
        heading = ATX_HEADING.match(line.text)
        if heading:
            items.append(Heading(len(heading.group(1)), heading.group(2) or ""))
            index += 1
        elif FENCE.match(line.text):
            index = _take_fence(lines, index, items)
        elif TABLE_LINE.match(line.text):
            index = _take_while(lines, index, items, "table", _is_table_line)
        elif list_marker_width(line) is not None:
            index = _take_list(lines, index, items)
        else:
            index = _take_paragraph(lines, index, items)
    return items


def _is_table_line(line: Line) -> bool:
    return bool(TABLE_LINE.match(line.text))


def _take_while(
    lines: list[Line],
    index: int,
    items: list[Block | Heading],
    kind: str,
    keep: Callable[[Line], bool],
) -> int:
    end = index
    while end < len(lines) and keep(lines[end]):
        end += 1
    items.append(Block(kind, tuple(lines[index:end])))
    return end


def _take_fence(lines: list[Line], index: int, items: list[Block | Heading]) -> int:
    opening = FENCE.match(lines[index].text)
    assert opening is not None
    fence = opening.group(1)
    end = index + 1
    while end < len(lines):
        stripped = lines[end].text.strip()
        end += 1
        if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
            break
    items.append(Block("code", tuple(lines[index:end])))
    return end


def _take_paragraph(lines: list[Line], index: int, items: list[Block | Heading]) -> int:
    end = index + 1
    while end < len(lines):
        line = lines[end]
        if SETEXT_UNDERLINE.match(line.text):
            text = " ".join(part.text.strip() for part in lines[index:end])
            level = 1 if line.text.strip().startswith("=") else 2
            items.append(Heading(level, text))
            return end + 1
        if line.is_blank or _starts_block(line) or _interrupts_paragraph(line):
            break
        end += 1
    if end == index + 1:
        underline = _detached_underline(lines, index)
        if underline is not None:
            level = 1 if lines[underline].text.strip().startswith("=") else 2
            items.append(Heading(level, lines[index].text.strip()))
            return underline + 1
    items.append(Block("paragraph", tuple(lines[index:end])))
    return end


def _detached_underline(lines: list[Line], index: int) -> int | None:
    """Return the index of a setext underline that blank lines cut off from its title.

    Some converters write a title, one or two blank lines, then a line of "-" or "="
    2 to 4 characters longer than the title. CommonMark reads a thematic break there
    and the document loses the title of its part. Only an underline at least as long
    as a one-line title, and at most 4 characters longer, counts, so an ordinary
    "---" after a paragraph stays a thematic break.
    """
    title = lines[index].text.strip()
    if len(title) > MAX_DETACHED_TITLE_CHARS:
        return None
    following = index + 1
    while following < len(lines) and lines[following].is_blank:
        following += 1
    blank_lines = following - index - 1
    if not 1 <= blank_lines <= 2 or following == len(lines):
        return None
    underline = SETEXT_UNDERLINE.match(lines[following].text)
    if underline is None:
        return None
    length = len(underline.group(1))
    return following if len(title) <= length <= len(title) + 4 else None


def _take_list(lines: list[Line], index: int, items: list[Block | Heading]) -> int:
    end = index + 1
    while end < len(lines):
        line = lines[end]
        if line.is_blank:
            following = _next_nonblank(lines, end)
            if following is None or not _continues_list(lines[following]):
                break
            end = following
            continue
        if line.indent < 2 and list_marker_width(line) is None and _starts_block(line):
            break
        end += 1
    items.append(Block("list", tuple(lines[index:end])))
    return end


def _continues_list(line: Line) -> bool:
    return line.indent >= 2 or list_marker_width(line) is not None


def _next_nonblank(lines: list[Line], index: int) -> int | None:
    while index < len(lines):
        if not lines[index].is_blank:
            return index
        index += 1
    return None
