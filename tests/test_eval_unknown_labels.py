"""`evaluate` and `clausewatch eval` report labels the mapping table does not list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clausewatch.classify import Classifier, evaluate
from clausewatch.cli import app
from clausewatch.settings import Settings

runner = CliRunner()

# Written for these tests in the PrivacySpy layout, whose mapping table lists
# "data-deletion=yes-contact" but none of the invented "pets-allowed" values.
RECORDS = [
    ("a", "You can ask us to delete your account data.", ["data-deletion=yes-contact"]),
    ("a", "Pets may join video calls.", ["pets-allowed=yes"]),
    ("b", "Dogs are welcome in the office.", ["pets-allowed=yes", "pets-allowed=yes"]),
    ("b", "No cats on the servers.", ["pets-allowed=no"]),
]


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "labels" / "privacyspy"
    folder.mkdir(parents=True)
    lines = [
        json.dumps({"id": f"r{i}", "doc": doc, "text": text, "labels": labels})
        for i, (doc, text, labels) in enumerate(RECORDS)
    ]
    (folder / "privacyspy.jsonl").write_text("\n".join(lines) + "\n")
    return folder


def test_evaluate_counts_unknown_labels(tmp_path: Path, dataset: Path) -> None:
    classifier = Classifier.load(Settings(data_dir=tmp_path / "data"))

    report = evaluate(dataset, classifier, split="all")

    assert report.records == len(RECORDS)
    assert report.unknown_labels == {"pets-allowed=yes": 2, "pets-allowed=no": 1}
    assert report.to_dict()["unknown_labels"] == report.unknown_labels


def test_eval_command_lists_unknown_labels(tmp_path: Path, dataset: Path) -> None:
    arguments = ["--data-dir", str(tmp_path / "data"), "eval", str(dataset)]

    table = runner.invoke(app, [*arguments, "--split", "all"], env={"COLUMNS": "200"})
    as_json = runner.invoke(app, [*arguments, "--split", "all", "--json"])

    assert table.exit_code == 0, table.output
    assert "unknown label" in table.stdout
    [row] = [line for line in table.stdout.splitlines() if "pets-allowed=yes" in line]
    assert row.rstrip(" │").endswith("2")
    assert as_json.exit_code == 0, as_json.output
    payload = json.loads(as_json.stdout)
    assert payload["unknown_labels"] == {"pets-allowed=yes": 2, "pets-allowed=no": 1}
