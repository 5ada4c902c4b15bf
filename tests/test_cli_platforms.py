"""`clausewatch platforms` and the errors that send readers to it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clausewatch.cli import app
from tests.history_builders import PRIVACY_V1, PRIVACY_V2, write_folder_history

runner = CliRunner()
WIDE = {"COLUMNS": "200"}
JANUARY = datetime(2025, 1, 6, 9, 30, tzinfo=UTC)
MARCH = datetime(2026, 3, 2, 14, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("platforms")
    history = root / "history"
    write_folder_history(
        history, "Example AI", "Privacy Policy", [(JANUARY, PRIVACY_V1)]
    )
    write_folder_history(
        history, "Example AI", "Terms of Service", [(MARCH, PRIVACY_V2)]
    )
    write_folder_history(
        history, "Bracket [Co]", "Privacy Policy", [(JANUARY, PRIVACY_V1)]
    )
    folder = root / "data"
    result = runner.invoke(
        app, ["--data-dir", str(folder), "import", "--no-analyze", str(history)]
    )
    assert result.exit_code == 0, result.output
    return folder


def invoke(data_dir: Path, *arguments: str):
    return runner.invoke(app, ["--data-dir", str(data_dir), *arguments], env=WIDE)


def test_platforms_json(data_dir: Path) -> None:
    result = invoke(data_dir, "platforms", "--json")

    assert result.exit_code == 0, result.output
    platforms = json.loads(result.stdout)["platforms"]
    assert [item["id"] for item in platforms] == ["bracket-co", "example-ai"]
    example = platforms[1]
    assert example["name"] == "Example AI"
    assert example["documents"] == 2
    assert example["failing_documents"] == 0
    assert example["last_verified_at"] == MARCH.isoformat()


def test_platforms_table(data_dir: Path) -> None:
    result = invoke(data_dir, "platforms")

    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if "example-ai" in line]
    assert len(rows) == 1
    assert "Example AI" in rows[0]
    assert "2026-03-02 14:05 UTC" in rows[0]
    assert "Bracket [Co]" in result.stdout


def test_platforms_on_empty_store(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert invoke(data_dir, "init").exit_code == 0

    table = invoke(data_dir, "platforms")
    listing = invoke(data_dir, "platforms", "--json")

    assert table.exit_code == 0
    assert "No platform is tracked yet" in table.stdout
    assert json.loads(listing.stdout) == {"platforms": []}


@pytest.mark.parametrize(
    ("request_id", "suggested"),
    [
        ("exmaple-ai", "example-ai"),
        ("Example AI", "example-ai"),
        ("bracket", "bracket-co"),
    ],
)
def test_unknown_platform_suggests_close_id(
    data_dir: Path, request_id: str, suggested: str
) -> None:
    result = invoke(data_dir, "show", request_id)

    assert result.exit_code == 3
    assert f"did you mean: {suggested}?" in result.output
    assert "with clausewatch platforms" in result.output


@pytest.mark.parametrize("request_id", ["nope", "zzzz", "ai", "a", "Privacy Policy"])
def test_unknown_platform_far_from_all(data_dir: Path, request_id: str) -> None:
    result = invoke(data_dir, "show", request_id)

    assert result.exit_code == 3
    assert "did you mean" not in result.output
    assert (
        "see the 2 tracked platforms at /platforms or with clausewatch platforms"
        in (result.output)
    )


def test_unknown_platform_on_empty_store(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert invoke(data_dir, "init").exit_code == 0

    result = invoke(data_dir, "show", "openai")

    assert result.exit_code == 3
    assert "no platform is tracked yet, so run clausewatch import" in (result.output)
