"""``evaluate``: score a classifier on a labelled JSONL data set."""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from rich.table import Table

from clausewatch.classify.classifier import Classifier, Scores
from clausewatch.classify.labelled import (
    DatasetMapping,
    LabelledDataError,
    LabelledRecord,
    dataset_file,
    identity_mapping,
    labels_in,
    load_mapping,
    load_records,
    mappings_folder,
    read_mapping,
    split_records,
)
from clausewatch.classify.metrics import NO_LABEL, MetricSpace, score_labels
from clausewatch.classify.stacking import FAST
from clausewatch.classify.training import DEFAULT_SEED, DEFAULT_VALIDATION_FRACTION
from clausewatch.taxonomy import default_taxonomy

logger = logging.getLogger(__name__)

Split = Literal["validation", "all"]

#: Maximum number of unknown labels that the table lists. ``--json`` lists every one.
MAX_UNKNOWN_LABEL_ROWS = 20


@dataclass
class EvalReport:
    """Scores of one classifier on one data set."""

    dataset: str
    split: str
    seed: int
    classifier_version: str
    records: int
    documents: int
    seconds: float
    spaces: list[MetricSpace]
    accuracy: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # "fast" or "accurate" for a trained model, "fallback" without one.
    model: str = "fallback"
    # Labels of the evaluated records that the data set's mapping table does not
    # list, with the number of records carrying each, most frequent first.
    unknown_labels: dict[str, int] = field(default_factory=dict)

    @property
    def sentences_per_second(self) -> float:
        """Classification throughput over the whole evaluated split."""
        return self.records / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (for ``--json``)."""
        return {
            "dataset": self.dataset,
            "split": self.split,
            "seed": self.seed,
            "classifier_version": self.classifier_version,
            "model": self.model,
            "records": self.records,
            "documents": self.documents,
            "seconds": round(self.seconds, 3),
            "sentences_per_second": round(self.sentences_per_second, 1),
            "spaces": {space.name: space.to_dict() for space in self.spaces},
            "accuracy": {key: round(value, 4) for key, value in self.accuracy.items()},
            "notes": self.notes,
            "unknown_labels": self.unknown_labels,
        }

    def render_table(self) -> Table:
        """Per-label precision, recall and F1 of every label space as a rich Table."""
        table = Table(
            title=(
                f"{self.dataset} ({self.split}, seed {self.seed}): "
                f"{self.records} texts, {self.sentences_per_second:.0f} texts/s, "
                f"{self.model} model {self.classifier_version}"
            )
        )
        for column in ("space", "label", "P", "R", "F1", "support"):
            table.add_column(
                column, justify="left" if column in {"space", "label"} else "right"
            )
        for space in self.spaces:
            for metrics in space.labels:
                table.add_row(
                    space.name,
                    metrics.label,
                    f"{100 * metrics.precision:.1f}",
                    f"{100 * metrics.recall:.1f}",
                    f"{100 * metrics.f1:.1f}",
                    str(metrics.support),
                )
            micro = space.micro
            table.add_row(
                space.name,
                "micro",
                f"{100 * micro.precision:.1f}",
                f"{100 * micro.recall:.1f}",
                f"{100 * micro.f1:.1f}",
                str(micro.support),
            )
            with_no_label = space.macro_f1_with_no_label
            table.add_row(
                space.name,
                "macro",
                f"{100 * space.macro_precision:.1f}",
                f"{100 * space.macro_recall:.1f}",
                f"{100 * space.macro_f1:.1f}",
                "",
                end_section=with_no_label is None,
            )
            if with_no_label is not None:
                table.add_row(
                    space.name,
                    f"macro with {NO_LABEL}",
                    "",
                    "",
                    f"{100 * with_no_label:.1f}",
                    "",
                    end_section=True,
                )
        for key, value in self.accuracy.items():
            table.add_row("accuracy", key, "", "", f"{100 * value:.1f}", "")
        self._add_unknown_label_rows(table)
        return table

    def _add_unknown_label_rows(self, table: Table) -> None:
        """List the labels that no clause type maps, with their record counts."""
        listed = list(self.unknown_labels.items())[:MAX_UNKNOWN_LABEL_ROWS]
        if listed:
            table.add_section()
        for index, (label, count) in enumerate(listed):
            table.add_row(
                "unknown label" if index == 0 else "",
                label,
                "",
                "",
                "",
                str(count),
            )
        hidden = list(self.unknown_labels.values())[MAX_UNKNOWN_LABEL_ROWS:]
        if hidden:
            table.add_row(
                "",
                f"{len(hidden)} more labels in {sum(hidden)} records (see --json)",
                "",
                "",
                "",
                "",
            )


def evaluate(
    dataset: Path,
    classifier: Classifier,
    *,
    split: Split = "validation",
    seed: int | None = None,
    mapping_file: Path | None = None,
) -> EvalReport:
    """Classify a labelled data set and score the predictions.

    ``dataset`` is a folder ``<name>/`` holding ``<name>.jsonl`` or the file itself.
    Its labels are mapped by ``mapping_file`` when given, else by the bundled table
    of that name, else read as clause type ids. ``split="validation"`` scores the
    documents held out by the document-level split with ``seed`` (default: the seed
    the model was trained with), ``split="all"`` every record. A data set without a
    bundled table was never trained on, so all its records are scored.
    """
    name = dataset.name if dataset.is_dir() else dataset_file(dataset).stem
    mapping, bundled = _resolve_mapping(dataset, name, mapping_file)
    records = load_records(dataset, mapping)
    seed, notes = _resolve_seed(classifier, seed, split if bundled else "all")
    if not bundled:
        notes.append(
            f"{name!r} is not a data set the model trains on, so every record is "
            "scored"
            + ("" if mapping_file else " and its labels are read as clause type ids")
        )
    elif split == "validation":
        fraction = float(
            classifier.manifest.get("config", {}).get(
                "validation_fraction", DEFAULT_VALIDATION_FRACTION
            )
            or DEFAULT_VALIDATION_FRACTION
        )
        _, records = split_records(records, seed=seed, fraction=fraction)
    if split not in ("validation", "all"):
        raise LabelledDataError(f"unknown split {split!r}; use 'validation' or 'all'")
    if not records:
        raise LabelledDataError(f"no records to evaluate in {dataset} ({split} split)")
    return evaluate_records(
        mapping,
        records,
        classifier,
        split=split if bundled else "all",
        seed=seed,
        notes=notes,
    )


def _resolve_mapping(
    dataset: Path, name: str, mapping_file: Path | None
) -> tuple[DatasetMapping, bool]:
    """Return the mapping of a data set and whether it is a bundled one.

    Raises LabelledDataError when there is no table and the labels are not clause
    type ids, because scoring them against nothing would report zeros.
    """
    known_types = default_taxonomy().clause_types
    if mapping_file is not None:
        return read_mapping(mapping_file, name, known_types=known_types), False
    if (mappings_folder() / f"{name}.yaml").is_file():
        return load_mapping(name), True
    labels = labels_in(dataset)
    not_types = sorted(labels - set(known_types))
    if labels and not not_types:
        return identity_mapping(name, labels), False
    found = ", ".join(repr(label) for label in not_types[:5]) or "none"
    raise LabelledDataError(
        f"no mapping table for data set {name!r}, and its labels are not all clause "
        f"type ids (not ids: {found}); give a YAML table with --mapping FILE "
        "('labels:' then 'label: [clause type ids]'), or label the records with "
        "clause type ids (listed at /clause-types and /api/v1/clause-types)"
    )


def evaluate_records(
    mapping: DatasetMapping,
    records: list[LabelledRecord],
    classifier: Classifier,
    *,
    split: str,
    seed: int,
    notes: list[str] | None = None,
) -> EvalReport:
    """Classify already selected records of one data set and score the predictions.

    ``split`` and ``seed`` only describe the selection in the report; cross-validation
    passes the records of one fold.
    """
    name = mapping.dataset
    texts = [record.text for record in records]
    started = time.perf_counter()
    scores = classifier.score(texts)
    seconds = time.perf_counter() - started
    predicted = _predicted_targets(scores, classifier.threshold)

    spaces = [_clause_type_space(mapping, records, predicted)]
    has_head = any(target in scores.targets for target in mapping.head_targets)
    spaces += _benchmark_spaces(mapping, records, predicted, has_head=has_head)
    report = EvalReport(
        dataset=name,
        split=split,
        seed=seed,
        classifier_version=classifier.version,
        records=len(records),
        documents=len({record.doc for record in records}),
        seconds=seconds,
        spaces=spaces,
        accuracy=_hit_rates(records, predicted, scores),
        notes=notes or [],
        model=_model_choice(classifier),
        unknown_labels=_count_unknown_labels(mapping, records),
    )
    logger.info(
        "evaluated %s on %s: %d records", classifier.version, name, len(records)
    )
    return report


def _count_unknown_labels(
    mapping: DatasetMapping, records: list[LabelledRecord]
) -> dict[str, int]:
    """Count the records carrying each label that the mapping table does not list.

    A label the table maps to no clause type ("Other: []") is known and not counted.
    Attributes are not counted, because a table lists only the attributes that name
    a clause type.
    """
    counts = Counter(
        label
        for record in records
        for label in set(record.labels)
        if label not in mapping.labels
    )
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _model_choice(classifier: Classifier) -> str:
    if not classifier.manifest:
        return "fallback"
    # Manifests written before the accurate model existed describe a fast model.
    return str(classifier.manifest.get("model", FAST))


def _resolve_seed(
    classifier: Classifier, seed: int | None, split: str
) -> tuple[int, list[str]]:
    notes = []
    trained_seed = classifier.manifest.get("seed")
    if seed is None:
        seed = int(trained_seed) if trained_seed is not None else DEFAULT_SEED
    if split == "validation" and classifier.manifest:
        fraction = classifier.manifest.get("config", {}).get("validation_fraction")
        if trained_seed != seed or not fraction:
            notes.append(
                f"the model was trained with seed {trained_seed} and validation "
                f"fraction {fraction}; the validation split of seed {seed} overlaps "
                "its training data, so these figures are optimistic"
            )
    return seed, notes


def _predicted_targets(scores: Scores, threshold: float) -> list[set[str]]:
    above = scores.confidences >= threshold
    above &= scores.classified[:, None]
    targets = np.array(scores.targets, dtype=object)
    return [set(targets[row]) for row in above]


def _clause_type_space(
    mapping: DatasetMapping, records: list[LabelledRecord], predicted: list[set[str]]
) -> MetricSpace:
    types = sorted(mapping.covered_types)
    gold = [set(record.targets) for record in records]
    return score_labels("clause types", "clause types", types, gold, predicted)


def _benchmark_spaces(
    mapping: DatasetMapping,
    records: list[LabelledRecord],
    predicted: list[set[str]],
    *,
    has_head: bool,
) -> list[MetricSpace]:
    labels = list(mapping.benchmark_labels)
    if not labels:
        return []
    gold = [set(record.labels) for record in records]
    spaces = []
    if has_head:
        via_head = [
            {label for label in labels if mapping.head_target(label) in targets}
            for targets in predicted
        ]
        spaces.append(
            score_labels(
                f"{mapping.dataset} labels",
                "category head",
                labels,
                gold,
                via_head,
                with_no_label=True,
            )
        )
    mapped = [label for label in labels if mapping.types_of_label(label)]
    via_types = [
        {label for label in mapped if mapping.types_of_label(label) & targets}
        for targets in predicted
    ]
    name = f"{mapping.dataset} labels"
    if has_head:
        name += " via clause types"
    spaces.append(
        score_labels(
            name, "any mapped clause type", mapped, gold, via_types, with_no_label=True
        )
    )
    return spaces


def _hit_rates(
    records: list[LabelledRecord], predicted: list[set[str]], scores: Scores
) -> dict[str, float]:
    """Compute the share of records with a mapped clause type whose type was found.

    "any mapped type found" counts a record when one of its clause types is among the
    predicted labels. "top-1 type" counts it when the most confident predicted clause
    type is one of them.
    """
    clause_types = [
        j for j, target in enumerate(scores.targets) if not target.startswith("head:")
    ]
    hits_any = hits_top = total = 0
    for i, record in enumerate(records):
        gold = {t for t in record.targets if not t.startswith("head:")}
        if not gold:
            continue
        total += 1
        hits_any += bool(gold & predicted[i])
        row = scores.confidences[i, clause_types]
        best = scores.targets[clause_types[int(np.argmax(row))]]
        hits_top += best in gold and best in predicted[i]
    if not total:
        return {}
    return {"any mapped type found": hits_any / total, "top-1 type": hits_top / total}
