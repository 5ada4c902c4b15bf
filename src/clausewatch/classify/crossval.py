"""Cross-validation by document: one model per fold, scores per fold and pooled.

Every document of each data set is held out exactly once. Fold ``k`` leaves out the
``k``-th fold of every data set at the same time, trains the product's model on the
rest with ``train`` and scores the left-out records with ``evaluate_records``. Pooled
figures add up the true positive, false positive and false negative counts of all
folds, which gives the same F1 as pooling the predictions of every record.
"""

from __future__ import annotations

import logging
import statistics
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clausewatch.classify.classifier import Classifier
from clausewatch.classify.evaluation import EvalReport, evaluate_records
from clausewatch.classify.labelled import (
    LabelledRecord,
    assign_folds,
    dataset_file,
    load_mapping,
    load_records,
)
from clausewatch.classify.metrics import LabelMetrics, MetricSpace
from clausewatch.classify.stacking import FAST, TextEncoder
from clausewatch.classify.training import DEFAULT_SEED, available_datasets, train
from clausewatch.settings import Settings

logger = logging.getLogger(__name__)

#: Figures summarised over folds, by name, for every label space.
FOLD_FIGURES: dict[str, Callable[[MetricSpace], float | None]] = {
    "macro_f1": lambda space: space.macro_f1,
    "micro_f1": lambda space: space.micro.f1,
    "macro_f1_with_no_label": lambda space: space.macro_f1_with_no_label,
}


@dataclass
class FoldResult:
    """One fold: the model trained without it and its scores on every data set."""

    fold: int
    version: str
    train_seconds: float
    reports: dict[str, EvalReport]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form with the fold's figures (not its per-label tables)."""
        return {
            "fold": self.fold,
            "version": self.version,
            "train_seconds": round(self.train_seconds, 1),
            "datasets": {
                name: {
                    "documents": report.documents,
                    "records": report.records,
                    "spaces": {
                        space.name: _fold_figures(space) for space in report.spaces
                    },
                }
                for name, report in self.reports.items()
            },
        }


@dataclass
class CrossValidationReport:
    """Per-fold and pooled scores of a cross-validation run."""

    folds: int
    seed: int
    model: str
    results: list[FoldResult] = field(default_factory=list)

    @property
    def datasets(self) -> list[str]:
        """Names of the scored data sets."""
        return list(self.results[0].reports) if self.results else []

    def pooled(self, dataset: str) -> list[MetricSpace]:
        """Label spaces of ``dataset`` with the counts of all folds added up."""
        per_fold = [result.reports[dataset].spaces for result in self.results]
        return [pool_spaces(list(spaces)) for spaces in zip(*per_fold, strict=True)]

    def summary(self, dataset: str) -> dict[str, dict[str, dict[str, Any]]]:
        """Mean, sample standard deviation and fold values of each figure."""
        per_fold = [result.reports[dataset].spaces for result in self.results]
        summary: dict[str, dict[str, dict[str, Any]]] = {}
        for spaces in zip(*per_fold, strict=True):
            figures = {}
            for figure, read in FOLD_FIGURES.items():
                values = [read(space) for space in spaces]
                if any(value is None for value in values):
                    continue
                figures[figure] = _spread([float(v) for v in values if v is not None])
            summary[spaces[0].name] = figures
        return summary

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: folds, summaries over folds and pooled per-label scores."""
        return {
            "folds": self.folds,
            "seed": self.seed,
            "model": self.model,
            "fold_results": [result.to_dict() for result in self.results],
            "summary": {name: self.summary(name) for name in self.datasets},
            "pooled": {
                name: {space.name: space.to_dict() for space in self.pooled(name)}
                for name in self.datasets
            },
        }


def pool_spaces(spaces: Sequence[MetricSpace]) -> MetricSpace:
    """Add up the counts of the same label space scored on disjoint records."""
    first = spaces[0]
    labels = tuple(
        _sum_metrics([space.labels[index] for space in spaces])
        for index in range(len(first.labels))
    )
    no_label = None
    if first.no_label is not None:
        no_label = _sum_metrics([space.no_label for space in spaces if space.no_label])
    return MetricSpace(first.name, first.method, labels, no_label)


def _sum_metrics(metrics: Sequence[LabelMetrics]) -> LabelMetrics:
    return LabelMetrics(
        metrics[0].label,
        sum(m.true_positives for m in metrics),
        sum(m.false_positives for m in metrics),
        sum(m.false_negatives for m in metrics),
    )


def _fold_figures(space: MetricSpace) -> dict[str, float]:
    figures = {}
    for figure, read in FOLD_FIGURES.items():
        value = read(space)
        if value is not None:
            figures[figure] = round(value, 4)
    return figures


def _spread(values: list[float]) -> dict[str, Any]:
    return {
        "mean": round(statistics.mean(values), 4),
        "sd": round(statistics.stdev(values), 4) if len(values) > 1 else 0.0,
        "folds": [round(value, 4) for value in values],
    }


def cross_validate(
    labels_dir: Path,
    *,
    folds: int = 5,
    seed: int = DEFAULT_SEED,
    model: str = FAST,
    datasets: list[str] | None = None,
    encoder: TextEncoder | None = None,
) -> CrossValidationReport:
    """Train one model per fold and score the documents it did not see.

    Documents are dealt to folds per data set with ``assign_folds(seed=seed)``. Each
    model is written to a temporary folder and deleted after scoring. Raises
    LabelledDataError when a data set has fewer documents than ``folds``.
    """
    names = datasets or available_datasets(labels_dir)
    records: dict[str, list[LabelledRecord]] = {}
    fold_of: dict[str, dict[str, int]] = {}
    for name in names:
        mapping = load_mapping(name)
        records[name] = load_records(dataset_file(labels_dir / name), mapping)
        fold_of[name] = assign_folds(
            (record.doc for record in records[name]), folds=folds, seed=seed
        )

    report = CrossValidationReport(folds=folds, seed=seed, model=model)
    for fold in range(folds):
        held_out = {
            name: {doc for doc, index in fold_of[name].items() if index == fold}
            for name in names
        }
        with tempfile.TemporaryDirectory() as data_dir:
            settings = Settings(data_dir=Path(data_dir))
            trained = train(
                labels_dir,
                settings.model_dir,
                seed=seed,
                datasets=names,
                model=model,
                encoder=encoder,
                held_out=held_out,
            )
            classifier = Classifier.load(settings)
            reports = {
                name: evaluate_records(
                    load_mapping(name),
                    [r for r in records[name] if r.doc in held_out[name]],
                    classifier,
                    split=f"fold {fold + 1} of {folds}",
                    seed=seed,
                )
                for name in names
            }
        report.results.append(
            FoldResult(fold + 1, trained.version, trained.seconds, reports)
        )
        logger.info("cross-validation fold %d of %d done", fold + 1, folds)
    return report
