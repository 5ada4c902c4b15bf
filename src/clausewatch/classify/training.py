"""``train``: fit the statistical model on the labelled data sets and save it."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.table import Table

from clausewatch.classify.fitting import EXAMPLES_DATASET, example_records, fit_bundle
from clausewatch.classify.labelled import (
    DatasetMapping,
    LabelledDataError,
    LabelledRecord,
    dataset_file,
    load_mapping,
    load_records,
    mappings_folder,
    split_records,
)
from clausewatch.classify.linear import TargetFit
from clausewatch.classify.modelfile import save_model
from clausewatch.classify.patterns import load_patterns
from clausewatch.classify.stacking import (
    ACCURATE,
    EMBEDDING_C,
    FAST,
    MIN_F1_GAIN,
    MODEL_CHOICES,
    StackedFit,
    TextEncoder,
)
from clausewatch.taxonomy import Taxonomy, default_taxonomy

logger = logging.getLogger(__name__)

#: Seed of the document-level train/validation split and of everything random.
DEFAULT_SEED = 20261204
#: Share of each data set's documents held out from training for validation.
DEFAULT_VALIDATION_FRACTION = 0.2


@dataclass(frozen=True)
class TrainConfig:
    """Settings of one training run; part of the model version hash."""

    seed: int = DEFAULT_SEED
    validation_fraction: float = DEFAULT_VALIDATION_FRACTION
    folds: int = 4
    c: float = 0.5
    min_df: int = 2
    # Keep only this many training documents per data set (None keeps all); for quick
    # runs such as tests.
    max_documents: int | None = None
    # FAST is the linear model alone; ACCURATE adds the stacked embedding head.
    model: str = FAST

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as JSON-ready values."""
        return dict(self.__dict__)


@dataclass
class TrainReport:
    """Summary of a ``train`` run: data used, per-target statistics, output folder."""

    version: str
    model_dir: Path
    config: TrainConfig
    datasets: dict[str, dict[str, int]]
    targets: list[TargetFit]
    seconds: float
    manifest: dict[str, Any] = field(default_factory=dict)
    stacked: list[StackedFit] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (for ``--json``)."""
        return {
            "version": self.version,
            "model_dir": str(self.model_dir),
            "config": self.config.to_dict(),
            "datasets": self.datasets,
            "seconds": round(self.seconds, 2),
            "targets": {fit.target: _fit_dict(fit) for fit in self.targets},
            "stacked": _stacked_dict(self.stacked),
        }

    def render_table(self) -> Table:
        """Per-target training statistics as a rich Table."""
        table = Table(title=f"Trained {self.version} in {self.seconds:.0f} s")
        columns = ["target", "pos", "neg", "threshold", "CV P", "CV R", "CV F1"]
        if self.stacked:
            columns.append("stacked CV F1")
        for column in columns:
            table.add_column(column, justify="left" if column == "target" else "right")
        stacked_f1 = {fit.target: fit.cv_f1 for fit in self.stacked}
        for fit in self.targets:
            stacked = [_percent(stacked_f1.get(fit.target))] if self.stacked else []
            table.add_row(
                fit.target,
                str(fit.positives),
                str(fit.negatives),
                f"{fit.threshold:.2f}",
                *(
                    _percent(value)
                    for value in (fit.cv_precision, fit.cv_recall, fit.cv_f1)
                ),
                *stacked,
            )
        return table


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def _fit_dict(fit: TargetFit) -> dict[str, Any]:
    return {
        "positives": fit.positives,
        "negatives": fit.negatives,
        "threshold": round(fit.threshold, 4),
        "calibrated": fit.calibrated,
        "cv_precision": fit.cv_precision,
        "cv_recall": fit.cv_recall,
        "cv_f1": fit.cv_f1,
    }


def _stacked_dict(stacked: list[StackedFit]) -> dict[str, dict[str, float]]:
    return {
        fit.target: {"threshold": round(fit.threshold, 4), "cv_f1": fit.cv_f1}
        for fit in stacked
    }


def available_datasets(labels_dir: Path) -> list[str]:
    """List the data sets in ``labels_dir`` that have a bundled mapping table.

    Raises LabelledDataError when ``labels_dir`` is not a folder.
    """
    if not labels_dir.is_dir():
        raise LabelledDataError(
            f"labelled data folder not found: {labels_dir}; give the folder that "
            "contains claudette_en/, opp115/ and the other data sets"
        )
    mapped = {path.stem for path in mappings_folder().glob("*.yaml")}
    return sorted(
        path.name
        for path in labels_dir.iterdir()
        if path.is_dir()
        and path.name in mapped
        and (path / f"{path.name}.jsonl").is_file()
    )


def load_training_data(
    labels_dir: Path,
    taxonomy: Taxonomy,
    config: TrainConfig,
    datasets: list[str] | None = None,
    held_out: Mapping[str, Collection[str]] | None = None,
) -> tuple[list[LabelledRecord], dict[str, DatasetMapping], dict[str, dict[str, int]]]:
    """Read the training part of every data set, plus the taxonomy examples.

    ``held_out`` names, per data set, the documents to leave out in place of the
    seeded validation split (a cross-validation fold). Raises LabelledDataError when
    a data set file has no records or leaves none for training, because a folder
    given to ``train`` is expected to train on all of its data sets.
    """
    names = datasets or available_datasets(labels_dir)
    if not names:
        raise LabelledDataError(
            f"no labelled data set with a mapping table in {labels_dir}; expected "
            "folders such as claudette_en/claudette_en.jsonl"
        )
    records: list[LabelledRecord] = []
    mappings: dict[str, DatasetMapping] = {}
    summary: dict[str, dict[str, int]] = {}
    for name in names:
        mapping = load_mapping(name, known_types=taxonomy.clause_types)
        file = dataset_file(labels_dir / name)
        every = load_records(file, mapping, for_training=True)
        if held_out is None:
            train, validation = split_records(
                every, seed=config.seed, fraction=config.validation_fraction
            )
        else:
            left_out = set(held_out.get(name, ()))
            train = [record for record in every if record.doc not in left_out]
            validation = [record for record in every if record.doc in left_out]
        if not train:
            documents = len({record.doc for record in every})
            raise LabelledDataError(
                f"labelled data file {file} leaves no records for training: all "
                f"{documents} of its documents are held out for validation; add "
                "records of more documents, or remove the file's folder from the "
                "labels folder"
            )
        if config.max_documents is not None:
            kept = sorted({record.doc for record in train})[: config.max_documents]
            train = [record for record in train if record.doc in set(kept)]
        mappings[name] = mapping
        records += train
        summary[name] = {
            "train_records": len(train),
            "train_documents": len({r.doc for r in train}),
            "validation_documents": len({r.doc for r in validation}),
        }
    examples = example_records(taxonomy)
    summary[EXAMPLES_DATASET] = {"train_records": len(examples)}
    return records + examples, mappings, summary


def train(
    labels_dir: Path,
    out_dir: Path,
    *,
    seed: int = DEFAULT_SEED,
    taxonomy: Taxonomy | None = None,
    validation_fraction: float = DEFAULT_VALIDATION_FRACTION,
    datasets: list[str] | None = None,
    max_documents: int | None = None,
    model: str = FAST,
    encoder: TextEncoder | None = None,
    held_out: Mapping[str, Collection[str]] | None = None,
) -> TrainReport:
    """Train the statistical model and write it with its manifest into ``out_dir``.

    Every data set is split by document with ``seed``; only the training part is
    used, so ``evaluate(..., split="validation", seed=seed)`` measures unseen
    documents. ``validation_fraction=0`` trains on everything. ``model`` is "fast"
    (the linear model) or "accurate" (the linear model plus sentence embeddings from
    ``encoder``, by default the bundled MiniLM). ``held_out`` maps data set names to
    documents to leave out instead of the seeded split, for cross-validation.

    Raises LabelledDataError for another model name, a ``max_documents`` below 1 or a
    data set file without training records. A model already in ``out_dir`` is
    replaced only once the new one is fitted and fully written.
    """
    started = time.perf_counter()
    if model not in MODEL_CHOICES:
        raise LabelledDataError(
            f"unknown model {model!r}. Choose one of {', '.join(MODEL_CHOICES)}."
        )
    if max_documents is not None and max_documents < 1:
        raise LabelledDataError(
            f"invalid max_documents {max_documents}: it must be at least 1"
        )
    if model == ACCURATE and encoder is None:
        from clausewatch.figures.embeddings import SentenceEncoder

        encoder = SentenceEncoder.load()
    taxonomy = taxonomy or default_taxonomy()
    config = TrainConfig(
        seed=seed,
        validation_fraction=validation_fraction,
        max_documents=max_documents,
        model=model,
    )
    patterns = load_patterns(known_types=taxonomy.clause_types)
    records, mappings, summary = load_training_data(
        labels_dir, taxonomy, config, datasets, held_out
    )
    bundle, fits, stacked = fit_bundle(
        records,
        patterns,
        taxonomy.clause_types,
        mappings,
        folds=config.folds,
        c=config.c,
        min_df=config.min_df,
        encoder=encoder if model == ACCURATE else None,
    )

    prefix = "stacked-" if model == ACCURATE else "linear-"
    version = prefix + _training_hash(records, config, patterns.digest)
    manifest = {
        "version": version,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "datasets": summary,
        "seed": seed,
        "config": config.to_dict(),
        "patterns_sha256": patterns.digest,
        "thresholds": {fit.target: round(fit.threshold, 4) for fit in fits},
        "targets": {fit.target: _fit_dict(fit) for fit in fits},
        "model": model,
        "stacked": _stacked_dict(stacked),
    }
    if held_out is not None:
        # The seeded split did not apply, so evaluate's validation split would
        # overlap the training data. The manifest names the left-out documents.
        manifest["held_out_documents"] = {
            name: sorted(docs) for name, docs in held_out.items()
        }
    save_model(out_dir, bundle, manifest)
    seconds = time.perf_counter() - started
    logger.info("trained %s on %d records in %.1f s", version, len(records), seconds)
    return TrainReport(
        version, out_dir, config, summary, fits, seconds, manifest, stacked
    )


def _training_hash(
    records: list[LabelledRecord], config: TrainConfig, patterns: str
) -> str:
    digest = hashlib.sha256()
    settings = config.to_dict()
    # The fast model hashes the settings it had before the model choice existed, so
    # retraining it on the same data keeps its version. The accurate model also
    # hashes the stacking constants, which change what it predicts.
    if settings["model"] == FAST:
        del settings["model"]
    else:
        settings["stacking"] = (EMBEDDING_C, MIN_F1_GAIN)
    digest.update(repr(sorted(settings.items())).encode())
    digest.update(patterns.encode())
    for record in records:
        digest.update(
            f"{record.id}\t{record.text}\t{sorted(record.targets)}\n".encode()
        )
    return digest.hexdigest()[:12]
