"""Precision, recall and F1 per label, with micro and macro averages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Name of the extra class that a record belongs to when it has none of the labels.
NO_LABEL = "(no label)"


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
    # The "no label" class: true for a record with none of the labels, predicted when
    # none of them is predicted. LexGLUE adds it to UNFAIR-ToS before macro-averaging
    # (compute_metrics in experiments/unfair_tos.py of coastalcph/lex-glue).
    no_label: LabelMetrics | None = None

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

    @property
    def macro_f1_with_no_label(self) -> float | None:
        """Unweighted mean F1 over the scored labels plus the "no label" class.

        None when the space was scored without that class.
        """
        if self.no_label is None:
            return None
        classes = [*self.scored, *([self.no_label] if self.no_label.support else [])]
        return float(np.mean([m.f1 for m in classes])) if classes else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        micro = self.micro
        extra: dict[str, Any] = {}
        if self.no_label is not None:
            extra["no_label"] = self.no_label.to_dict()
            extra["macro_with_no_label"] = {
                "f1": round(self.macro_f1_with_no_label or 0.0, 4)
            }
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
            **extra,
        }


def score_labels(
    name: str,
    method: str,
    labels: Sequence[str],
    gold: Sequence[set[str]],
    predicted: Sequence[set[str]],
    *,
    with_no_label: bool = False,
) -> MetricSpace:
    """Compare gold and predicted label sets record by record.

    ``with_no_label`` also scores the "no label" class (see ``MetricSpace.no_label``).
    """
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
    no_label = None
    if with_no_label:
        no_label = score_no_label(labels, gold, predicted)
    return MetricSpace(name, method, tuple(results), no_label)


def score_no_label(
    labels: Sequence[str],
    gold: Sequence[set[str]],
    predicted: Sequence[set[str]],
) -> LabelMetrics:
    """Count the "no label" class: records with none of ``labels``.

    Labels outside ``labels`` are ignored, so a record that carries only such a
    label belongs to the class.
    """
    counted = set(labels)
    true_positives = false_positives = false_negatives = 0
    for gold_set, predicted_set in zip(gold, predicted, strict=True):
        in_gold = not gold_set & counted
        in_predicted = not predicted_set & counted
        true_positives += in_gold and in_predicted
        false_positives += in_predicted and not in_gold
        false_negatives += in_gold and not in_predicted
    return LabelMetrics(NO_LABEL, true_positives, false_positives, false_negatives)
