"""Values that the diff stage takes and returns."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from clausewatch.errors import ClausewatchError

SEVERITIES = ("Low", "Medium", "High", "Critical")


class InvalidProvisionError(ClausewatchError, ValueError):
    """A provision given to the diff is malformed, or its key repeats in one version."""


class ChangeKind(StrEnum):
    """Kind of a change between two versions of one provision."""

    ADDED = "added"
    REMOVED = "removed"
    MODIFIED = "modified"
    MOVED = "moved"
    RECLASSIFIED = "reclassified"


@dataclass(frozen=True)
class ProvisionState:
    """One provision as it appears in one document version.

    Sets and lists given for ``clause_types`` and ``heading_path`` are converted to a
    frozenset and a tuple, so states stay hashable.
    """

    key: str
    position: int
    heading_path: tuple[str, ...]
    text: str
    clause_types: frozenset[str] = field(default_factory=frozenset)
    severity: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key:
            raise InvalidProvisionError(
                f"invalid provision key {self.key!r}: expected a non-empty record ID "
                "such as 'P-00012V'; assign keys by matching before diffing"
            )
        if not isinstance(self.text, str):
            raise InvalidProvisionError(
                f"invalid text of provision {self.key}: expected str, got "
                f"{type(self.text).__name__}; pass the provision's Markdown text"
            )
        if self.severity is not None and self.severity not in SEVERITIES:
            raise InvalidProvisionError(
                f"invalid severity {self.severity!r} of provision {self.key}: expected "
                f"one of {', '.join(SEVERITIES)} or None"
            )
        for name in ("heading_path", "clause_types"):
            if isinstance(getattr(self, name), str):
                raise InvalidProvisionError(
                    f"invalid {name} of provision {self.key}: expected a collection of "
                    f"strings, got the string {getattr(self, name)!r}; wrap it in a "
                    "tuple or set"
                )
        object.__setattr__(self, "heading_path", tuple(self.heading_path))
        object.__setattr__(self, "clause_types", frozenset(self.clause_types))


@dataclass(frozen=True)
class WordDiff:
    """Word-level differences between two texts.

    Each op is ``("equal" | "insert" | "delete", text)``. Joining the texts of the
    equal and delete ops rebuilds the old text exactly, and joining the equal and
    insert ops rebuilds the new one.
    """

    ops: tuple[tuple[str, str], ...]

    @property
    def old_text(self) -> str:
        """Text before the change, rebuilt from the ops."""
        return "".join(text for op, text in self.ops if op != "insert")

    @property
    def new_text(self) -> str:
        """Text after the change, rebuilt from the ops."""
        return "".join(text for op, text in self.ops if op != "delete")

    @property
    def changed(self) -> bool:
        """Whether any op inserts or deletes text."""
        return any(op != "equal" for op, _ in self.ops)

    def html(self) -> str:
        """Render the diff as HTML with ``<ins>`` and ``<del>``, escaping all text.

        Policy text may contain markup or script, so every piece goes through
        ``html.escape``. Newlines are kept, so callers style the container with
        ``white-space: pre-wrap`` to show line breaks.
        """
        parts: list[str] = []
        for op, text in self.ops:
            escaped = html.escape(text, quote=True)
            if op == "insert":
                parts.append(f"<ins>{escaped}</ins>")
            elif op == "delete":
                parts.append(f"<del>{escaped}</del>")
            else:
                parts.append(escaped)
        return "".join(parts)


@dataclass(frozen=True)
class ChangeSummary:
    """Structured, human-readable summary of one provision change.

    Clause types are IDs, sorted. ``terms_added`` and ``terms_removed`` are the key
    terms (content words and short noun phrases) that appear only in the new or only
    in the old text, most notable first.
    """

    kind: ChangeKind
    clause_types_before: tuple[str, ...]
    clause_types_after: tuple[str, ...]
    severity_before: str | None
    severity_after: str | None
    terms_added: tuple[str, ...]
    terms_removed: tuple[str, ...]
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as a JSON-ready dict, with the kind as a string."""
        return {
            "kind": self.kind.value,
            "clause_types_before": list(self.clause_types_before),
            "clause_types_after": list(self.clause_types_after),
            "severity_before": self.severity_before,
            "severity_after": self.severity_after,
            "terms_added": list(self.terms_added),
            "terms_removed": list(self.terms_removed),
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class ProvisionChange:
    """One change event for one provision between two versions.

    ``before`` is None for an added provision and ``after`` is None for a removed one.
    ``word_diff`` is set for modified provisions only. ``material`` is always the
    negation of ``cosmetic``.
    """

    key: str
    kind: ChangeKind
    cosmetic: bool
    before: ProvisionState | None
    after: ProvisionState | None
    word_diff: WordDiff | None
    summary: ChangeSummary

    @property
    def material(self) -> bool:
        """Whether the change can alter what the provision means."""
        return not self.cosmetic
