"""Edits of a word diff, and the words of a short edit as a sentence can quote them."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from clausewatch.diff.models import WordDiff
from clausewatch.diff.sentences import plain_text

#: Maximum length, in words, of each side of an edit that a summary quotes as it
#: reads ("Replaced 'You can turn this off' with 'This cannot be turned off'").
#: Longer edits are summarized by their key terms.
MAX_QUOTED_EDIT_WORDS = 12

#: Maximum number of edits that one summary sentence quotes.
MAX_QUOTED_EDITS = 2

_EDGE_PUNCTUATION = ".,;:!?\"'()[]“”‘’*_"


@dataclass(frozen=True)
class Edit:
    """One run of deleted and inserted text, with the unchanged text around it."""

    before: str
    deleted: str
    inserted: str
    after: str


def group_edits(diff: WordDiff) -> list[Edit]:
    """Group the ops between equal runs into edits, in text order."""
    edits: list[Edit] = []
    before = ""
    deleted: list[str] = []
    inserted: list[str] = []
    for op, text in (*diff.ops, ("equal", "")):
        if op == "delete":
            deleted.append(text)
        elif op == "insert":
            inserted.append(text)
        else:
            if deleted or inserted:
                edits.append(Edit(before, "".join(deleted), "".join(inserted), text))
                deleted, inserted = [], []
            before = text
    return edits


def quoted_sides(edit: Edit, term_words: Collection[str]) -> tuple[str, str] | None:
    """Return the old and new words of a short edit, widened to whole key terms.

    Words that both sides share at their ends are left out, because a word diff can
    fold unchanged words into an edit. The result is then widened by the unchanged
    words next to it that belong to one of the edit's key terms, given lowercased in
    ``term_words``, so the edit that turned "30" into "90" reads "30 days" and "90
    days". Returns None when either side is empty or longer than
    ``MAX_QUOTED_EDIT_WORDS`` words.
    """
    old = plain_text(edit.deleted).split()
    new = plain_text(edit.inserted).split()
    lead = 0
    while lead < min(len(old), len(new)) and _same_word(old[lead], new[lead]):
        lead += 1
    trail = 0
    while trail < min(len(old), len(new)) - lead and _same_word(
        old[-1 - trail], new[-1 - trail]
    ):
        trail += 1
    left = plain_text(edit.before).split() + old[:lead]
    right = old[len(old) - trail :] + plain_text(edit.after).split()
    old_core = old[lead : len(old) - trail]
    new_core = new[lead : len(new) - trail]

    words = set(term_words)
    while left and _bare(left[-1]) in words:
        word = left.pop()
        old_core.insert(0, word)
        new_core.insert(0, word)
    while right and _bare(right[0]) in words:
        word = right.pop(0)
        old_core.append(word)
        new_core.append(word)

    if not old_core or not new_core:
        return None
    if max(len(old_core), len(new_core)) > MAX_QUOTED_EDIT_WORDS:
        return None
    return plain_text(" ".join(old_core)), plain_text(" ".join(new_core))


def _bare(word: str) -> str:
    return word.strip(_EDGE_PUNCTUATION).lower()


def _same_word(a: str, b: str) -> bool:
    return _bare(a) == _bare(b)
