"""Measured classifier accuracy and methodology documents for the methodology page.

``clausewatch eval DATASET --json`` prints an evaluation report. Saved as
``<data dir>/models/evaluation-<name>.json``, it is listed on the methodology page. The
repository's methodology and classifier benchmark documents under docs/ are rendered
at /methodology/<name>, so the page shows measured figures and never typed-in ones.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import markdown

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
    """Read every ``evaluation*.json`` report in the model folder, skipping bad ones."""
    reports = []
    for path in sorted(model_dir.glob("evaluation*.json")):
        try:
            reports.append(_report(path, json.loads(path.read_text("utf-8"))))
        except (OSError, ValueError, KeyError, TypeError) as error:
            logger.warning(
                "skipped evaluation report %s: %s; save it again from clausewatch eval",
                path,
                error,
            )
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


# -- the methodology documents of the repository -------------------------------------

#: Documents under docs/ that the methodology page links, by the name in their URL.
DOCUMENTS = {
    "figures": "methodology-figures.md",
    "severity": "methodology-severity.md",
    "stance": "methodology-stance.md",
    "classifier": "benchmarks-classifier.md",
}
# docs/ sits beside src/ in a source checkout; an installed package has no docs/.
DOCS_DIR = Path(__file__).resolve().parents[3] / "docs"
_HEADING = re.compile(r"#{1,6} ")


@dataclass(frozen=True)
class MethodDocument:
    """A methodology document rendered from the repository's Markdown."""

    name: str
    title: str
    html: str


def method_document(name: str, docs_dir: Path = DOCS_DIR) -> MethodDocument | None:
    """Render one of ``DOCUMENTS`` to HTML; return None for an unknown name or file."""
    file_name = DOCUMENTS.get(name)
    if file_name is None:
        return None
    path = docs_dir / file_name
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    return _render(path, stamp, name)


@lru_cache(maxsize=16)
def _render(path: Path, stamp: int, name: str) -> MethodDocument:
    # The modification time is part of the cache key, so an edited file is read again.
    lines = path.read_text("utf-8").splitlines()
    title = lines[0].lstrip("#").strip() if lines else name
    body = _headings_from_level_two(lines[1:] if lines else [])
    html = markdown.markdown("\n".join(body), extensions=["tables", "fenced_code"])
    return MethodDocument(name=name, title=title or name, html=html)


def _headings_from_level_two(lines: list[str]) -> list[str]:
    """Shift Markdown headings so the highest one is ``##``, below the page's h1."""
    in_code = False
    levels: list[int] = []
    for line in lines:
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and _HEADING.match(line):
            levels.append(len(line) - len(line.lstrip("#")))
    shift = 2 - min(levels, default=2)
    shifted = []
    in_code = False
    for line in lines:
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and _HEADING.match(line):
            level = len(line) - len(line.lstrip("#"))
            line = "#" * min(level + shift, 6) + line[level:]
        shifted.append(line)
    return shifted


def available_documents(docs_dir: Path = DOCS_DIR) -> list[MethodDocument]:
    """Render every methodology document present, in ``DOCUMENTS`` order."""
    found = (method_document(name, docs_dir) for name in DOCUMENTS)
    return [document for document in found if document is not None]
