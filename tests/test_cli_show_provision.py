"""`clausewatch show P-...`: one provision with what its page shows."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clausewatch.cli import app
from clausewatch.taxonomy import default_taxonomy
from tests.history_builders import PRIVACY_V2, write_folder_history

runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("show-provision")
    history = write_folder_history(
        root / "history",
        "Example AI",
        "Privacy Policy",
        [(datetime(2026, 3, 2, tzinfo=UTC), PRIVACY_V2)],
    )
    folder = root / "data"
    # Imported with classification, so provisions carry clause types.
    result = runner.invoke(app, ["--data-dir", str(folder), "import", str(history)])
    assert result.exit_code == 0, result.output
    return folder


def invoke(data_dir: Path, *arguments: str, columns: int = 200):
    return runner.invoke(
        app, ["--data-dir", str(data_dir), *arguments], env={"COLUMNS": str(columns)}
    )


def training_provision(data_dir: Path) -> dict:
    result = invoke(data_dir, "show", "example-ai", "Privacy Policy", "--json")
    assert result.exit_code == 0, result.output
    [provision] = [
        item
        for item in json.loads(result.stdout)["provisions"]
        if "train our artificial" in item["text"]
    ]
    return provision


def test_show_provision_json_carries_page_sections(data_dir: Path) -> None:
    record_id = training_provision(data_dir)["record_id"]

    result = invoke(data_dir, "show", record_id, "--json")

    assert result.exit_code == 0, result.output
    page = json.loads(result.stdout)
    assert page["record"]["record_id"] == record_id
    assert page["record"]["platform_name"] == "Example AI"
    labels = {label["clause_type_id"] for label in page["record"]["labels"]}
    assert "ai_training_on_user_data" in labels
    assert page["severity"] and page["severity_reason"]
    assert "Example AI" in page["explanation"]["what_it_is"]
    assert page["actions"]
    assert page["regulations"]
    assert page["agencies"]


def test_show_provision_prints_explanation_and_actions(data_dir: Path) -> None:
    record_id = training_provision(data_dir)["record_id"]

    result = invoke(data_dir, "show", record_id.lower())

    assert result.exit_code == 0, result.output
    for heading in ("What it is", "Why it matters", "What you can do", "Regulations"):
        assert heading in result.stdout
    assert "ai_training_on_user_data" in result.stdout


def test_show_provision_prints_declared_articles(data_dir: Path) -> None:
    record_id = training_provision(data_dir)["record_id"]
    page = json.loads(invoke(data_dir, "show", record_id, "--json").stdout)
    taxonomy = default_taxonomy()
    clause_type = taxonomy.clause_type(page["clause_type"]["id"])

    result = invoke(data_dir, "show", record_id, columns=2000)

    assert result.exit_code == 0, result.output
    section = result.stdout.split("\nRegulations\n", 1)[1].split("\nAgencies\n")[0]
    printed = [line for line in section.splitlines() if line.startswith("  ")]
    expected = []
    for regulation in taxonomy.regulations_for(clause_type):
        articles = taxonomy.articles_for(clause_type, regulation)
        expected += [f"  {a.ref} {a.title}: {a.relevance}" for a in articles]
        if not articles:
            expected.append(
                "  No single article named: the regulation applies as a whole."
            )
    assert printed == expected


@pytest.mark.parametrize(
    ("record_id", "message"),
    [
        ("P-ZZZZZ1", "not a well-formed record ID"),
        ("P-0Z005Q", "no stored provision has it"),
    ],
)
def test_show_unknown_provision_exits_3(
    data_dir: Path, record_id: str, message: str
) -> None:
    result = invoke(data_dir, "show", record_id)

    assert result.exit_code == 3
    assert message in result.output
