"""Word-level diff of two provision texts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from clausewatch.diff.models import WordDiff

# A word keeps its inner apostrophes ("don't", "user’s"), so a quote swap inside it
# changes one token only. Runs of whitespace and single symbols are tokens of their own.
TOKEN_PATTERN = re.compile(r"\w+(?:['’]\w+)*|\s+|[^\w\s]")


@dataclass
class _Edit:
    deleted: list[str] = field(default_factory=list)
    inserted: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return max(len(self.deleted), len(self.inserted))


def tokenize(text: str) -> list[str]:
    """Split text into words, whitespace runs and single symbols, losing nothing."""
    return TOKEN_PATTERN.findall(text)


def word_diff(a: str, b: str) -> WordDiff:
    """Compute the word-level diff that turns text ``a`` into text ``b``.

    The edit script is a longest common subsequence of tokens (rapidfuzz ``Indel``).
    An equal run between two edits that is no longer than either of them, such as a
    single space or "the", is folded into the edits, so the diff reads as phrases.
    """
    if a == b:
        return WordDiff((("equal", a),) if a else ())
    tokens_a = tokenize(a)
    tokens_b = tokenize(b)

    # Segments alternate between equal runs (lists of tokens) and edits.
    segments: list[list[str] | _Edit] = []
    for opcode in Indel.opcodes(tokens_a, tokens_b):
        if opcode.tag == "equal":
            segments.append(tokens_a[opcode.src_start : opcode.src_end])
            continue
        if not segments or not isinstance(segments[-1], _Edit):
            segments.append(_Edit())
        edit = segments[-1]
        assert isinstance(edit, _Edit)
        edit.deleted.extend(tokens_a[opcode.src_start : opcode.src_end])
        edit.inserted.extend(tokens_b[opcode.dest_start : opcode.dest_end])

    return WordDiff(tuple(_render(_fold_short_equalities(segments))))


def _fold_short_equalities(
    segments: list[list[str] | _Edit],
) -> list[list[str] | _Edit]:
    # One left-to-right pass, so the cost stays linear in the number of segments.
    # A folded run grows the edit on its left, which lets the next run fold too.
    folded: list[list[str] | _Edit] = []
    index = 0
    while index < len(segments):
        segment = segments[index]
        following = segments[index + 1] if index + 1 < len(segments) else None
        previous = folded[-1] if folded else None
        if (
            isinstance(segment, list)
            and isinstance(previous, _Edit)
            and isinstance(following, _Edit)
            and len(segment) <= min(previous.size, following.size)
        ):
            previous.deleted.extend(segment + following.deleted)
            previous.inserted.extend(segment + following.inserted)
            index += 2
            continue
        folded.append(segment)
        index += 1
    return folded


def _render(segments: list[list[str] | _Edit]) -> list[tuple[str, str]]:
    ops: list[tuple[str, str]] = []
    for segment in segments:
        if isinstance(segment, list):
            ops.append(("equal", "".join(segment)))
            continue
        if segment.deleted:
            ops.append(("delete", "".join(segment.deleted)))
        if segment.inserted:
            ops.append(("insert", "".join(segment.inserted)))
    return ops
