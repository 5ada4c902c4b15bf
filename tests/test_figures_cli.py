"""The diff, changes and stats commands on a small history of our own."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clausewatch.cli.app import app
from clausewatch.db.store import Store
from clausewatch.settings import Settings
from tests.figure_histories import record_capture

FILLER = (
    "This notice explains in plain words how the service described here handles the "
    "information of the people who use it every day, and it applies to every product."
)
SHARE_V1 = "We share data with partners who host our servers."
SHARE_V2 = "We share data with advertising partners who host our servers."
TRAIN = "We train our models on the conversations you have with the assistant."
DELETE = "You can delete your account from the settings page at any time."

runner = CliRunner()


def policy(*paragraphs: str) -> str:
    return "# Privacy Policy\n\n" + "\n\n".join((FILLER, *paragraphs)) + "\n"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("figures-cli") / "data"
    store = Store.open(Settings(data_dir=folder))
    captures = [
        (datetime(2025, 1, 10, tzinfo=UTC), policy(SHARE_V1, DELETE)),
        (
            datetime(2025, 3, 15, tzinfo=UTC),
            policy("Last updated: March 15, 2025", SHARE_V2, DELETE, TRAIN),
        ),
        # Only the stated date moves: a cosmetic change.
        (
            datetime(2025, 6, 20, tzinfo=UTC),
            policy("Last updated: June 20, 2025", SHARE_V2, DELETE, TRAIN),
        ),
    ]
    for moment, text in captures:
        record_capture(store, "alpha", "Privacy Policy", text, moment)
    store.close()
    return folder


def invoke(data_dir: Path, *arguments: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--data-dir", str(data_dir), *arguments])


def test_diff_defaults_to_last_two(data_dir: Path) -> None:
    result = invoke(data_dir, "diff", "alpha:Privacy Policy", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert (payload["from_version"], payload["to_version"]) == (2, 3)


def test_diff_shows_word_changes(data_dir: Path) -> None:
    result = invoke(data_dir, "diff", "alpha:privacy policy", "1", "2")
    assert result.exit_code == 0, result.output
    assert "{+advertising +}" in result.stdout
    assert "[added]" in result.stdout
    assert "[modified]" in result.stdout


def test_diff_json_by_record_id(data_dir: Path) -> None:
    listed = json.loads(invoke(data_dir, "show", "alpha", "--json").stdout)
    record_id = listed["documents"][0]["record_id"]
    result = invoke(data_dir, "diff", record_id.lower(), "1", "3", "--json")
    assert result.exit_code == 0, result.output
    kinds = sorted(change["kind"] for change in json.loads(result.stdout)["changes"])
    assert kinds == ["added", "added", "modified"]


def test_diff_material_only_hides_cosmetic(data_dir: Path) -> None:
    everything = json.loads(
        invoke(data_dir, "diff", "alpha:Privacy Policy", "--json").stdout
    )
    material = json.loads(
        invoke(
            data_dir, "diff", "alpha:Privacy Policy", "--material-only", "--json"
        ).stdout
    )
    assert [change["material"] for change in everything["changes"]] == [False]
    assert material["changes"] == []


@pytest.mark.parametrize(
    ("arguments", "exit_code", "message"),
    [
        (("diff", "alpha:Cookie Policy"), 3, "no document"),
        (("diff", "alpha:Privacy Policy", "1", "9"), 3, "no version 9"),
        (("changes", "--since", "2025-02-30"), 2, "invalid date"),
        (("changes", "--platform", "omega"), 3, "not tracked"),
        (("changes", "--min-severity", "severe"), 2, "invalid severity"),
        (("changes", "--clause-type", "nosuch"), 3, "no clause type with id 'nosuch'"),
        (("changes", "--clause-type", "arbitraton"), 3, "did you mean arbitration"),
        (("changes", "--document", "D-ZZZZZZ"), 3, "no document with record ID"),
    ],
)
def test_change_commands_reject_bad_input(
    data_dir: Path, arguments: tuple[str, ...], exit_code: int, message: str
) -> None:
    result = invoke(data_dir, *arguments)
    assert result.exit_code == exit_code
    assert message in result.stderr


def test_changes_since_and_material(data_dir: Path) -> None:
    result = invoke(
        data_dir, "changes", "--since", "2025-03-01", "--material-only", "--json"
    )
    assert result.exit_code == 0, result.output
    page = json.loads(result.stdout)
    assert page["total"] == len(page["items"])
    assert {item["kind"] for item in page["items"]} == {"version", "added", "modified"}
    assert all(item["occurred_at"].startswith("2025-03-15") for item in page["items"])


def test_changes_of_known_ids_without_changes(data_dir: Path) -> None:
    result = invoke(data_dir, "changes", "--clause-type", "arbitration", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == 0


def test_changes_by_document_record_id(data_dir: Path) -> None:
    listed = json.loads(invoke(data_dir, "show", "alpha", "--json").stdout)
    record_id = listed["documents"][0]["record_id"]
    result = invoke(data_dir, "changes", "--document", record_id.lower(), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == 6


def test_changes_table_lists_sentences(data_dir: Path) -> None:
    result = invoke(data_dir, "changes", "--platform", "alpha")
    assert result.exit_code == 0, result.output
    assert "of 6 changes" in result.stdout


def test_stats_prints_figures(data_dir: Path) -> None:
    result = invoke(data_dir, "stats", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)["figures"]
    assert figures["tracked_platforms"] == 1
    top = {item["clause_type_id"]: item for item in figures["most_prevalent"]}
    assert top["third_party_sharing"]["rarity"] == "Widespread"
