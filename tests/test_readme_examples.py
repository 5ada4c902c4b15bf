"""The record IDs in the README's examples exist after a first import."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clausewatch.cli import app
from clausewatch.db.record_ids import parse_record_id
from tests.history_builders import write_folder_history

README = Path(__file__).resolve().parents[1] / "README.md"
RECORD_ID = re.compile(r"\b[DP]-[0-9A-Z]{6}\b")
# More provisions than the highest provision number the README names (P-00012V is 34).
PARAGRAPHS = 40
TOPICS = [
    "the name on your account",
    "the messages you send to support",
    "the device you sign in from",
    "the pages you open in the app",
    "the payments you make for a plan",
]


def readme_record_ids() -> list[str]:
    return sorted(set(RECORD_ID.findall(README.read_text("utf-8"))))


def long_policy() -> str:
    sections = ["# Example Privacy Policy\n"]
    for number in range(1, PARAGRAPHS + 1):
        topic = TOPICS[number % len(TOPICS)]
        sections.append(
            f"## Section {number}\n\nIn case {number} we record {topic} and keep that "
            f"record for {number} months before we delete it for good.\n"
        )
    return "\n".join(sections)


def test_readme_names_record_ids() -> None:
    found = readme_record_ids()

    assert any(item.startswith("D-") for item in found)
    assert any(item.startswith("P-") for item in found)


@pytest.mark.parametrize("record_id", readme_record_ids())
def test_readme_record_id_well_formed(record_id: str) -> None:
    assert parse_record_id(record_id) is not None


def test_readme_record_ids_exist_after_import(tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "history",
        "Example AI",
        "Privacy Policy",
        [(datetime(2025, 1, 6, tzinfo=UTC), long_policy())],
    )
    data_dir = tmp_path / "data"
    runner = CliRunner()
    imported = runner.invoke(
        app, ["--data-dir", str(data_dir), "import", "--no-analyze", str(history)]
    )
    assert imported.exit_code == 0, imported.output

    for record_id in readme_record_ids():
        shown = runner.invoke(
            app, ["--data-dir", str(data_dir), "show", record_id, "--json"]
        )
        assert shown.exit_code == 0, f"{record_id}: {shown.output}"
