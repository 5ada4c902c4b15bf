"""Train on small subsets of the real labelled data and score the validation split.

The thresholds sit far below the figures of a full training run (see
docs/benchmarks.md); they catch a broken pipeline, not a small regression.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clausewatch.classify import Classifier, evaluate, train
from clausewatch.settings import Settings
from tests.conftest import require_shared


@pytest.fixture(scope="module")
def small_model(tmp_path_factory, labels_dir: Path) -> Classifier:
    data_dir = tmp_path_factory.mktemp("data")
    train(
        labels_dir,
        Settings(data_dir=data_dir).model_dir,
        datasets=["claudette_en", "opp115"],
        max_documents=8,
    )
    return Classifier.load(Settings(data_dir=data_dir))


@pytest.fixture(scope="module")
def labels_dir() -> Path:
    # Module scope, so the model is trained once for all tests here.
    return require_shared("labels")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("dataset", "space", "min_micro_f1", "min_macro_f1"),
    [
        ("claudette_en", "claudette_en labels", 0.45, 0.35),
        ("opp115", "opp115 labels", 0.5, 0.35),
        ("opp115", "opp115 labels via clause types", 0.45, 0.35),
    ],
)
def test_small_model_beats_smoke_thresholds(
    small_model, labels_dir, dataset, space, min_micro_f1, min_macro_f1
):
    report = evaluate(labels_dir / dataset, small_model, split="validation")
    scores = report.to_dict()["spaces"][space]
    assert scores["micro"]["f1"] >= min_micro_f1
    assert scores["macro"]["f1"] >= min_macro_f1


@pytest.mark.slow
def test_validation_split_is_unseen_documents(small_model, labels_dir):
    report = evaluate(labels_dir / "claudette_en", small_model, split="validation")
    manifest = small_model.manifest
    assert report.seed == manifest["seed"]
    assert (
        report.documents == manifest["datasets"]["claudette_en"]["validation_documents"]
    )
    assert report.notes == []


@pytest.mark.slow
def test_evaluate_other_seed_warns_of_overlap(small_model, labels_dir):
    report = evaluate(labels_dir / "claudette_en", small_model, seed=7)
    assert report.notes
    assert "optimistic" in report.notes[0]
