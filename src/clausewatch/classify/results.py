"""Value types returned by the classifier."""

from __future__ import annotations

from dataclasses import dataclass

#: Possible origins of a label's confidence.
LABEL_SOURCES = frozenset({"pattern", "model", "examples"})


@dataclass(frozen=True)
class Label:
    """One clause type assigned to a text, with its confidence in [0, 1]."""

    clause_type_id: str
    confidence: float
    source: str


@dataclass(frozen=True)
class Classification:
    """The labels of one text, or an abstention.

    ``labels`` holds only the clause types at or above the threshold, highest confidence
    first. ``abstained`` is true when no label reached the threshold or the text was not
    classified at all (empty, too short or not English).
    """

    labels: tuple[Label, ...]
    language: str
    abstained: bool

    @property
    def clause_type_ids(self) -> tuple[str, ...]:
        """Clause type ids of the labels, highest confidence first."""
        return tuple(label.clause_type_id for label in self.labels)
