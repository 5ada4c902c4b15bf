"""Precision, recall and F1 per label, with micro and macro averages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


@dataclass(frozen=True)
class LabelMetrics:
    """Counts and scores of one label over a set of records."""

    label: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def support(self) -> int:
        """Records that carry the label."""
        return self.true_positives + self.false_negatives

    @property
    def precision(self) -> float:
        """Share of predicted labels that are right."""
        return _ratio(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        """Share of true labels that were predicted."""
        return _ratio(self.true_positives, self.support)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        return _ratio(2 * self.precision * self.recall, self.precision + self.recall)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.support,
            "predicted": self.true_positives + self.false_positives,
        }


@dataclass(frozen=True)
class MetricSpace:
    """Scores of one label space (clause types, or a data set's own categories)."""

    name: str
    method: str
    labels: tuple[LabelMetrics, ...]

    @property
    def scored(self) -> tuple[LabelMetrics, ...]:
        """Labels with at least one true record; macro averages use only these."""
        return tuple(metrics for metrics in self.labels if metrics.support)

    @property
    def micro(self) -> LabelMetrics:
        """Counts summed over all labels."""
        return LabelMetrics(
            "micro",
            sum(m.true_positives for m in self.labels),
            sum(m.false_positives for m in self.labels),
            sum(m.false_negatives for m in self.labels),
        )

    @property
    def macro_f1(self) -> float:
        """Unweighted mean F1 over the scored labels."""
        return float(np.mean([m.f1 for m in self.scored])) if self.scored else 0.0

    @property
    def macro_precision(self) -> float:
        """Unweighted mean precision over the scored labels."""
        return (
            float(np.mean([m.precision for m in self.scored])) if self.scored else 0.0
        )

    @property
    def macro_recall(self) -> float:
        """Unweighted mean recall over the scored labels."""
        return float(np.mean([m.recall for m in self.scored])) if self.scored else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        micro = self.micro
        return {
            "method": self.method,
            "labels": {m.label: m.to_dict() for m in self.labels},
            "micro": {
                "precision": round(micro.precision, 4),
                "recall": round(micro.recall, 4),
                "f1": round(micro.f1, 4),
            },
            "macro": {
                "precision": round(self.macro_precision, 4),
                "recall": round(self.macro_recall, 4),
                "f1": round(self.macro_f1, 4),
            },
        }


def score_labels(
    name: str,
    method: str,
    labels: Sequence[str],
    gold: Sequence[set[str]],
    predicted: Sequence[set[str]],
) -> MetricSpace:
    """Compare gold and predicted label sets record by record."""
    results = []
    for label in labels:
        true_positives = false_positives = false_negatives = 0
        for gold_set, predicted_set in zip(gold, predicted, strict=True):
            in_gold, in_predicted = label in gold_set, label in predicted_set
            true_positives += in_gold and in_predicted
            false_positives += in_predicted and not in_gold
            false_negatives += in_gold and not in_predicted
        results.append(
            LabelMetrics(label, true_positives, false_positives, false_negatives)
        )
    return MetricSpace(name, method, tuple(results))
