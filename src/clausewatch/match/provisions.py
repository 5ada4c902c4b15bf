"""Match a version's provisions to the previous version's, so clauses keep identity."""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from clausewatch.match.alignment import align_in_place

#: Weight of the position prior: a candidate at the far end of the document loses
#: this much of its similarity when greedy matching ranks candidates.
POSITION_WEIGHT = 0.1

_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+", re.MULTILINE)
_LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_MARKUP_TO_SPACE = str.maketrans(dict.fromkeys("*_`#>|\\", " "))


@dataclass(frozen=True)
class Match:
    """The previous provision, if any, that a current provision continues."""

    current_index: int
    previous_index: int | None  # None: a new provision
    similarity: float  # 0 to 1; 1.0 for identical text


# Texts left unpaired in one version are often unpaired in the next one too, as
# previous texts, so the keys of the latest texts are kept.
@functools.lru_cache(maxsize=4096)
def comparison_key(text: str) -> str:
    """Reduce a provision to the words that matter for matching.

    Case, whitespace, list markers, emphasis, escapes and table pipes are ignored.
    """
    text = unicodedata.normalize("NFKC", text)
    if "<" in text:
        text = _LINE_BREAK_TAG.sub(" ", text)
    text = _LIST_MARKER.sub(" ", text).translate(_MARKUP_TO_SPACE)
    return " ".join(text.split()).casefold()


def match_provisions(
    previous: Sequence[str],
    current: Sequence[str],
    *,
    threshold: float = 0.6,
    previous_headings: Sequence[Sequence[str]] | None = None,
    current_headings: Sequence[Sequence[str]] | None = None,
) -> list[Match]:
    """Match each current provision to at most one previous provision.

    Each step works on what the earlier steps left unmatched. First come identical
    texts that occur once in each version, then identical texts that repeat, paired
    by nearest expected position, then texts equal after ``comparison_key``. Next
    come similar texts, taken greedily by similarity minus a position penalty, one
    to one. Similar means a rapidfuzz ratio of at least ``threshold`` and a Dice
    overlap of words and word pairs of at least ``MIN_WORD_DICE``. A moved clause
    keeps its match.

    With the heading path of every provision (``previous_headings`` and
    ``current_headings``, one per text), a last step pairs texts reworded in place:
    under the same heading, in the same order between pairs found so far, and
    sharing enough content words, at any similarity (see ``align_in_place``).
    Without headings that step is skipped. Returns one Match per current item, in
    order. Raises ValueError when a heading list differs in length from its texts.
    """
    if not 0 <= threshold <= 1:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
    headings = _heading_keys(previous, current, previous_headings, current_headings)
    if not previous:
        # A first version: nothing to match, and no comparison keys to compute.
        return [Match(index, None, 0.0) for index in range(len(current))]
    pairs: dict[int, tuple[int, float]] = {}
    _match_exact(previous, current, pairs)
    # Most texts are paired by the exact step, so keys are computed for the rest
    # only: the later steps never read the key of a paired text.
    taken = {previous_index for previous_index, _ in pairs.values()}
    previous_keys = _open_keys(previous, taken)
    current_keys = _open_keys(current, pairs.keys())
    _match_exact(previous_keys, current_keys, pairs)
    _score_key_matches(previous, current, pairs)
    _match_similar(previous_keys, current_keys, pairs, threshold)
    if headings is not None:
        align_in_place(previous_keys, current_keys, *headings, pairs)
    return [
        Match(index, *pairs[index]) if index in pairs else Match(index, None, 0.0)
        for index in range(len(current))
    ]


def _heading_keys(
    previous: Sequence[str],
    current: Sequence[str],
    previous_headings: Sequence[Sequence[str]] | None,
    current_headings: Sequence[Sequence[str]] | None,
) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]] | None:
    """Return both versions' heading paths as comparison keys, or None if not given.

    Headings compare like texts, so a heading that only gained emphasis or a
    different case still counts as the same section.
    """
    if previous_headings is None and current_headings is None:
        return None
    if previous_headings is None or current_headings is None:
        raise ValueError(
            "give previous_headings and current_headings together, or neither"
        )
    for name, texts, paths in (
        ("previous_headings", previous, previous_headings),
        ("current_headings", current, current_headings),
    ):
        if len(paths) != len(texts):
            raise ValueError(
                f"{name} has {len(paths)} heading paths for {len(texts)} texts; "
                "give one heading path per provision"
            )
    return (
        [tuple(map(comparison_key, path)) for path in previous_headings],
        [tuple(map(comparison_key, path)) for path in current_headings],
    )


def _open_keys(texts: Sequence[str], paired: Collection[int]) -> list[str | None]:
    """Return the comparison key of each text, or None for a paired one."""
    return [
        None if index in paired else comparison_key(text)
        for index, text in enumerate(texts)
    ]


def _score_key_matches(
    previous: Sequence[str], current: Sequence[str], pairs: dict[int, tuple[int, float]]
) -> None:
    # Texts equal only after comparison_key differ in formatting: score the raw texts.
    for current_index, (previous_index, _) in list(pairs.items()):
        if previous[previous_index] != current[current_index]:
            similarity = fuzz.ratio(previous[previous_index], current[current_index])
            pairs[current_index] = (previous_index, min(similarity / 100, 0.999))


def _match_exact(
    previous: Sequence[str | None],
    current: Sequence[str | None],
    pairs: dict[int, tuple[int, float]],
) -> None:
    taken = {previous_index for previous_index, _ in pairs.values()}
    previous_positions: dict[str, list[int]] = defaultdict(list)
    for index, text in enumerate(previous):
        if index not in taken and text is not None:
            previous_positions[text].append(index)
    current_positions: dict[str, list[int]] = defaultdict(list)
    for index, text in enumerate(current):
        if index not in pairs and text is not None and text in previous_positions:
            current_positions[text].append(index)

    repeated: list[tuple[list[int], list[int]]] = []
    for text, current_indexes in current_positions.items():
        previous_indexes = previous_positions[text]
        if len(current_indexes) == 1 and len(previous_indexes) == 1:
            pairs[current_indexes[0]] = (previous_indexes[0], 1.0)
        else:
            repeated.append((previous_indexes, current_indexes))

    anchors = _Anchors(pairs, len(previous), len(current))
    for previous_indexes, current_indexes in repeated:
        _pair_by_position(previous_indexes, current_indexes, anchors, pairs)


def _pair_by_position(
    previous_indexes: list[int],
    current_indexes: list[int],
    anchors: _Anchors,
    pairs: dict[int, tuple[int, float]],
) -> None:
    candidates = sorted(
        (
            abs(anchors.expected(current_index) - previous_index),
            current_index,
            previous_index,
        )
        for current_index in current_indexes
        for previous_index in previous_indexes
    )
    used: set[int] = set()
    for _, current_index, previous_index in candidates:
        if current_index not in pairs and previous_index not in used:
            pairs[current_index] = (previous_index, 1.0)
            used.add(previous_index)


class _Anchors:
    """Expected previous position of a current provision, from matches around it."""

    def __init__(
        self,
        pairs: dict[int, tuple[int, float]],
        previous_count: int,
        current_count: int,
    ) -> None:
        self._current = sorted(pairs)
        self._previous = [pairs[index][0] for index in self._current]
        self._scale = previous_count / max(current_count, 1)

    def expected(self, current_index: int) -> float:
        """Interpolate between the nearest matched neighbours, else scale the index."""
        slot = bisect.bisect_left(self._current, current_index)
        if slot < len(self._current) and self._current[slot] == current_index:
            return float(self._previous[slot])
        before = slot - 1 if slot > 0 else None
        after = slot if slot < len(self._current) else None
        if before is not None and after is not None:
            span = self._current[after] - self._current[before]
            fraction = (current_index - self._current[before]) / span
            low, high = self._previous[before], self._previous[after]
            return low + fraction * (high - low)
        if before is not None:
            return self._previous[before] + (current_index - self._current[before])
        if after is not None:
            return self._previous[after] - (self._current[after] - current_index)
        return current_index * self._scale


def _match_similar(
    previous_keys: Sequence[str | None],
    current_keys: Sequence[str | None],
    pairs: dict[int, tuple[int, float]],
    threshold: float,
) -> None:
    taken = {previous_index for previous_index, _ in pairs.values()}
    open_previous = [i for i in range(len(previous_keys)) if i not in taken]
    open_current = [i for i in range(len(current_keys)) if i not in pairs]
    if not open_previous or not open_current:
        return

    # NumPy and the candidate filter (SciPy) load only when texts are left unpaired,
    # which a tracking run of unchanged or new documents never reaches.
    import numpy as np

    from clausewatch.match.candidates import shared_word_pairs

    # Open indexes are unpaired, so each has a key.
    current_texts = [current_keys[i] or "" for i in open_current]
    previous_texts = [previous_keys[i] or "" for i in open_previous]
    rows, columns = shared_word_pairs(current_texts, previous_texts)
    cutoff = threshold * 100
    similarity = np.array(
        [
            fuzz.ratio(current_texts[row], previous_texts[column], score_cutoff=cutoff)
            for row, column in zip(rows.tolist(), columns.tolist(), strict=True)
        ],
        dtype=np.float64,
    )
    similar = similarity > 0 if cutoff > 0 else np.ones(len(rows), dtype=bool)
    rows, columns, similarity = (
        rows[similar],
        columns[similar],
        similarity[similar] / 100,
    )
    if len(rows) == 0:
        return

    anchors = _Anchors(pairs, len(previous_keys), len(current_keys))
    expected = np.array([anchors.expected(index) for index in open_current])
    distance = np.abs(expected[rows] - np.array(open_previous)[columns])
    ranking = similarity - POSITION_WEIGHT * distance / max(len(previous_keys), 1)

    used_current: set[int] = set()
    used_previous: set[int] = set()
    for position in np.argsort(-ranking, kind="stable"):
        row, column = int(rows[position]), int(columns[position])
        if row in used_current or column in used_previous:
            continue
        used_current.add(row)
        used_previous.add(column)
        pairs[open_current[row]] = (open_previous[column], float(similarity[position]))
