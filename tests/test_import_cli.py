"""The import and verify commands: notes, repairs and advice per snapshot origin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from clausewatch.cli import app
from clausewatch.db.models import Snapshot
from clausewatch.db.store import Store
from clausewatch.settings import Settings
from clausewatch.snapshot import sha256_hex
from tests.history_builders import (
    PRIVACY_V1,
    PRIVACY_V2,
    timestamp_name,
    write_folder_history,
)

runner = CliRunner()
VERSIONS = [
    (datetime(2020, 2, 1, tzinfo=UTC), PRIVACY_V1),
    (datetime(2020, 8, 1, tzinfo=UTC), PRIVACY_V2),
]
BLOCK_PAGE = "# Access denied\n\nPlease complete the security check to continue.\n"


def invoke(data_dir: Path, *arguments: str):
    return runner.invoke(app, ["--data-dir", str(data_dir), *arguments])


def flat(text: str) -> str:
    """Join the lines that the console wrapped at its width."""
    return " ".join(text.split())


@pytest.fixture
def history(tmp_path: Path) -> Path:
    return write_folder_history(
        tmp_path / "history", "Zeta", "Privacy Policy", VERSIONS
    )


def test_reimport_repairs_what_verify_finds(tmp_path: Path, history: Path) -> None:
    data = tmp_path / "data"
    assert invoke(data, "import", "--no-analyze", str(history)).exit_code == 0
    digest = sha256_hex(PRIVACY_V1.encode())
    (data / "blobs" / digest[:2] / digest).unlink()

    verified = invoke(data, "verify")

    assert verified.exit_code == 1
    assert f"missing blob {digest}" in flat(verified.stderr)
    assert (
        "Imported snapshot of zeta Privacy Policy, file Zeta/Privacy Policy/"
        f"{timestamp_name(VERSIONS[0][0])}: run clausewatch import {history} to "
        "write the blob back from that file." in flat(verified.stderr)
    )

    imported = invoke(data, "import", "--no-analyze", str(history))

    assert imported.exit_code == 0
    assert "2 already imported (1 repaired)" in flat(imported.stdout)
    assert f"note: Zeta/Privacy Policy/{timestamp_name(VERSIONS[0][0])}: blob " in (
        flat(imported.stderr)
    )
    assert invoke(data, "verify").exit_code == 0


def test_verify_advice_for_fetched_snapshot(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = Store.open(Settings(data_dir=data))
    document_id = store.ensure_document(
        platform_id="zeta", platform_name="Zeta", terms_type="Terms of Service"
    )
    digest = store.blobs.put(b"<html>terms</html>")
    with store.document_work(document_id) as work:
        work.add_snapshot(
            sha256=digest,
            url="http://127.0.0.1/terms",
            final_url="http://127.0.0.1/terms",
            status=200,
            content_type="text/html",
            headers=None,
            size=18,
            fetched_at=datetime(2026, 1, 5, tzinfo=UTC),
            origin="fetch",
        )
    store.blobs.path_for(digest).write_bytes(b"<html>changed</html>")
    store.close()

    result = invoke(data, "verify", "--json")

    assert result.exit_code == 1
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["problem"] == "mismatch"
    assert problem["origins"] == [
        {
            "origin": "fetch",
            "platform_id": "zeta",
            "terms_type": "Terms of Service",
            "history": None,
            "history_recorded": False,
            "file": None,
        }
    ]
    assert problem["repair"].startswith("Fetched snapshot of zeta Terms of Service:")
    assert "clausewatch track" in problem["repair"]
    assert "backup" in problem["repair"]


def test_import_prints_skipped_and_errors(tmp_path: Path, history: Path) -> None:
    write_folder_history(
        history, "Zeta", "Made Up Type", [(datetime(2021, 1, 1, tzinfo=UTC), "x")]
    )
    write_folder_history(
        history,
        "Zeta",
        "Privacy Policy",
        [(datetime(2099, 1, 1, tzinfo=UTC), PRIVACY_V2)],
    )
    (history / "README.md").write_text("# Versions\n", "utf-8")

    result = invoke(tmp_path / "data", "import", "--no-analyze", str(history))

    assert result.exit_code == 1
    errors = flat(result.stderr)
    assert "note: README.md: not inside a <service>/<terms type>/ folder" in errors
    assert 'error: Zeta/Made Up Type: unknown terms type "Made Up Type"' in errors
    assert "error: Zeta/Privacy Policy/2099-01-01T00-00-00Z.md: dated 2099" in errors
    assert "2 new versions" in flat(result.stdout)


def test_suspect_capture_printed_once(tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "history",
        "Zeta",
        "Privacy Policy",
        [*VERSIONS, (datetime(2021, 1, 1, tzinfo=UTC), BLOCK_PAGE)],
    )
    # A child process, because pytest's log capture replaces the handler that the
    # command configures for itself.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "clausewatch",
            "--data-dir",
            str(tmp_path / "data"),
            "import",
            "--no-analyze",
            str(history),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "300", "CLAUSEWATCH_EXTRACTION_PROCESSES": "1"},
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "1 suspect" in result.stdout
    assert result.stderr.count("blocked: a 9-word page") == 1, result.stderr


def test_verify_advice_names_absolute_history(
    tmp_path: Path, history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke(Path("data"), "import", "--no-analyze", "history").exit_code == 0
    digest = sha256_hex(PRIVACY_V2.encode())
    (tmp_path / "data" / "blobs" / digest[:2] / digest).unlink()

    result = invoke(Path("data"), "verify", "--json")

    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["origins"][0]["history"] == str(history)
    assert f"clausewatch import {history} " in problem["repair"]


def test_verify_names_each_snapshots_history(tmp_path: Path) -> None:
    first = write_folder_history(
        tmp_path / "first", "Zeta", "Privacy Policy", VERSIONS[:1]
    )
    # A later history of the same document, whose only file is a suspect capture.
    second = write_folder_history(
        tmp_path / "second", "Zeta", "Privacy Policy", [(VERSIONS[1][0], "")]
    )
    data = tmp_path / "data"
    assert invoke(data, "import", "--no-analyze", str(first)).exit_code == 0
    assert invoke(data, "import", "--no-analyze", str(second)).exit_code == 0
    digest = sha256_hex(PRIVACY_V1.encode())
    (data / "blobs" / digest[:2] / digest).write_bytes(b"altered")

    result = invoke(data, "verify", "--json")

    (problem,) = json.loads(result.stdout)["problems"]
    (origin,) = problem["origins"]
    assert origin["history"] == str(first)
    assert origin["history_recorded"] is True
    assert origin["file"] == f"Zeta/Privacy Policy/{timestamp_name(VERSIONS[0][0])}"
    assert f"clausewatch import {first} to write the blob back" in problem["repair"]
    assert invoke(data, "import", "--no-analyze", str(first)).exit_code == 0
    assert invoke(data, "verify").exit_code == 0


def test_verify_falls_back_to_document_history(tmp_path: Path, history: Path) -> None:
    data = tmp_path / "data"
    assert invoke(data, "import", "--no-analyze", str(history)).exit_code == 0
    # Snapshots imported before each recorded its history have none.
    store = Store.open(Settings(data_dir=data))
    with store.session() as session:
        session.execute(update(Snapshot).values(imported_from=None))
    store.close()
    digest = sha256_hex(PRIVACY_V2.encode())
    (data / "blobs" / digest[:2] / digest).unlink()

    result = invoke(data, "verify", "--json")

    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["origins"][0]["history"] == str(history)
    assert problem["origins"][0]["history_recorded"] is False
    assert (
        f"clausewatch import {history} (the history this document was last "
        "imported from)" in problem["repair"]
    )
    assert "import the history that contains this file" in problem["repair"]


def test_summary_counts_imported_and_skipped(tmp_path: Path, history: Path) -> None:
    write_folder_history(history, "Solo", "Privacy Policy", [(VERSIONS[0][0], "")])

    result = invoke(tmp_path / "data", "import", "--no-analyze", str(history))

    assert result.exit_code == 1
    summary = flat(result.stdout)
    assert summary.startswith("Imported 2 files of 1 document in ")
    assert summary.endswith("0 suspect; 1 file skipped.")
    assert "error: Solo/Privacy Policy/2020-02-01T00-00-00Z.md: empty" in flat(
        result.stderr
    )
    stats = json.loads(invoke(tmp_path / "data", "stats", "--json").stdout)
    assert stats["platforms"] == 1


def test_size_limit_from_environment(tmp_path: Path, history: Path) -> None:
    limit = len(PRIVACY_V1.encode())

    result = runner.invoke(
        app,
        ["--data-dir", str(tmp_path / "data"), "import", "--no-analyze", str(history)],
        env={"CLAUSEWATCH_IMPORT_MAX_BYTES": str(limit)},
    )

    assert result.exit_code == 1
    assert "1 file skipped" in flat(result.stdout)
    size = len(PRIVACY_V2.encode())
    assert (
        f"error: Zeta/Privacy Policy/{timestamp_name(VERSIONS[1][0])}: {size:,} "
        f"bytes, over the import limit of {limit:,} bytes" in flat(result.stderr)
    )


def test_import_notes_joined_folders(tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "history", "Twitter", "Privacy Policy", VERSIONS[:1]
    )
    write_folder_history(history, "X", "Privacy Policy", VERSIONS[1:])

    result = invoke(tmp_path / "data", "import", "--no-analyze", str(history))

    assert result.exit_code == 0, result.stderr
    assert "of 1 document" in flat(result.stdout)
    assert (
        "note: Privacy Policy of X (Twitter): one timeline from Twitter/Privacy "
        "Policy (1 file, 2020-02-01 to 2020-02-01), X/Privacy Policy"
    ) in flat(result.stderr)
    stats = json.loads(invoke(tmp_path / "data", "stats", "--json").stdout)
    assert stats["platforms"] == 1


def test_import_exits_1_on_platform_stored_twice(tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "history", "Twitter", "Privacy Policy", VERSIONS
    )
    data = tmp_path / "data"
    # A store that an import filled before the catalog listed "Twitter" for X.
    store = Store.open(Settings(data_dir=data))
    store.ensure_document(
        platform_id="twitter", platform_name="Twitter", terms_type="Privacy Policy"
    )
    store.close()

    result = invoke(data, "import", "--no-analyze", str(history))

    assert result.exit_code == 1
    assert (
        'error: Twitter/: the catalog lists "Twitter" as a name of platform "x" '
        "(X (Twitter)), but this data directory already stores it as platform "
        '"twitter" (Twitter).' in flat(result.stderr)
    )
    stats = json.loads(invoke(data, "stats", "--json").stdout)
    assert stats["platforms"] == 1
    assert stats["versions"] == 2
