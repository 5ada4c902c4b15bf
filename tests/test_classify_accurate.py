"""The accurate model: embedding stackers, training, saving, loading and evaluating."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from clausewatch.classify import (
    Classifier,
    LabelledDataError,
    evaluate,
    stacking,
    train,
)
from clausewatch.classify.linear import TargetFit, TargetRows
from clausewatch.classify.modelfile import load_model
from clausewatch.classify.stacking import fit_embedding_head, fit_stacked_target
from clausewatch.cli import app
from clausewatch.errors import ModelFileError
from clausewatch.figures.embeddings import SentenceEncoder
from clausewatch.settings import Settings

# Our own sentences in the CLAUDETTE layout, so that its bundled mapping table applies.
# Each labelled clause has three wordings, so documents differ in n-grams and the
# embedding regressions see more than one phrasing.
_CLAUSES = {
    "arbitration": [
        "Disputes with {name} go to binding arbitration, not to court.",
        "You and {name} agree that an arbitrator decides every claim.",
        "Any claim against {name} is settled by individual arbitration.",
    ],
    "unilateral_termination": [
        "{name} may close your account at any time without notice.",
        "We can suspend or end your access to {name} for any reason.",
        "{name} reserves the right to terminate the service to you at will.",
    ],
    "unilateral_change": [
        "{name} may change these terms at any time by posting a new version.",
        "We can modify this agreement whenever we like; check it often.",
        "{name} may amend the terms and your continued use means you accept.",
    ],
}
_PLAIN = [
    "{name} lets you share photos of your garden with friends.",
    "Write to the {name} help desk if you have a question.",
    "This page describes the features of the {name} app.",
    "Paid plans of {name} include more storage.",
    "Our team works from offices in {place}.",
    "Thank you for reading these terms.",
]
_PLACES = ["Lisbon", "Oslo", "Quebec", "Tasmania", "Utrecht"]
_DOCUMENTS = 24


def _write_dataset(labels_dir: Path) -> None:
    folder = labels_dir / "claudette_en"
    folder.mkdir(parents=True)
    lines = []
    for doc_index in range(_DOCUMENTS):
        name, place = f"Shop{doc_index}", _PLACES[doc_index % len(_PLACES)]
        sentences = [
            (label, wordings[doc_index % len(wordings)])
            for label, wordings in _CLAUSES.items()
        ]
        sentences += [(None, text) for text in _PLAIN]
        for index, (label, template) in enumerate(sentences):
            record = {
                "id": f"claudette_en:{name}:{index}",
                "doc": name,
                "text": template.format(name=name, place=place),
                "labels": [label] if label else [],
            }
            lines.append(json.dumps(record))
    (folder / "claudette_en.jsonl").write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder.load()


@pytest.fixture(scope="module")
def trained(tmp_path_factory, encoder) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("accurate")
    labels_dir = root / "labels"
    _write_dataset(labels_dir)
    data_dir = root / "data"
    # On these easy sentences the linear model is already near perfect, so no
    # stacker would pass the F1 gate. Opening the gate runs the stacked path.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stacking, "MIN_F1_GAIN", -1.0)
        train(
            labels_dir,
            Settings(data_dir=data_dir).model_dir,
            model="accurate",
            encoder=encoder,
        )
    return labels_dir, data_dir


def _linear_fit(target: str, oof_scores: np.ndarray, cv_f1: float) -> TargetFit:
    return TargetFit(
        target=target,
        weights=np.zeros(1, dtype=np.float32),
        bias=0.0,
        platt_slope=1.0,
        platt_intercept=0.0,
        threshold=0.5,
        calibrated=True,
        positives=40,
        negatives=160,
        cv_precision=None,
        cv_recall=None,
        cv_f1=cv_f1,
        oof_scores=oof_scores,
    )


def test_stacker_weighs_informative_embedding():
    generator = np.random.default_rng(7)
    positive = np.arange(200) % 5 == 0
    # Only the first embedding dimension separates the classes; the linear scores
    # are noise, so the stacker must lean on the embedding regression.
    embeddings = generator.normal(size=(200, 8))
    embeddings[:, 0] += np.where(positive, 3.0, -3.0)
    linear_oof = generator.normal(size=200)
    groups = np.array([f"doc{index % 10}" for index in range(200)])
    rows = TargetRows("example", np.arange(200), positive)

    fit = fit_stacked_target(embeddings, groups, rows, linear_oof, folds=4)

    assert fit.embedding_coef > 0
    assert abs(fit.linear_coef) < fit.embedding_coef
    assert fit.cv_f1 > 0.9
    assert 0.05 <= fit.threshold <= 0.95


def test_head_keeps_only_stackers_that_help():
    generator = np.random.default_rng(11)
    positive = np.arange(200) % 5 == 0
    embeddings = generator.normal(size=(200, 8))
    embeddings[:, 0] += np.where(positive, 3.0, -3.0)
    groups = [f"doc{index % 10}" for index in range(200)]
    rows = [
        TargetRows("weak_linear", np.arange(200), positive),
        TargetRows("perfect_linear", np.arange(200), positive),
    ]
    fits = [
        # Noise scores with a poor F1: the embedding stacker beats them.
        _linear_fit("weak_linear", generator.normal(size=200), 0.3),
        # Scores that already separate the classes: nothing left to gain.
        _linear_fit("perfect_linear", np.where(positive, 5.0, -5.0), 1.0),
    ]

    head, stacked = fit_embedding_head(
        embeddings, groups, rows, fits, encoder_id="test", n_jobs=1
    )

    assert head.targets == ("weak_linear",)
    assert [fit.target for fit in stacked] == ["weak_linear"]
    assert head.weights.shape == (8, 1)


def test_accurate_manifest_and_embedding_head(trained, encoder):
    _, data_dir = trained
    model_dir = Settings(data_dir=data_dir).model_dir
    manifest = json.loads((model_dir / "classifier.json").read_text())
    bundle, _ = load_model(model_dir)
    assert manifest["model"] == "accurate"
    assert manifest["version"].startswith("stacked-")
    assert set(manifest["stacked"]) >= set(_CLAUSES)
    assert bundle.embedding_head is not None
    assert bundle.embedding_head.encoder_id == encoder.model_id
    assert set(bundle.embedding_head.targets) >= set(_CLAUSES)


def test_accurate_model_loads_and_classifies(trained):
    _, data_dir = trained
    classifier = Classifier.load(Settings(data_dir=data_dir))
    [clause, plain] = classifier.classify(
        [
            "Disputes with Acme go to binding arbitration, not to court.",
            "Acme lets you share photos of your garden with friends.",
        ]
    )
    assert classifier.version.startswith("stacked-")
    assert classifier.encoder is not None
    assert clause.labels[0].clause_type_id == "arbitration"
    assert plain.abstained


def test_accurate_model_evaluates(trained):
    labels_dir, data_dir = trained
    classifier = Classifier.load(Settings(data_dir=data_dir))
    report = evaluate(labels_dir / "claudette_en", classifier).to_dict()
    assert report["model"] == "accurate"
    assert report["classifier_version"].startswith("stacked-")
    assert report["spaces"]["claudette_en labels"]["macro"]["f1"] >= 0.8


def test_accurate_model_rejects_other_encoder(trained):
    _, data_dir = trained
    bundle, manifest = load_model(Settings(data_dir=data_dir).model_dir)
    classifier = Classifier.load(Settings(data_dir=data_dir))
    with pytest.raises(ModelFileError, match="needs the sentence encoder"):
        Classifier(
            bundle, classifier.patterns, threshold=0.5, version=manifest["version"]
        )


def test_fast_model_keeps_linear_version(trained, tmp_path):
    labels_dir, _ = trained
    report = train(labels_dir, tmp_path / "models")
    bundle, manifest = load_model(tmp_path / "models")
    assert report.version.startswith("linear-")
    assert manifest["model"] == "fast"
    assert bundle.embedding_head is None
    assert report.stacked == []


def test_unknown_model_rejected(trained, tmp_path):
    labels_dir, _ = trained
    with pytest.raises(LabelledDataError, match="unknown model 'huge'"):
        train(labels_dir, tmp_path / "models", model="huge")


def test_cli_trains_and_evaluates_accurate_model(trained, tmp_path):
    labels_dir, _ = trained
    runner = CliRunner()
    data_dir = str(tmp_path / "data")
    trained_run = runner.invoke(
        app,
        [
            "--data-dir",
            data_dir,
            "train",
            "--labels",
            str(labels_dir),
            "--model",
            "accurate",
            "--json",
        ],
    )
    assert trained_run.exit_code == 0, trained_run.output
    assert json.loads(trained_run.output)["version"].startswith("stacked-")

    evaluated = runner.invoke(
        app,
        ["--data-dir", data_dir, "eval", str(labels_dir / "claudette_en"), "--json"],
    )
    assert evaluated.exit_code == 0, evaluated.output
    assert json.loads(evaluated.output)["model"] == "accurate"
