"""Tables of contents: heading-like lines that list the sections below them.

A policy may open with its section titles written as headings or bold lines, one after
the other. Read as headings, the last of them ("F. Contact us") would head every
provision up to the next real heading. A run of such lines is a table of contents when
its entries come back, in the same order, as headings further down with body text
between them. Entries that link to an anchor of the page count as coming back.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Sequence

from clausewatch.segment.blocks import Block, Heading
from clausewatch.segment.headings import bold_heading
from clausewatch.segment.inline import count_words, plain_text

#: Minimum number of entries of a run that must come back as later headings.
MIN_REPEATED_ENTRIES = 3
#: Maximum number of words of a line between two entries of one table of contents,
#: such as a sub-entry "· Your rights". A longer line is body text.
MAX_ENTRY_LINE_WORDS = 8

_CONTENTS_TITLE = re.compile(
    r"(?:table of )?contents|on this page|in this (?:policy|notice|document|page)",
    re.IGNORECASE,
)
# A whole entry that links to an anchor of the page. An empty link before a heading's
# text, "[](#intro)Intro", is the heading's own anchor, not an entry.
_ANCHOR_LINK = re.compile(r"[*_]*\[[^\]]*\w[^\]]*\]\(#[^)]*\)[*_]*")
_NOT_WORD = re.compile(r"[\W_]+")
# A section number or letter before a title: "4.", "4.2", "A.", "(b)", "Section 3:".
_ENUMERATOR = re.compile(
    r"^(?:(?:section|article|part|chapter)\s+)?\(?(?:\d+(?:\.\d+)*|[a-z]|[ivx]+)[.):]\s*",
    re.IGNORECASE,
)


def find_contents_entries(markdown: str, items: Sequence[Block | Heading]) -> set[int]:
    """Return the indexes of ``items`` that are entries of a table of contents.

    ``items`` are the top-level blocks and headings of a version. Such entries must
    neither open a section nor become provisions.
    """
    headings = [_heading_of(markdown, item) for item in items]

    # Whether an item is body text, computed only where a run of entries is open,
    # because most blocks follow body text and never need the test.
    def is_body(index: int) -> bool:
        return headings[index] is None and not _is_entry_line(markdown, items[index])

    entries: set[int] = set()
    for run in _runs(headings, is_body):
        entries.update(_contents_of_run(run, headings, is_body))
    return entries


def _heading_of(markdown: str, item: Block | Heading) -> Heading | None:
    if isinstance(item, Heading):
        return item
    return bold_heading(markdown, item)


def _is_entry_line(markdown: str, item: Block | Heading) -> bool:
    """Tell whether every line of a block is short enough to sit between entries."""
    if not isinstance(item, Block) or item.kind not in ("paragraph", "list"):
        return False
    return _has_short_lines(markdown[item.start : item.end])


# Consecutive versions of a document share most blocks, so the words of a block are
# counted once.
@functools.lru_cache(maxsize=4096)
def _has_short_lines(text: str) -> bool:
    return all(
        count_words(plain_text(line)) <= MAX_ENTRY_LINE_WORDS
        for line in text.split("\n")
    )


def _runs(
    headings: list[Heading | None], is_body: Callable[[int], bool]
) -> list[list[int]]:
    """Group the indexes of heading-like items that have no body text between them."""
    runs: list[list[int]] = []
    current: list[int] = []
    for index, heading in enumerate(headings):
        if heading is not None:
            current.append(index)
        elif current and is_body(index):
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [run for run in runs if len(run) >= MIN_REPEATED_ENTRIES]


def _contents_of_run(
    run: list[int], headings: list[Heading | None], is_body: Callable[[int], bool]
) -> list[int]:
    """Return the entries of a run that form a table of contents, or none.

    The table spans from the first to the last entry that comes back later, plus a
    title such as "Table of Contents" right before it. Entries before and after that
    span stay headings, as the title of the document or its first section may be.
    """
    # Headings from the run on: a short paragraph after the table can join the run
    # to the first heading of the body, so targets may lie inside the run itself.
    later = [
        (index, _keys(heading.text))
        for index, heading in enumerate(headings)
        if heading is not None and index > run[0]
    ]
    # An entry and its target make two occurrences. A title that occurs more often,
    # such as "Highlights" in every section, is a recurring sub-heading and shows no
    # table of contents.
    counts = Counter(key for _, keys in later for key in keys)
    recurring = {key for key, count in counts.items() if count > 2}
    repeated: list[int] = []
    matched_at: list[int] = []
    cursor = 0
    for index in run:
        if index in matched_at:
            break  # The body's headings have started.
        heading = headings[index]
        assert heading is not None
        if _ANCHOR_LINK.fullmatch(heading.text.strip()):
            repeated.append(index)
            continue
        keys = _keys(heading.text) - recurring
        for position in range(cursor, len(later)):
            later_index, later_keys = later[position]
            if later_index > index and keys & later_keys:
                repeated.append(index)
                matched_at.append(later_index)
                cursor = position + 1
                break
    if len(repeated) < MIN_REPEATED_ENTRIES:
        return []

    span = run[run.index(repeated[0]) : run.index(repeated[-1]) + 1]
    if 2 * len(repeated) < len(span):
        return []
    # Sections repeated with the same short texts are a copy of the same terms (one
    # for each jurisdiction), not a table of contents of the sections that follow.
    if matched_at and not any(map(is_body, range(matched_at[0], matched_at[-1]))):
        return []
    first = run.index(span[0])
    if first > 0:
        title = headings[run[first - 1]]
        assert title is not None
        if _CONTENTS_TITLE.fullmatch(plain_text(title.text).strip(" :")):
            span.insert(0, run[first - 1])
    return span


def _keys(text: str) -> set[str]:
    """Return comparison keys of a heading: its words, with and without its number."""
    plain = plain_text(text, strip_list_markers=False)
    keys = {_NOT_WORD.sub("", plain.lower())}
    without_number = _ENUMERATOR.sub("", plain)
    keys.add(_NOT_WORD.sub("", without_number.lower()))
    keys.discard("")
    return keys
