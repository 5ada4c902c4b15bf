"""Measured classifier accuracy for the methodology page, read from evaluation files.

``clausewatch eval DATASET --json`` prints an evaluation report. Saved as
``<data dir>/models/evaluation-<name>.json``, it is listed on the methodology page, so
the page shows measured figures and never typed-in ones.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SpaceScores:
    """Micro and macro averages of one label space of an evaluation."""

    name: str
    micro: dict[str, float]
    macro: dict[str, float]


@dataclass(frozen=True)
class AccuracyReport:
    """One saved evaluation of the classifier on a labelled data set."""

    file: str
    dataset: str
    split: str
    classifier_version: str
    records: int
    sentences_per_second: float
    spaces: tuple[SpaceScores, ...]


def classifier_accuracy(model_dir: Path) -> list[AccuracyReport]:
    """Read every ``evaluation*.json`` report in the model folder; skip invalid ones."""
    reports = []
    for path in sorted(model_dir.glob("evaluation*.json")):
        try:
            reports.append(_report(path, json.loads(path.read_text("utf-8"))))
        except (OSError, ValueError, KeyError, TypeError) as error:
            logger.warning("skipped evaluation report %s: %s", path, error)
    return reports


def _report(path: Path, data: dict[str, Any]) -> AccuracyReport:
    return AccuracyReport(
        file=path.name,
        dataset=str(data["dataset"]),
        split=str(data["split"]),
        classifier_version=str(data["classifier_version"]),
        records=int(data["records"]),
        sentences_per_second=float(data.get("sentences_per_second", 0.0)),
        spaces=tuple(
            SpaceScores(name=name, micro=space["micro"], macro=space["macro"])
            for name, space in data["spaces"].items()
        ),
    )
