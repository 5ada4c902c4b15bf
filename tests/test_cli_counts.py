"""Counts in command messages take the singular for one: "1 problem", "1 contact"."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from clausewatch.cli.app import app
from clausewatch.db.store import Store
from clausewatch.settings import Settings
from tests.figure_histories import record_capture
from tests.history_builders import write_folder_history

runner = CliRunner()
FILLER = (
    "This page explains how the service handles the information of the people who "
    "use it, and it applies to the website, the apps and every related product."
)
SHARE_V1 = "We share records with hosting partners."
SHARE_V2 = "We share records with hosting and advertising partners."


def policy(*paragraphs: str) -> str:
    return "# Policy\n\n" + "\n\n".join((FILLER, *paragraphs, FILLER.upper())) + "\n"


def invoke(data_dir: Path, *arguments: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--data-dir", str(data_dir), *arguments])


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_stats_one_change_one_platform(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    now = datetime.now(UTC)
    store = Store.open(Settings(data_dir=folder))
    try:
        for days_ago, text in ((60, policy(SHARE_V1)), (2, policy(SHARE_V2))):
            record_capture(
                store, "alpha", "Privacy Policy", text, now - timedelta(days=days_ago)
            )
    finally:
        store.close()

    result = invoke(folder, "stats")

    assert result.exit_code == 0, result.output
    assert "1 platform tracked, 1 of them" in one_line(result.stdout)
    assert (
        "1 documented change on 1 platform in the last 30 days (1 new version)."
        in one_line(result.stdout)
    )


def test_verify_one_problem(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    store = Store.open(Settings(data_dir=folder))
    try:
        record_capture(
            store,
            "alpha",
            "Privacy Policy",
            policy(SHARE_V1),
            datetime(2025, 1, 2, tzinfo=UTC),
        )
        [blob] = [path for path in store.blobs.root.rglob("*") if path.is_file()]
    finally:
        store.close()
    blob.write_bytes(b"altered")

    result = invoke(folder, "verify")

    assert result.exit_code == 1
    assert "Checked 1 snapshot blob (each distinct SHA-256 once): 1 problem." in (
        one_line(result.stdout)
    )


def test_classify_one_contact(tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "history",
        "Lantern",
        "Privacy Policy",
        [
            (
                datetime(2025, 1, 6, tzinfo=UTC),
                policy(SHARE_V1, "Write to our team at privacy@lantern.example."),
            )
        ],
    )
    folder = tmp_path / "data"
    imported = invoke(folder, "import", "--no-analyze", str(history))
    assert imported.exit_code == 0, imported.output

    report = json.loads(invoke(folder, "classify", "--json").stdout)
    result = invoke(folder, "classify")

    assert report["contacts"] == 1
    assert report["documents"] == 1
    assert "of 1 document with" in one_line(result.stdout)
    assert "1 contact read again." in one_line(result.stdout)
