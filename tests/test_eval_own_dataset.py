"""`clausewatch eval` on a labelled data set of one's own, without a bundled table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clausewatch.classify import Classifier, evaluate
from clausewatch.classify.labelled import LabelledDataError
from clausewatch.cli import app
from clausewatch.errors import TaxonomyError
from clausewatch.settings import Settings

runner = CliRunner()

# Written for these tests: two invented policies, labelled with clause type ids.
RECORDS = [
    (
        "alpha",
        "We sell your email address and browsing history to data brokers.",
        ["sale_of_data"],
    ),
    ("alpha", "Our offices close early on public holidays.", []),
    ("beta", "We never sell your personal information to anyone.", []),
    ("beta", "The cafeteria serves soup on Tuesdays.", []),
    (
        "beta",
        "We share your purchase history with partners who pay us for it.",
        ["sale_of_data"],
    ),
]


def write_dataset(folder: Path, records: list[tuple[str, str, list[str]]]) -> Path:
    folder.mkdir(parents=True)
    lines = [
        json.dumps({"id": f"r{i}", "doc": doc, "text": text, "labels": labels})
        for i, (doc, text, labels) in enumerate(records)
    ]
    file = folder / f"{folder.name}.jsonl"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return file


def house_labelled() -> list[tuple[str, str, list[str]]]:
    """Return the records with the house label SELLS in place of the type id."""
    return [(doc, text, ["SELLS"] if labels else []) for doc, text, labels in RECORDS]


@pytest.fixture
def classifier(tmp_path: Path) -> Classifier:
    return Classifier.load(Settings(data_dir=tmp_path / "data"))


def test_type_id_labels_score_every_record(
    tmp_path: Path, classifier: Classifier
) -> None:
    file = write_dataset(tmp_path / "my_policies", RECORDS)

    report = evaluate(file, classifier)

    assert report.records == len(RECORDS)
    assert report.split == "all"
    assert any("clause type ids" in note for note in report.notes)
    labels = report.to_dict()["spaces"]["clause types"]["labels"]
    assert list(labels) == ["sale_of_data"]
    assert labels["sale_of_data"]["support"] == 2


def test_mapping_file_maps_own_labels(tmp_path: Path, classifier: Classifier) -> None:
    records = house_labelled()
    file = write_dataset(tmp_path / "house_labels", records)
    mapping = tmp_path / "house.yaml"
    mapping.write_text("labels:\n  SELLS: [sale_of_data]\n", encoding="utf-8")

    report = evaluate(file, classifier, mapping_file=mapping)

    assert report.records == len(RECORDS)
    labels = report.to_dict()["spaces"]["clause types"]["labels"]
    assert labels["sale_of_data"]["support"] == 2
    assert report.unknown_labels == {}


def test_unmapped_labels_are_rejected(tmp_path: Path, classifier: Classifier) -> None:
    records = house_labelled()
    file = write_dataset(tmp_path / "house_labels", records)

    with pytest.raises(LabelledDataError, match="--mapping FILE") as raised:
        evaluate(file, classifier)

    assert "'SELLS'" in str(raised.value)


def test_mapping_to_unknown_type_is_rejected(
    tmp_path: Path, classifier: Classifier
) -> None:
    file = write_dataset(tmp_path / "house_labels", RECORDS)
    mapping = tmp_path / "house.yaml"
    mapping.write_text("labels:\n  sale_of_data: [selling_stuff]\n", encoding="utf-8")

    with pytest.raises(TaxonomyError, match="unknown clause types"):
        evaluate(file, classifier, mapping_file=mapping)


def test_eval_command_takes_mapping_option(tmp_path: Path) -> None:
    records = house_labelled()
    file = write_dataset(tmp_path / "house_labels", records)
    mapping = tmp_path / "house.yaml"
    mapping.write_text("labels:\n  SELLS: [sale_of_data]\n", encoding="utf-8")
    base = ["--data-dir", str(tmp_path / "data"), "eval", str(file)]

    mapped = runner.invoke(app, [*base, "--mapping", str(mapping), "--json"])
    unmapped = runner.invoke(app, base)
    missing = runner.invoke(app, [*base, "--mapping", str(tmp_path / "nope.yaml")])

    assert mapped.exit_code == 0, mapped.output
    assert json.loads(mapped.stdout)["records"] == len(RECORDS)
    assert unmapped.exit_code == 2
    assert "--mapping FILE" in unmapped.output
    assert missing.exit_code != 0
    assert "nope.yaml" in missing.output
    assert "Traceback" not in missing.output
