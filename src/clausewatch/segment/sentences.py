"""Sentence boundaries and sentence groups inside one long block."""

from __future__ import annotations

import functools
import re

# A boundary is end punctuation, optional closing quotes or brackets, then whitespace
# before something that can open a sentence. A line break (newline or <br>) is always
# a boundary.
_BOUNDARY = re.compile(
    r"(?<=[.!?;])[\"'”’)\]*_]*[ \t]+(?=[\"“‘(\[*_]*[A-Z0-9])"
    r"|[ \t]*\n\s*|(?:[ \t]*<br\s*/?>)+[ \t]*"
)
# Abbreviations after which a full stop rarely ends a sentence in policy text.
_ABBREVIATIONS = frozenset(
    "e.g i.e etc vs no nos inc ltd llc co corp dr mr mrs ms st art sec para cf approx"
    " u.s u.k e.u fig jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_LAST_WORD = re.compile(r"([\w.]+)\.$")


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of the sentences in ``text[start:end]``."""
    return [
        (start + span_start, start + span_end)
        for span_start, span_end in _block_sentence_spans(text[start:end])
    ]


# Consecutive versions of a document share most of their long blocks, so their
# sentences are found once. Offsets are relative to the block, so a block found at
# another place in the next version still hits the cache.
@functools.lru_cache(maxsize=1024)
def _block_sentence_spans(block: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    sentence_start = 0
    for boundary in _BOUNDARY.finditer(block):
        before = block[sentence_start : boundary.start()]
        last = _LAST_WORD.search(before)
        if "\n" not in boundary.group() and last and _is_abbreviation(last.group(1)):
            continue
        if before.strip():
            spans.append((sentence_start, boundary.start()))
        sentence_start = boundary.end()
    if block[sentence_start:].strip():
        spans.append((sentence_start, len(block)))
    return tuple(spans)


def _is_abbreviation(word: str) -> bool:
    return word.lower() in _ABBREVIATIONS or len(word) == 1


def group_sentences(
    spans: list[tuple[int, int]], max_chars: int
) -> list[tuple[int, int]]:
    """Pack consecutive sentences into groups of at most ``max_chars`` characters.

    The groups are balanced: a block twice the limit becomes two halves, not one full
    group and a remnant. A single sentence longer than the limit stays whole.
    """
    if not spans:
        return []
    total = spans[-1][1] - spans[0][0]
    group_count = -(-total // max_chars)
    target = min(max_chars, -(-total // group_count))
    groups: list[tuple[int, int]] = []
    group_start, group_end = spans[0]
    for span_start, span_end in spans[1:]:
        if span_end - group_start > target:
            if span_end - group_start > max_chars or _closer_to_target(
                group_start, group_end, span_end, target
            ):
                groups.append((group_start, group_end))
                group_start = span_start
        group_end = span_end
    groups.append((group_start, group_end))
    return groups


def _closer_to_target(
    group_start: int, group_end: int, span_end: int, target: int
) -> bool:
    # Close the group before this sentence when that leaves it nearer to the target.
    return target - (group_end - group_start) <= (span_end - group_start) - target
