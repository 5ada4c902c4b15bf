"""The practice cues of the stance-aware clause types, read from ``stance_cues.yaml``.

Each entry lists the ``practice`` patterns that find a mention of the clause type's
practice. An optional ``about`` list names what the practice must bear on: a mention
counts only in a sentence that one of its patterns finds. Collecting data is a
practice of the children's data type only where the sentence is about children.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from clausewatch.taxonomy import Taxonomy, default_taxonomy
from clausewatch.taxonomy.reading import TaxonomyFileError, read_yaml

CUES_FILE = Path(__file__).resolve().parent / "stance_cues.yaml"

_TOP_KEYS = frozenset({"clause_types", "cue_sets"})
_ENTRY_KEYS = frozenset({"practice", "about"})


@dataclass(frozen=True)
class StanceCues:
    """The practice cues of each stance-aware clause type.

    ``about`` holds, for the clause types that have one, the pattern that a
    mention's sentence must match to count.
    """

    patterns: Mapping[str, re.Pattern[str]]
    about: Mapping[str, re.Pattern[str]] = field(default_factory=dict)

    @property
    def clause_type_ids(self) -> frozenset[str]:
        return frozenset(self.patterns)


@cache
def default_stance_cues() -> StanceCues:
    """Load the bundled cue file once, checked against the bundled taxonomy."""
    return load_stance_cues(CUES_FILE, default_taxonomy())


def load_stance_cues(path: Path, taxonomy: Taxonomy) -> StanceCues:
    """Read and validate a cue file; raise TaxonomyFileError naming file and field."""
    document = read_yaml(path)
    if not isinstance(document, dict) or not isinstance(
        document.get("clause_types"), dict
    ):
        raise TaxonomyFileError(
            path,
            "top level must be a mapping with a 'clause_types' mapping of clause "
            "type ids to their cues",
            field="clause_types",
        )
    unknown_keys = sorted(str(key) for key in document if key not in _TOP_KEYS)
    if unknown_keys:
        raise TaxonomyFileError(
            path,
            f"unknown top-level key(s) {', '.join(unknown_keys)}; "
            f"use only {', '.join(sorted(_TOP_KEYS))}",
        )
    patterns: dict[str, re.Pattern[str]] = {}
    about: dict[str, re.Pattern[str]] = {}
    for clause_type_id, raw in document["clause_types"].items():
        entry = _EntryReader(path, str(clause_type_id))
        entry.check(raw, taxonomy)
        patterns[entry.clause_type_id] = entry.compile(raw["practice"], "practice")
        if "about" in raw:
            about[entry.clause_type_id] = entry.compile(raw["about"], "about")
    return StanceCues(patterns, about)


@dataclass(frozen=True)
class _EntryReader:
    """Validator of one clause type's entry, which names the entry in every error."""

    path: Path
    clause_type_id: str

    def fail(self, problem: str, field: str) -> TaxonomyFileError:
        return TaxonomyFileError(
            self.path,
            problem,
            entry="clause type",
            entry_id=self.clause_type_id,
            field=field,
        )

    def check(self, raw: Any, taxonomy: Taxonomy) -> None:
        if self.clause_type_id not in taxonomy.clause_types:
            raise self.fail(
                "is not a clause type of the taxonomy; fix the id or remove the entry",
                "clause_types",
            )
        if not isinstance(raw, dict) or "practice" not in raw or set(raw) - _ENTRY_KEYS:
            raise self.fail(
                "must be a mapping with a 'practice' list and an optional 'about' list",
                "practice",
            )

    def compile(self, items: Any, name: str) -> re.Pattern[str]:
        """Join a list of regular expressions into one case-insensitive pattern."""
        if not isinstance(items, list) or not items:
            raise self.fail("must be a non-empty list of regular expressions", name)
        for index, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                raise self.fail("must be a non-empty string", f"{name}[{index}]")
            try:
                re.compile(item)
            except re.error as error:
                raise self.fail(
                    f"is not a valid regular expression ({error}); fix the pattern",
                    f"{name}[{index}]",
                ) from error
        joined = "|".join(f"(?:{item.strip()})" for item in items)
        return re.compile(joined, re.IGNORECASE)
