"""Mapping tables: known clause types, and external labels that exist in the data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clausewatch.classify import load_mapping, mappings_folder
from clausewatch.errors import TaxonomyError
from clausewatch.taxonomy import default_taxonomy

DATASETS = sorted(path.stem for path in mappings_folder().glob("*.yaml"))


def test_mapping_tables_exist():
    assert DATASETS == ["claudette_en", "opp115", "privacyspy", "tosdr_points"]


@pytest.mark.parametrize("dataset", DATASETS)
def test_mapping_uses_known_clause_types(dataset):
    known = default_taxonomy().clause_types
    mapping = load_mapping(dataset, known_types=known)
    assert mapping.covered_types
    assert mapping.covered_types <= set(known)
    assert mapping.evaluate_only <= mapping.covered_types


@pytest.mark.parametrize("dataset", DATASETS)
def test_mapping_labels_exist_in_dataset(dataset, labels_dir: Path):
    mapping = load_mapping(dataset)
    labels: set[str] = set()
    attributes: set[str] = set()
    with (labels_dir / dataset / f"{dataset}.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            labels.update(record["labels"])
            attributes.update(record.get("attributes") or ())
    assert set(mapping.labels) - labels == set()
    assert set(mapping.attributes) - attributes == set()
    assert set(mapping.benchmark_labels) <= set(mapping.labels)


def test_mapping_with_unknown_type_rejected(tmp_path: Path):
    (tmp_path / "toy.yaml").write_text("labels:\n  a: [no_such_type]\n")
    with pytest.raises(TaxonomyError, match="unknown clause types"):
        load_mapping("toy", known_types={"arbitration"}, folder=tmp_path)


@pytest.mark.parametrize(
    "content", ["labels: [a, b]\n", "labels:\n  a: arbitration\n", "labels: {"]
)
def test_malformed_mapping_rejected(tmp_path: Path, content):
    (tmp_path / "toy.yaml").write_text(content)
    with pytest.raises(TaxonomyError):
        load_mapping("toy", folder=tmp_path)


def test_missing_mapping_rejected(tmp_path: Path):
    with pytest.raises(TaxonomyError, match="no mapping table"):
        load_mapping("absent", folder=tmp_path)
