"""Diff: compare two versions' provisions and summarize what changed.

Pure functions: provision lists in, change events out, with no storage, network or
external service.
"""

from clausewatch.diff.cosmetic import is_cosmetic
from clausewatch.diff.models import (
    ChangeKind,
    ChangeSummary,
    InvalidProvisionError,
    ProvisionChange,
    ProvisionState,
    WordDiff,
)
from clausewatch.diff.provisions import diff_provisions
from clausewatch.diff.sentences import MAX_SENTENCE_CHARS, document_change_sentence
from clausewatch.diff.words import word_diff

__all__ = [
    "MAX_SENTENCE_CHARS",
    "ChangeKind",
    "ChangeSummary",
    "InvalidProvisionError",
    "ProvisionChange",
    "ProvisionState",
    "WordDiff",
    "diff_provisions",
    "document_change_sentence",
    "is_cosmetic",
    "word_diff",
]
