"""Training on a small hand-written data set, and saving and loading model files."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import joblib
import pytest
from typer.testing import CliRunner

from clausewatch.classify import Classifier, LabelledDataError, evaluate, train
from clausewatch.classify.modelfile import load_model, save_model
from clausewatch.cli import app
from clausewatch.errors import ModelFileError
from clausewatch.settings import Settings

# Hand-written sentences in the layout of the CLAUDETTE set, so that its bundled
# mapping table applies: 20 documents, each with a few labelled and plain sentences.
_LABELLED = [
    ("arbitration", "Any dispute with {name} will be resolved by binding arbitration."),
    ("choice_of_law", "These terms are governed by the laws of the State of {place}."),
    (
        "jurisdiction",
        "The courts of {place} have exclusive jurisdiction over disputes.",
    ),
    (
        "limitation_of_liability",
        "{name} shall not be liable for any indirect or consequential damages.",
    ),
    (
        "unilateral_termination",
        "{name} may terminate your account at any time and for any reason.",
    ),
]
_PLAIN = [
    "Welcome to {name}, a service for sharing recipes.",
    "You can contact {name} support through the help page.",
    "These terms explain how to use the {name} app.",
    "{name} offers free and paid plans.",
    "Our offices are located in {place}.",
    "Please read these terms carefully.",
]
_PLACES = ["Delaware", "Ireland", "Ontario", "Bavaria", "Victoria"]


def _write_dataset(labels_dir: Path) -> None:
    folder = labels_dir / "claudette_en"
    folder.mkdir(parents=True)
    lines = []
    for doc_index in range(20):
        name, place = f"Service{doc_index}", _PLACES[doc_index % len(_PLACES)]
        sentences = [(label, text) for label, text in _LABELLED]
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
def trained(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("model")
    labels_dir = root / "labels"
    _write_dataset(labels_dir)
    data_dir = root / "data"
    train(labels_dir, Settings(data_dir=data_dir).model_dir)
    return labels_dir, data_dir


def test_train_writes_model_and_manifest(trained):
    _, data_dir = trained
    manifest = json.loads((data_dir / "models" / "classifier.json").read_text())
    assert manifest["version"].startswith("linear-")
    assert manifest["seed"] == 20261204
    assert "arbitration" in manifest["thresholds"]
    assert manifest["datasets"]["claudette_en"]["validation_documents"] == 4
    assert (data_dir / "models" / "classifier.joblib").is_file()


def test_trained_model_loads_and_classifies(trained):
    _, data_dir = trained
    classifier = Classifier.load(Settings(data_dir=data_dir))
    assert classifier.version.startswith("linear-")
    [result] = classifier.classify(
        ["Any dispute with Acme will be resolved by binding arbitration."]
    )
    assert result.labels[0].clause_type_id == "arbitration"


def test_evaluate_reports_validation_scores(trained):
    labels_dir, data_dir = trained
    classifier = Classifier.load(Settings(data_dir=data_dir))
    report = evaluate(labels_dir / "claudette_en", classifier)
    data = report.to_dict()
    assert data["split"] == "validation"
    assert data["documents"] == 4
    assert data["spaces"]["claudette_en labels"]["macro"]["f1"] >= 0.8
    assert data["sentences_per_second"] > 0
    assert report.render_table().row_count > 5


def test_evaluate_reports_macro_with_no_label(trained):
    labels_dir, data_dir = trained
    classifier = Classifier.load(Settings(data_dir=data_dir))
    report = evaluate(labels_dir / "claudette_en", classifier)
    benchmark = report.to_dict()["spaces"]["claudette_en labels"]
    # Six of the eleven sentences per document carry no label.
    assert benchmark["no_label"]["support"] == 4 * 6
    assert 0 <= benchmark["macro_with_no_label"]["f1"] <= 1
    assert "macro_with_no_label" not in report.to_dict()["spaces"]["clause types"]


def test_train_report_table_lists_targets(tmp_path, trained):
    labels_dir, _ = trained
    report = train(labels_dir, tmp_path / "models", max_documents=8)
    assert "arbitration" in report.to_dict()["targets"]
    assert report.render_table().row_count == len(report.targets)


def test_train_without_labelled_data_rejected(tmp_path):
    with pytest.raises(LabelledDataError, match="not found"):
        train(tmp_path / "absent", tmp_path / "models")
    (tmp_path / "empty").mkdir()
    with pytest.raises(LabelledDataError, match="no labelled data set"):
        train(tmp_path / "empty", tmp_path / "models")


def _copy_model(source: Path, target: Path) -> Path:
    model_dir = target / "models"
    model_dir.mkdir(parents=True)
    for path in (source / "models").iterdir():
        (model_dir / path.name).write_bytes(path.read_bytes())
    return model_dir


def _folder_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture
def stored_model(tmp_path, trained) -> tuple[Path, dict[str, bytes]]:
    """A copy of the trained model folder and the bytes of its files."""
    _, data_dir = trained
    model_dir = _copy_model(data_dir, tmp_path)
    return model_dir, _folder_bytes(model_dir)


@pytest.mark.parametrize("content", ["", "\n  \n"])
def test_train_on_empty_data_set_rejected(tmp_path, stored_model, content):
    model_dir, stored = stored_model
    empty = tmp_path / "labels" / "opp115" / "opp115.jsonl"
    empty.parent.mkdir(parents=True)
    empty.write_text(content)

    with pytest.raises(LabelledDataError, match="no records") as raised:
        train(tmp_path / "labels", model_dir)
    assert str(empty) in str(raised.value)
    assert _folder_bytes(model_dir) == stored


def test_train_one_empty_data_set_rejected(tmp_path, stored_model):
    model_dir, stored = stored_model
    labels_dir = tmp_path / "labels"
    _write_dataset(labels_dir)
    empty = labels_dir / "opp115" / "opp115.jsonl"
    empty.parent.mkdir()
    empty.write_text("")

    with pytest.raises(LabelledDataError, match="no records") as raised:
        train(labels_dir, model_dir)
    assert str(empty) in str(raised.value)
    assert _folder_bytes(model_dir) == stored


def test_train_all_documents_held_out_rejected(tmp_path, stored_model):
    model_dir, stored = stored_model
    labels_dir = tmp_path / "labels"
    single = labels_dir / "claudette_en" / "claudette_en.jsonl"
    single.parent.mkdir(parents=True)
    record = {"doc": "Only", "text": "Only.com may end your account.", "labels": []}
    single.write_text(json.dumps(record) + "\n")

    with pytest.raises(LabelledDataError, match="held out for validation") as raised:
        train(labels_dir, model_dir)
    assert str(single) in str(raised.value)
    assert _folder_bytes(model_dir) == stored


def test_train_command_on_empty_data_set_exits_2(tmp_path, stored_model):
    model_dir, stored = stored_model
    empty = tmp_path / "labels" / "opp115" / "opp115.jsonl"
    empty.parent.mkdir(parents=True)
    empty.write_text("")

    result = CliRunner().invoke(
        app,
        ["--data-dir", str(tmp_path), "train", "--labels", str(tmp_path / "labels")],
        env={"COLUMNS": "400"},
    )
    assert result.exit_code == 2
    assert str(empty) in result.stderr
    assert _folder_bytes(model_dir) == stored


def test_failed_save_keeps_stored_model(tmp_path, stored_model):
    model_dir, stored = stored_model
    bundle, manifest = load_model(model_dir)

    # A manifest value that JSON cannot encode fails the save after the bundle is
    # written.
    with pytest.raises(TypeError):
        save_model(model_dir, bundle, {**manifest, "created": object()})
    assert _folder_bytes(model_dir) == stored
    with pytest.raises(OSError, match="cannot dump"):
        save_model(model_dir, _Unpicklable(), manifest)  # type: ignore[arg-type]
    assert _folder_bytes(model_dir) == stored


class _Unpicklable:
    def __reduce__(self):
        raise OSError("cannot dump this object")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("truncate_model", "checksum"),
        ("garbage_manifest", "unreadable"),
        ("delete_manifest", "manifest .* is missing"),
        ("delete_model", "model file .* is missing"),
        ("old_sklearn", "scikit-learn"),
        ("future_format", "format"),
        ("garbage_model", "damaged or is not a clausewatch model"),
        ("empty_model", "damaged or is not a clausewatch model"),
        ("missing_version", "has no model version"),
    ],
)
def test_damaged_model_raises_model_file_error(tmp_path, trained, damage, message):
    _, data_dir = trained
    model_dir = _copy_model(data_dir, tmp_path)
    manifest_path = model_dir / "classifier.json"
    manifest = json.loads(manifest_path.read_text())
    if damage == "truncate_model":
        model = model_dir / "classifier.joblib"
        model.write_bytes(model.read_bytes()[:100])
    elif damage == "garbage_manifest":
        manifest_path.write_text("{not json")
    elif damage == "delete_manifest":
        manifest_path.unlink()
    elif damage == "delete_model":
        (model_dir / "classifier.joblib").unlink()
    elif damage == "old_sklearn":
        manifest_path.write_text(json.dumps({**manifest, "sklearn_version": "0.1"}))
    elif damage == "future_format":
        manifest_path.write_text(json.dumps({**manifest, "format": 99}))
    elif damage in ("garbage_model", "empty_model"):
        # Contents that pass the checksum but do not unpickle: joblib 1.6 raises
        # KeyError(58) for the first and an EOFError without a message for the second.
        model = model_dir / "classifier.joblib"
        model.write_bytes(b":not a model" if damage == "garbage_model" else b"")
        digest = hashlib.sha256(model.read_bytes()).hexdigest()
        manifest_path.write_text(json.dumps({**manifest, "model_sha256": digest}))
    elif damage == "missing_version":
        del manifest["version"]
        manifest_path.write_text(json.dumps(manifest))

    with pytest.raises(ModelFileError, match=message) as raised:
        Classifier.load(Settings(data_dir=tmp_path))
    text = str(raised.value)
    assert "clausewatch train --labels" in text
    assert f"delete {model_dir}" in text
    assert re.search(r"\(\d*\)", text) is None


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"format": "unfinished', "Unterminated string starting at line 1, column 12"),
        ('{"format": "tab\there"}', "Invalid control character at line 1, column 16"),
        (
            '{"format": 1,',
            "Expecting property name enclosed in double quotes at line 1",
        ),
    ],
)
def test_invalid_manifest_json_names_position(tmp_path, content, problem):
    model_dir = Settings(data_dir=tmp_path).model_dir
    model_dir.mkdir(parents=True)
    (model_dir / "classifier.json").write_text(content, encoding="utf-8")

    with pytest.raises(ModelFileError) as raised:
        Classifier.load(Settings(data_dir=tmp_path))
    text = str(raised.value)
    assert problem in text
    assert " at at " not in text


def test_model_file_that_is_not_a_bundle_rejected(tmp_path, trained):
    _, data_dir = trained
    model_dir = _copy_model(data_dir, tmp_path)
    model = model_dir / "classifier.joblib"
    joblib.dump({"not": "a model"}, model)
    manifest_path = model_dir / "classifier.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["model_sha256"] = hashlib.sha256(model.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(ModelFileError, match="not a classifier model"):
        Classifier.load(Settings(data_dir=tmp_path))


def test_types_without_labelled_data_take_pattern_hits(trained):
    _, data_dir = trained
    classifier = Classifier.load(Settings(data_dir=data_dir))
    bundle = classifier.bundle

    # Arbitration is annotated by the data set; profiling only has the taxonomy's
    # examples, fitted against records that never mark it.
    assert "arbitration" in bundle.calibrated
    assert "automated_decisions_profiling" not in bundle.calibrated
    stated, listed_right = classifier.classify(
        [
            "We infer your age range and interests from the videos you watch.",
            "You have the right not to be subject to a decision based solely on "
            "automated processing, including profiling.",
        ]
    )
    assert "automated_decisions_profiling" in stated.clause_type_ids
    assert "automated_decisions_profiling" not in listed_right.clause_type_ids


def test_fallback_keeps_calibration_of_example_types(tmp_path):
    classifier = Classifier.load(Settings(data_dir=tmp_path))

    assert "automated_decisions_profiling" in classifier.bundle.calibrated
