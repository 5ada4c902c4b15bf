"""Labelled JSONL data sets and their mapping onto clause types.

Each data set is a folder ``<name>/<name>.jsonl`` with one record per line
(``id``, ``doc``, ``text``, ``labels`` and for some sets ``attributes``). The mapping
table ``taxonomy/mappings/<name>.yaml`` maps external labels (and attributes) to
clause types.
"""

from __future__ import annotations

import json
import random
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import yaml

from clausewatch.errors import ClausewatchError, TaxonomyError

#: Prefix of the targets of a dataset-specific category head ("head:opp115:Other").
HEAD_PREFIX = "head:"


class LabelledDataError(ClausewatchError):
    """A labelled data set is missing or malformed."""

    exit_code = 2


@dataclass(frozen=True)
class DatasetMapping:
    """Translation table from one data set's labels to clause types."""

    dataset: str
    labels: dict[str, tuple[str, ...]]
    attributes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    category_head: bool = False
    benchmark_labels: tuple[str, ...] = ()
    # Clause types scored on this data set but not trained from it, because its
    # notion of the type differs from the one the model should learn.
    evaluate_only: frozenset[str] = frozenset()

    @property
    def trained_types(self) -> frozenset[str]:
        """Clause types this data set trains (covered minus evaluate-only)."""
        return self.covered_types - self.evaluate_only

    @property
    def covered_types(self) -> frozenset[str]:
        """Clause types this data set annotates, so its other records are negatives."""
        mapped = [*self.labels.values(), *self.attributes.values()]
        return frozenset(type_id for types in mapped for type_id in types)

    def head_target(self, label: str) -> str:
        """Target name of an external label in the data set's category head."""
        return f"{HEAD_PREFIX}{self.dataset}:{label}"

    @property
    def head_targets(self) -> tuple[str, ...]:
        """All targets of the category head, empty when the data set has none."""
        if not self.category_head:
            return ()
        return tuple(self.head_target(label) for label in self.labels)

    def types_of_label(self, label: str) -> set[str]:
        """Clause types of an external label, including those of its attributes."""
        types = set(self.labels.get(label, ()))
        prefix = f"{label}|"
        for attribute, attribute_types in self.attributes.items():
            if attribute.startswith(prefix):
                types.update(attribute_types)
        return types

    def clause_types_of(
        self, labels: Iterable[str], attributes: Iterable[str]
    ) -> set[str]:
        """Clause types that a record with these labels and attributes belongs to."""
        types = {t for label in labels for t in self.labels.get(label, ())}
        types.update(t for attr in attributes for t in self.attributes.get(attr, ()))
        return types


@dataclass(frozen=True)
class LabelledRecord:
    """One labelled text, with its targets already mapped."""

    id: str
    doc: str
    dataset: str
    text: str
    labels: tuple[str, ...]
    targets: frozenset[str]
    # Targets this record is a negative of. None means every target its data set
    # annotates. A taxonomy negative example is a near miss written for one clause
    # type and often belongs to a neighbouring type, so it counts only against its own.
    negative_for: frozenset[str] | None = None


def mappings_folder() -> Path:
    """Folder of the bundled mapping tables."""
    return Path(str(resources.files("clausewatch.taxonomy").joinpath("mappings")))


def load_mapping(
    dataset: str,
    *,
    known_types: Collection[str] | None = None,
    folder: Path | None = None,
) -> DatasetMapping:
    """Read the mapping table of ``dataset``.

    Raises TaxonomyError when the file is missing or malformed, or when it names a
    clause type outside ``known_types``.
    """
    path = (folder or mappings_folder()) / f"{dataset}.yaml"
    if not path.is_file():
        raise TaxonomyError(
            f"no mapping table for data set {dataset!r} at {path}; "
            "write one that maps its labels to clause type ids"
        )
    return read_mapping(path, dataset, known_types=known_types)


def read_mapping(
    path: Path, dataset: str, *, known_types: Collection[str] | None = None
) -> DatasetMapping:
    """Read a mapping table from ``path`` for the data set named ``dataset``.

    Raises TaxonomyError when the file is missing or malformed, or when it names a
    clause type outside ``known_types``.
    """
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise TaxonomyError(
            f"cannot read mapping table {path}: {error.strerror or error}; "
            "give a YAML file with a 'labels' mapping of label -> clause type ids"
        ) from error
    except yaml.YAMLError as error:
        raise TaxonomyError(f"invalid YAML in {path}: {error}; fix the file") from error
    if not isinstance(document, dict) or not isinstance(document.get("labels"), dict):
        raise TaxonomyError(f"{path} needs a 'labels' mapping of label -> type ids")

    mapping = DatasetMapping(
        dataset=dataset,
        labels=_type_lists(path, document["labels"]),
        attributes=_type_lists(path, document.get("attributes") or {}),
        category_head=bool(document.get("category_head", False)),
        benchmark_labels=tuple(str(x) for x in document.get("benchmark_labels") or ()),
        evaluate_only=frozenset(str(x) for x in document.get("evaluate_only") or ()),
    )
    if known_types is not None:
        unknown = sorted(mapping.covered_types - set(known_types))
        if unknown:
            raise TaxonomyError(
                f"{path} maps to unknown clause types {unknown}; "
                "use ids from the taxonomy"
            )
    return mapping


def identity_mapping(dataset: str, type_ids: Iterable[str]) -> DatasetMapping:
    """Build the mapping of a data set whose labels are clause type ids already."""
    return DatasetMapping(
        dataset=dataset, labels={type_id: (type_id,) for type_id in sorted(type_ids)}
    )


def labels_in(path: Path) -> set[str]:
    """Return every label used in a JSONL data set.

    Raises LabelledDataError with the file and line number for a malformed record.
    """
    labels: set[str] = set()
    file = dataset_file(path)
    with file.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                labels.update(str(label) for label in raw.get("labels") or ())
            except (json.JSONDecodeError, AttributeError, TypeError) as error:
                raise LabelledDataError(
                    f"{file}:{line_number}: malformed record ({error}); each line "
                    "needs 'doc', 'text' and 'labels'"
                ) from error
    return labels


def _type_lists(path: Path, table: dict[str, object]) -> dict[str, tuple[str, ...]]:
    result: dict[str, tuple[str, ...]] = {}
    for label, types in table.items():
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            raise TaxonomyError(
                f"{path}: {label!r} must map to a list of clause type ids, "
                f"got {types!r}"
            )
        result[str(label)] = tuple(types)
    return result


def dataset_file(path: Path) -> Path:
    """Resolve a data set folder (``name/name.jsonl``) or a JSONL file to the file."""
    if path.is_dir():
        path = path / f"{path.name}.jsonl"
    if not path.is_file():
        raise LabelledDataError(
            f"labelled data file not found: {path}; give a folder holding "
            "<name>.jsonl or the JSONL file itself"
        )
    return path


def load_records(
    path: Path, mapping: DatasetMapping, *, for_training: bool = False
) -> list[LabelledRecord]:
    """Read a JSONL data set and map every record's labels to targets.

    ``for_training`` drops the mapping's evaluate-only clause types from the targets.
    Raises LabelledDataError with the file and line number for a malformed record, and
    with the file when it contains no records.
    """
    records = []
    dropped = mapping.evaluate_only if for_training else frozenset()
    file = dataset_file(path)
    with file.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if line.strip():
                record = _parse_record(path, line_number, line, mapping)
                if dropped and record.targets & dropped:
                    record = replace(record, targets=record.targets - dropped)
                records.append(record)
    if not records:
        raise LabelledDataError(
            f"labelled data file {file} contains no records; write one JSON record "
            "per line with 'doc', 'text' and 'labels', or remove the file's folder "
            "from the labels folder"
        )
    return records


def _parse_record(
    path: Path, line_number: int, line: str, mapping: DatasetMapping
) -> LabelledRecord:
    try:
        raw = json.loads(line)
        text, doc = str(raw["text"]), str(raw["doc"])
        labels = tuple(str(label) for label in raw.get("labels") or ())
        attributes = [str(attr) for attr in raw.get("attributes") or ()]
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise LabelledDataError(
            f"{path}:{line_number}: malformed record ({error}); each line needs "
            "'doc', 'text' and 'labels'"
        ) from error
    targets = mapping.clause_types_of(labels, attributes)
    if mapping.category_head:
        targets.update(mapping.head_target(label) for label in labels)
    return LabelledRecord(
        id=str(raw.get("id", f"{mapping.dataset}:{line_number}")),
        doc=doc,
        dataset=mapping.dataset,
        text=text,
        labels=labels,
        targets=frozenset(targets),
    )


def validation_documents(
    docs: Iterable[str], *, seed: int, fraction: float
) -> set[str]:
    """Pick the validation documents of a document-level split.

    The sorted document names are shuffled with ``random.Random(seed)`` and the first
    ``round(fraction * n)`` (at least one, when ``fraction`` > 0) form the split.
    """
    names = sorted(set(docs))
    if fraction <= 0 or not names:
        return set()
    random.Random(seed).shuffle(names)
    count = max(1, round(fraction * len(names)))
    return set(names[:count])


def assign_folds(docs: Iterable[str], *, folds: int, seed: int) -> dict[str, int]:
    """Assign every document to one cross-validation fold, numbered from 0.

    The sorted document names are shuffled with ``random.Random(seed)``, like the
    validation split, and dealt out to the folds in turn, so fold sizes differ by at
    most one document. Raises LabelledDataError when ``folds`` is below 2 or above the
    number of documents.
    """
    names = sorted(set(docs))
    if not 2 <= folds <= len(names):
        raise LabelledDataError(
            f"cannot split {len(names)} documents into {folds} folds; "
            "use between 2 folds and one fold per document"
        )
    random.Random(seed).shuffle(names)
    return {name: position % folds for position, name in enumerate(names)}


def split_records(
    records: Sequence[LabelledRecord], *, seed: int, fraction: float
) -> tuple[list[LabelledRecord], list[LabelledRecord]]:
    """Split records by document into (train, validation)."""
    held_out = validation_documents(
        (r.doc for r in records), seed=seed, fraction=fraction
    )
    train = [record for record in records if record.doc not in held_out]
    validation = [record for record in records if record.doc in held_out]
    return train, validation
