"""Split a version's Markdown into provisions, the units a reader would quote."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from clausewatch.segment.blocks import (
    Block,
    Heading,
    Line,
    list_marker_width,
    parse_blocks,
    split_lines,
)
from clausewatch.segment.contents import find_contents_entries
from clausewatch.segment.headings import bold_heading
from clausewatch.segment.inline import count_words, is_link_only, plain_text
from clausewatch.segment.sentences import group_sentences, sentence_spans

#: Maximum length of a provision, in characters; longer blocks are split.
MAX_PROVISION_CHARS = 1200
#: List items with less visible text than this are merged with their short neighbours.
SHORT_ITEM_CHARS = 80
_TABLE_DELIMITER = re.compile(r"^[\s|:-]*$")
_SENTENCE_END = re.compile(r"[.!?:;]\W*$")
# A cell is the text between unescaped pipes of one row.
_TABLE_CELL = re.compile(r"(?:[^|\n\\]|\\.)+")
# Longer texts that are not link-only always have words enough to be a provision.
_FRAGMENT_MAX_CHARS = 300


@dataclass(frozen=True)
class Segment:
    """One provision of a version, cited by its exact text."""

    position: int
    heading_path: tuple[str, ...]
    text: str
    kind: str  # "paragraph" | "list_item" | "table" | "sentence_group"
    #: For a list item, the paragraph or heading right before its list, such as "You
    #: agree not to:". It is context for classification, not part of the provision,
    #: and "" when the list has none or the segment is not a list item.
    lead_in: str = ""


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str
    lead_in: str = ""


def segment_markdown(markdown: str) -> list[Segment]:
    """Split normalized Markdown into provisions, in document order.

    Each segment's text is ``markdown[start:end]`` for some span, so it can be found
    in the version verbatim. Headings set the heading path and are not provisions.
    Navigation fragments (link-only items, a lone "Contents") are dropped.
    """
    segmenter = _Segmenter(markdown)
    items = parse_blocks(split_lines(markdown))
    segmenter.walk(items, contents=find_contents_entries(markdown, items))
    return segmenter.segments


class _Segmenter:
    """Walks blocks in order, tracking the heading path and collecting segments."""

    def __init__(self, markdown: str) -> None:
        self.markdown = markdown
        self.headings: list[Heading] = []
        self.path: tuple[str, ...] = ()
        self.segments: list[Segment] = []

    def walk(
        self,
        items: list[Block | Heading],
        first_kind: str | None = None,
        first_lead_in: str = "",
        contents: set[int] | None = None,
    ) -> None:
        """Segment ``items``.

        ``first_kind`` and ``first_lead_in`` replace a leading paragraph's kind and
        lead-in, for the content of a long list item. The items whose indexes are in
        ``contents`` are entries of a table of contents: they open no section and are
        not provisions.
        """
        # The text of the paragraph or heading right before the current item.
        previous = ""
        for index, item in enumerate(items):
            heading = item if isinstance(item, Heading) else None
            if heading is None and isinstance(item, Block):
                heading = bold_heading(self.markdown, item)
            if contents and index in contents:
                assert heading is not None
                previous = heading.text
                continue
            if heading is not None:
                self.enter_heading(heading)
                previous = heading.text
                continue
            assert isinstance(item, Block)
            if item.kind == "list":
                self.walk_list(list(item.lines), lead_in=previous)
                previous = ""
                continue
            for span in _block_spans(self.markdown, item):
                if index == 0 and first_kind and span.kind == "paragraph":
                    span = _Span(span.start, span.end, first_kind, first_lead_in)
                self.emit(span)
            previous = (
                self.markdown[item.start : item.end].strip()
                if item.kind == "paragraph"
                else ""
            )

    def enter_heading(self, heading: Heading) -> None:
        while self.headings and self.headings[-1].level >= heading.level:
            self.headings.pop()
        text = plain_text(heading.text, strip_list_markers=False)
        self.headings.append(Heading(heading.level, text))
        self.path = tuple(entry.text for entry in self.headings if entry.text)

    def emit(self, span: _Span) -> None:
        text = self.markdown[span.start : span.end]
        if not _is_fragment(text, span.kind):
            self.segments.append(
                Segment(len(self.segments), self.path, text, span.kind, span.lead_in)
            )

    def walk_list(self, lines: list[Line], lead_in: str = "") -> None:
        """Segment a list: one segment per item, short items merged, long ones split.

        A long item is parsed again as its own Markdown, so the paragraphs, nested
        lists and headings inside it (a chapter written as one list item) become
        provisions and heading path entries. Every item gets the list's ``lead_in``.
        """
        run: list[_Span] = []
        for item_lines in _split_items(lines):
            start, end = _strip_span(
                self.markdown, item_lines[0].start, item_lines[-1].end
            )
            text = self.markdown[start:end]
            if _is_short(text) and not is_link_only(text):
                run.append(_Span(start, end, "list_item", lead_in))
                continue
            for span in _merge_run(run):
                self.emit(span)
            run = []
            if end - start <= MAX_PROVISION_CHARS:
                self.emit(_Span(start, end, "list_item", lead_in))
            else:
                self.walk(parse_blocks(_item_content(item_lines)), "list_item", lead_in)
        for span in _merge_run(run):
            self.emit(span)


def _block_spans(markdown: str, block: Block) -> list[_Span]:
    if block.kind == "table":
        return _table_spans(markdown, block)
    return _long_text_spans(markdown, block.start, block.end, "paragraph")


def _long_text_spans(markdown: str, start: int, end: int, kind: str) -> list[_Span]:
    start, end = _strip_span(markdown, start, end)
    if end - start <= MAX_PROVISION_CHARS:
        return [_Span(start, end, kind)]
    groups = group_sentences(sentence_spans(markdown, start, end), MAX_PROVISION_CHARS)
    return [
        _Span(*_strip_span(markdown, group_start, group_end), "sentence_group")
        for group_start, group_end in groups
    ]


def _strip_span(markdown: str, start: int, end: int) -> tuple[int, int]:
    while start < end and markdown[start].isspace():
        start += 1
    while end > start and markdown[end - 1].isspace():
        end -= 1
    return start, end


def _table_spans(markdown: str, block: Block) -> list[_Span]:
    if block.end - block.start <= MAX_PROVISION_CHARS:
        return [_Span(block.start, block.end, "table")]
    spans: list[_Span] = []
    for line in block.lines:
        if _TABLE_DELIMITER.match(line.text):
            continue
        if line.end - line.start <= MAX_PROVISION_CHARS:
            spans.append(_Span(line.start, line.end, "table"))
            continue
        for cell in _TABLE_CELL.finditer(markdown, line.start, line.end):
            spans.extend(_long_text_spans(markdown, cell.start(), cell.end(), "table"))
    return spans


def _is_short(text: str) -> bool:
    if len(text) < SHORT_ITEM_CHARS:
        return True
    return len(text) < 4 * SHORT_ITEM_CHARS and len(plain_text(text)) < SHORT_ITEM_CHARS


def _merge_run(run: list[_Span]) -> list[_Span]:
    """Merge consecutive short items, such as a list of data categories, into groups."""
    merged: list[_Span] = []
    for span in run:
        if merged and span.end - merged[-1].start <= MAX_PROVISION_CHARS:
            merged[-1] = _Span(merged[-1].start, span.end, "list_item", span.lead_in)
        else:
            merged.append(span)
    return merged


def _split_items(lines: list[Line]) -> list[list[Line]]:
    """Split list lines into items at the markers of the outermost level."""
    items: list[list[Line]] = []
    content_column = 0
    for line in lines:
        width = list_marker_width(line)
        starts_item = width is not None and (not items or line.indent < content_column)
        if starts_item:
            assert width is not None
            items.append([line])
            content_column = width
        elif items:
            items[-1].append(line)
        else:
            items.append([line])
    for item in items:
        while item and item[-1].is_blank:
            item.pop()
    return [item for item in items if item]


def _item_content(item_lines: list[Line]) -> list[Line]:
    """Return an item's lines without its marker and its content indentation.

    Offsets stay those of the whole lines, so spans built on them still cover the
    marker and the indentation, and remain substrings of the version.
    """
    first = item_lines[0]
    width = list_marker_width(first) or 0
    content = [Line(first.start, first.end, first.text[width:])]
    for line in item_lines[1:]:
        cut = min(line.indent, width)
        content.append(Line(line.start, line.end, line.text[cut:]))
    return content


# Consecutive versions of a document share most of their blocks, so a cache by text
# spares most of the regular expressions when a history is segmented version by
# version.
@functools.lru_cache(maxsize=4096)
def _is_fragment(text: str, kind: str) -> bool:
    """Tell whether the text is navigation or decoration rather than a provision."""
    if is_link_only(text):
        return True
    if len(text) > _FRAGMENT_MAX_CHARS:
        return False
    visible = plain_text(text)
    if not any(character.isalnum() for character in visible):
        return True
    if kind != "paragraph":
        return False
    # A lone "Contents" or "Back to top"; a short date line ("Updated: 2024") stays.
    return (
        count_words(visible) < 4
        and not _SENTENCE_END.search(visible)
        and not any(character.isdigit() for character in visible)
    )
