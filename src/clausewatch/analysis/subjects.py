"""Detect what data a provision is about, from the vocabulary in ``subjects.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from clausewatch.analysis.negation import is_negated
from clausewatch.errors import TaxonomyError

_VOCABULARY_FILE = "subjects.yaml"
#: Most subjects named in one what-it-is sentence; more would not read as a sentence.
MAX_SUBJECTS = 3


@dataclass(frozen=True)
class SubjectEntry:
    """One vocabulary entry: the noun phrase to show and the pattern that finds it."""

    name: str
    pattern: re.Pattern[str]
    generic: bool


@cache
def subject_vocabulary() -> tuple[SubjectEntry, ...]:
    """Load and compile the bundled subject vocabulary once."""
    text = resources.files(__package__).joinpath(_VOCABULARY_FILE).read_text("utf-8")
    return parse_vocabulary(yaml.safe_load(text), source=_VOCABULARY_FILE)


def parse_vocabulary(document: Any, *, source: str) -> tuple[SubjectEntry, ...]:
    """Validate a parsed vocabulary file; raise TaxonomyError naming the bad entry."""
    if not isinstance(document, dict) or not isinstance(document.get("subjects"), list):
        raise TaxonomyError(
            f"invalid subject vocabulary {source}: expected a mapping with a "
            "'subjects' list; restore the file from the package"
        )
    entries = []
    for position, item in enumerate(document["subjects"]):
        name = item.get("name") if isinstance(item, dict) else None
        patterns = item.get("patterns") if isinstance(item, dict) else None
        if not isinstance(name, str) or not isinstance(patterns, list) or not patterns:
            raise TaxonomyError(
                f"invalid subject vocabulary {source}: entry {position} needs a 'name' "
                "string and a non-empty 'patterns' list"
            )
        try:
            joined = "|".join(f"(?:{pattern})" for pattern in patterns)
            pattern = re.compile(rf"\b(?:{joined})\b", re.IGNORECASE)
        except re.error as error:
            raise TaxonomyError(
                f"invalid subject vocabulary {source}: entry {name!r} has a bad "
                f"pattern ({error}); fix the regular expression"
            ) from error
        entries.append(SubjectEntry(name, pattern, bool(item.get("generic", False))))
    return tuple(entries)


def detect_subjects(
    text: str,
    vocabulary: tuple[SubjectEntry, ...] | None = None,
    *,
    generic: bool = True,
) -> list[str]:
    """Return the subjects a text names, in order of first mention, at most three.

    Words claimed by an earlier vocabulary entry are not matched again, so "voice
    recordings" is one subject and not also "recordings". A negated mention ("we do
    not collect biometric data") does not count. Generic entries ("personal data")
    count only when no specific entry matched, and never when ``generic`` is false.
    """
    entries = subject_vocabulary() if vocabulary is None else vocabulary
    claimed: list[tuple[int, int]] = []
    found: dict[str, int] = {}
    generic_found: dict[str, int] = {}
    for entry in entries:
        for match in entry.pattern.finditer(text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in claimed):
                continue
            claimed.append(span)
            if is_negated(text, span[0]):
                continue
            target = generic_found if entry.generic else found
            target.setdefault(entry.name, span[0])
    chosen = found or (generic_found if generic else {})
    return sorted(chosen, key=chosen.__getitem__)[:MAX_SUBJECTS]


def join_subjects(names: list[str]) -> str:
    """Join names as English: "a", "a and b", "a, b and c"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
