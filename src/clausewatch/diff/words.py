"""Word-level diff of two provision texts."""

from __future__ import annotations

import re

from diff_match_patch import diff_match_patch
from rapidfuzz.distance import Indel

from clausewatch.diff.models import WordDiff

# A word keeps its inner apostrophes ("don't", "user’s"), so a quote swap inside it
# changes one token only. Runs of whitespace and single symbols are tokens of their own.
TOKEN_PATTERN = re.compile(r"\w+(?:['’]\w+)*|\s+|[^\w\s]")

# Tokens are encoded as one private-use character each, so that a character-level
# algorithm diffs them as words. Private-use characters are neither letters nor
# spaces, which keeps diff-match-patch from shifting edits by character class.
_PRIVATE_USE_RANGES = ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD))
MAX_DISTINCT_TOKENS = sum(end - start + 1 for start, end in _PRIVATE_USE_RANGES)

_OP_NAMES = {
    diff_match_patch.DIFF_EQUAL: "equal",
    diff_match_patch.DIFF_INSERT: "insert",
    diff_match_patch.DIFF_DELETE: "delete",
}


def tokenize(text: str) -> list[str]:
    """Split text into words, whitespace runs and single symbols, losing nothing."""
    return TOKEN_PATTERN.findall(text)


def word_diff(a: str, b: str) -> WordDiff:
    """Compute the word-level diff that turns text ``a`` into text ``b``.

    The edit script is a longest common subsequence of tokens (rapidfuzz ``Indel``),
    cleaned up by diff-match-patch's semantic pass so that short equal runs between
    edits ("the", a space) merge into the edits and the diff reads as phrases.
    """
    if a == b:
        return WordDiff((("equal", a),) if a else ())
    tokens_a = tokenize(a)
    tokens_b = tokenize(b)
    vocabulary: dict[str, str] = {}
    encoded_a = _encode(tokens_a, vocabulary)
    encoded_b = _encode(tokens_b, vocabulary)
    if encoded_a is None or encoded_b is None:
        # Only a text of over a million distinct words gets here: show a replacement.
        return WordDiff(_whole_replacement(a, b))

    diffs: list[tuple[int, str]] = []
    for opcode in Indel.opcodes(encoded_a, encoded_b):
        if opcode.tag == "insert":
            diffs.append((1, encoded_b[opcode.dest_start : opcode.dest_end]))
        elif opcode.tag == "delete":
            diffs.append((-1, encoded_a[opcode.src_start : opcode.src_end]))
        else:
            diffs.append((0, encoded_a[opcode.src_start : opcode.src_end]))
    cleaner = diff_match_patch()
    cleaner.diff_cleanupSemantic(diffs)
    # The merge pass also orders each delete before its insert, as readers expect.
    cleaner.diff_cleanupMerge(diffs)

    decoding = {code: token for token, code in vocabulary.items()}
    ops = tuple(
        (_OP_NAMES[op], "".join(decoding[code] for code in text))
        for op, text in diffs
        if text
    )
    return WordDiff(ops)


def _encode(tokens: list[str], vocabulary: dict[str, str]) -> str | None:
    codes: list[str] = []
    for token in tokens:
        code = vocabulary.get(token)
        if code is None:
            if len(vocabulary) >= MAX_DISTINCT_TOKENS:
                return None
            code = _private_use_character(len(vocabulary))
            vocabulary[token] = code
        codes.append(code)
    return "".join(codes)


def _private_use_character(index: int) -> str:
    for start, end in _PRIVATE_USE_RANGES:
        size = end - start + 1
        if index < size:
            return chr(start + index)
        index -= size
    raise ValueError(f"token index {index} is beyond the private-use ranges")


def _whole_replacement(a: str, b: str) -> tuple[tuple[str, str], ...]:
    return tuple((op, text) for op, text in (("delete", a), ("insert", b)) if text)
