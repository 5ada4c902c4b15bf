"""Pairing of reworded provisions that keep their section and their place.

A clause rewritten in place ("We store your chat transcripts for 45 days after you
close a chat" to "We store your chat transcripts with no time limit.") can fall below
the global similarity threshold, although it sits under the same heading between the
same neighbours. This step pairs such texts. It only looks at provisions that the
earlier steps left unpaired, and only between two consecutive anchors, which are pairs
in the same order in both versions. Within one such gap, when a heading has as many
unpaired texts in the new version as in the old one, it pairs them in order. A pair
needs a lower similarity than the global threshold but enough shared content words,
so a clause replaced by one on another topic stays removed and added.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from rapidfuzz import fuzz

# The floors below were set by reading the pairs they admit on the Open Terms Archive
# histories of 39 platforms (docs/benchmarks-tracking.md, "Reworded provisions").

#: Minimum rapidfuzz ratio of the two comparison keys, against 0.6 for texts paired
#: anywhere in the document. On the corpus, the clauses reworded in place scored 0.35
#: or more, and the two unrelated texts met in groups of equal size scored 0.10 and
#: 0.18.
MIN_ALIGNED_SIMILARITY = 0.35

#: Minimum share of the content words of the text with fewer of them that the other
#: text contains. On the corpus, a clause and an unrelated one that took its place
#: under the same heading shared at most 56%.
MIN_WORD_CONTAINMENT = 0.6

#: Minimum number of distinct content words the two texts share, so that short texts
#: such as prices ("$2.14" and "$2.13") are never paired by one common word.
MIN_SHARED_WORDS = 2

_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_WORD = re.compile(r"[^\W_]+")

# Function words carry no topic, so two texts that share only these are unrelated.
# Texts are casefolded before the lookup.
_FUNCTION_WORDS = frozenset(
    """
    a about after all also am an and any are as at be been before being but by can
    could did do does for from had has have he her his how i if in into is it its
    may me might more most must my no nor not of on or other our ours out over own
    shall she should so some such than that the their them then there these they
    this those through to under until up upon us was we were what when where which
    while who whom why will with within without would you your yours
    """.split()
)


def align_in_place(
    previous_keys: Sequence[str | None],
    current_keys: Sequence[str | None],
    previous_headings: Sequence[tuple[str, ...]],
    current_headings: Sequence[tuple[str, ...]],
    pairs: dict[int, tuple[int, float]],
) -> None:
    """Pair unpaired texts that keep their heading and their place between anchors.

    ``previous_keys`` and ``current_keys`` hold the comparison key of each text that
    the exact step left unpaired, and None for the others. ``pairs`` maps a current
    index to its previous index and similarity, and gains the new pairs.

    Within one gap between anchors, the unpaired texts of one heading are paired in
    order, the first with the first and so on. This happens only when both versions
    have the same number of them, so each text keeps its place among its unpaired
    neighbours. A pair is kept only when its texts are ``related`` and their
    rapidfuzz ratio is at least ``MIN_ALIGNED_SIMILARITY``. That ratio becomes the
    pair's similarity.
    """
    paired_previous = {previous_index for previous_index, _ in pairs.values()}
    gaps = _gaps(pairs, len(previous_keys), len(current_keys))
    for previous_gap, current_gap in gaps:
        open_previous = [i for i in previous_gap if i not in paired_previous]
        open_current = [i for i in current_gap if i not in pairs]
        by_heading: dict[tuple[str, ...], tuple[list[int], list[int]]] = {}
        for index in open_previous:
            by_heading.setdefault(previous_headings[index], ([], []))[0].append(index)
        for index in open_current:
            if current_headings[index] in by_heading:
                by_heading[current_headings[index]][1].append(index)
        for group_previous, group_current in by_heading.values():
            if len(group_previous) != len(group_current):
                # Texts added or removed among them leave each text's counterpart
                # uncertain, and pairing them in order paired unrelated clauses.
                continue
            for previous_index, current_index in zip(
                group_previous, group_current, strict=True
            ):
                similarity = _similarity_if_related(
                    previous_keys[previous_index] or "",
                    current_keys[current_index] or "",
                )
                if similarity is not None:
                    pairs[current_index] = (previous_index, similarity)


def _gaps(
    pairs: dict[int, tuple[int, float]], previous_count: int, current_count: int
) -> list[tuple[range, range]]:
    """Return the index ranges between consecutive in-order anchors, in both versions.

    The anchors are one longest chain of pairs whose previous indexes increase with
    their current indexes. A moved clause is paired but is no anchor, so the clauses
    around its old and new places are still compared.
    """
    current_indexes = sorted(pairs)
    previous_indexes = [pairs[index][0] for index in current_indexes]
    chain = _longest_increasing_chain(previous_indexes)
    anchors = [(-1, -1)]
    anchors += [(current_indexes[i], previous_indexes[i]) for i in chain]
    anchors.append((current_count, previous_count))

    gaps = []
    for (current_start, previous_start), (current_end, previous_end) in zip(
        anchors, anchors[1:], strict=False
    ):
        previous_gap = range(previous_start + 1, previous_end)
        current_gap = range(current_start + 1, current_end)
        if previous_gap and current_gap:
            gaps.append((previous_gap, current_gap))
    return gaps


def _longest_increasing_chain(values: Sequence[int]) -> list[int]:
    """Return the indexes of one longest strictly increasing subsequence of values."""
    tail_values: list[int] = []
    tail_indexes: list[int] = []
    predecessors = [-1] * len(values)
    for index, value in enumerate(values):
        length = bisect.bisect_left(tail_values, value)
        if length > 0:
            predecessors[index] = tail_indexes[length - 1]
        if length == len(tail_values):
            tail_values.append(value)
            tail_indexes.append(index)
        else:
            tail_values[length] = value
            tail_indexes[length] = index
    chain = []
    index = tail_indexes[-1] if tail_indexes else -1
    while index != -1:
        chain.append(index)
        index = predecessors[index]
    chain.reverse()
    return chain


def _similarity_if_related(previous_key: str, current_key: str) -> float | None:
    """Return the similarity of two keys, or None when they are not one clause."""
    if not related(content_words(previous_key), content_words(current_key)):
        return None
    similarity = fuzz.ratio(previous_key, current_key) / 100
    if similarity < MIN_ALIGNED_SIMILARITY:
        return None
    return min(similarity, 0.999)


def content_words(key: str) -> frozenset[str]:
    """Return the distinct content words of a comparison key, without link targets.

    Link targets and URLs are dropped because a changed URL scheme would otherwise
    make two unrelated texts look alike. A plural "s" is dropped, so "conversation"
    and "conversations" count as one word.
    """
    text = _URL.sub(" ", _LINK_TARGET.sub("] ", key))
    words = set()
    for word in _WORD.findall(text):
        if word in _FUNCTION_WORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return frozenset(words)


def related(old_words: frozenset[str], new_words: frozenset[str]) -> bool:
    """Tell whether two texts share enough content words to be one clause reworded."""
    shared = len(old_words & new_words)
    if shared < MIN_SHARED_WORDS:
        return False
    return shared >= MIN_WORD_CONTAINMENT * min(len(old_words), len(new_words))
