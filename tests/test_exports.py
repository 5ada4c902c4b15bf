"""Bulk exports of provisions and changes, from the CLI and the JSON API."""

from __future__ import annotations

# The site fixture is imported, so pytest finds it; test arguments then shadow it.
# ruff: noqa: F811
import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from clausewatch.cli.app import app
from clausewatch.db.models import Provision
from clausewatch.db.store import Store
from clausewatch.exports import neutralise_cell
from clausewatch.exports.tables import CHANGE_COLUMNS, PROVISION_COLUMNS
from clausewatch.figures.changes import ChangeFilter, list_changes
from clausewatch.figures.export_rows import iter_change_rows, iter_provision_rows
from clausewatch.figures.stability import stability_of
from clausewatch.settings import Settings
from clausewatch.tracking.history_import import import_history
from tests.history_builders import write_folder_history
from tests.web_fixtures import WebSite, site  # noqa: F401

runner = CliRunner()

FORMULA_POLICY = """# Formula Test Privacy Policy

## Spreadsheet traps

=HYPERLINK("https://formula.example/steal", "Click for your data")

@SUM(1+1) is how this clause starts, and it must stay text in a spreadsheet.

## Ordinary clause

We keep your messages for thirty days. Données conservées: 30 jours, über alles.
"""


def export(site: WebSite, *arguments: str):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app, ["--data-dir", str(site.settings.data_dir), "export", *arguments]
    )


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def jsonl_rows(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def current_provision_count(site: WebSite) -> int:
    with site.store.session() as session:
        count = session.scalar(
            select(func.count(Provision.id)).where(Provision.is_current.is_(True))
        )
    return count or 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+41 22 000", "'+41 22 000"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("We keep = data", "We keep = data"),
        (-2, -2),
        (None, None),
    ],
)
def test_neutralise_cell(value: object, expected: object) -> None:
    assert neutralise_cell(value) == expected


def test_provisions_csv_has_header_and_rows(site: WebSite) -> None:
    result = export(site, "provisions", "--format", "csv")

    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0]
    assert header.split(",") == list(PROVISION_COLUMNS)
    assert len(csv_rows(result.stdout)) == current_provision_count(site)


def test_provisions_csv_lists_clause_types(site: WebSite) -> None:
    rows = csv_rows(export(site, "provisions").stdout)
    record_id = site.provision_id("We sell personal data")
    row = next(item for item in rows if item["record_id"] == record_id)

    types = row["clause_types"].split("; ")
    assert "sale_of_data" in types
    assert len(row["confidences"].split("; ")) == len(types)
    assert len(row["severities"].split("; ")) == len(types)
    assert len(row["stances"].split("; ")) == len(types)
    assert row["max_severity"] == row["severities"].split("; ")[0]
    assert row["platform_id"] == "parrotchat"
    assert row["heading_path"].endswith("Advertising")


def test_provision_dates_match_stability(site: WebSite) -> None:
    rows = csv_rows(export(site, "provisions").stdout)

    with site.store.session() as session:
        for row in rows:
            stability = stability_of(session, row["record_id"])
            assert datetime.fromisoformat(row["first_seen"]) == stability.first_seen
            assert datetime.fromisoformat(row["last_seen"]) == stability.last_seen


def test_provisions_jsonl_match_api_record(site: WebSite) -> None:
    result = export(site, "provisions", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = jsonl_rows(result.stdout)
    record_id = site.provision_id("We sell personal data")
    row = next(item for item in rows if item["record_id"] == record_id)

    api = site.client.get(f"/api/v1/provisions/{record_id}").json()["page"]["record"]

    shared = set(row) & set(api)
    assert {"record_id", "labels", "first_version", "text", "heading_path"} <= shared
    for key in shared:
        assert row[key] == api[key], key
    assert len(rows) == current_provision_count(site)


def test_export_platform_filter(site: WebSite) -> None:
    rows = jsonl_rows(
        export(site, "provisions", "-f", "jsonl", "--platform", "pebble-social").stdout
    )

    assert rows
    assert {row["platform_id"] for row in rows} == {"pebble-social"}


def test_changes_jsonl_match_api(site: WebSite) -> None:
    rows = jsonl_rows(export(site, "changes", "--format", "jsonl").stdout)
    api = site.client.get("/api/v1/changes", params={"limit": 500}).json()

    assert len(rows) == api["total"]
    assert rows == sorted(
        api["items"], key=lambda item: (item["occurred_at"], item["id"])
    )


def test_changes_csv_columns(site: WebSite) -> None:
    result = export(site, "changes")
    rows = csv_rows(result.stdout)

    assert result.stdout.splitlines()[0].split(",") == list(CHANGE_COLUMNS)
    added = [row for row in rows if row["kind"] == "added"]
    assert any("sale_of_data" in row["clause_types_after"] for row in added)


def test_batches_give_same_rows(site: WebSite) -> None:
    whole = list(iter_provision_rows(site.store.session))
    paged = list(iter_provision_rows(site.store.session, batch_size=2))

    assert paged == whole
    assert len({row.record_id for row in paged}) == len(paged)


def test_change_batches_oldest_first(site: WebSite) -> None:
    paged = list(iter_change_rows(site.store.session, batch_size=3))
    with site.store.session() as session:
        newest_first = list_changes(session, ChangeFilter(), limit=500).items

    assert paged == list(reversed(newest_first))


def test_output_file_written(site: WebSite, tmp_path: Path) -> None:
    target = tmp_path / "provisions.csv"

    result = export(site, "provisions", "--output", str(target))

    assert result.exit_code == 0, result.output
    assert target.read_text("utf-8") == export(site, "provisions").stdout
    assert f"wrote provisions to {target}" in result.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["provisions.csv"]


def test_unknown_platform_exits_3(site: WebSite, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"

    result = export(site, "changes", "--platform", "nosuchplatform", "-o", str(target))

    assert result.exit_code == 3
    assert "nosuchplatform" in result.stderr
    assert not target.exists()


def test_bad_format_exits_2(site: WebSite) -> None:
    result = export(site, "provisions", "--format", "xlsx")

    assert result.exit_code == 2
    assert "xlsx" in result.stderr
    assert "jsonl" in result.stderr


def test_bad_kind_exits_2(site: WebSite) -> None:
    result = export(site, "platforms")

    assert result.exit_code == 2
    assert "platforms" in result.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing/out.csv", "does not exist"), (".", "it is a folder")],
)
def test_unwritable_output_exits_2(
    site: WebSite, tmp_path: Path, name: str, message: str
) -> None:
    result = export(site, "provisions", "--output", str(tmp_path / name))

    assert result.exit_code == 2
    assert message in result.stderr
    assert "cannot write the export" in result.stderr


def test_api_csv_equals_cli(site: WebSite) -> None:
    response = site.client.get("/api/v1/exports/provisions", params={"format": "csv"})

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="clausewatch-provisions.csv"'
    )
    assert response.content == export(site, "provisions").stdout_bytes


def test_api_jsonl_changes_for_platform(site: WebSite) -> None:
    response = site.client.get(
        "/api/v1/exports/changes",
        params={"format": "jsonl", "platform": "parrotchat"},
    )

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert (
        "clausewatch-changes-parrotchat.jsonl"
        in (response.headers["content-disposition"])
    )
    rows = jsonl_rows(response.text)
    assert rows
    assert {row["platform_id"] for row in rows} == {"parrotchat"}


def test_api_unknown_platform_is_404(site: WebSite) -> None:
    response = site.client.get(
        "/api/v1/exports/provisions", params={"platform": "nosuchplatform"}
    )

    assert response.status_code == 404
    assert "nosuchplatform" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "path", ["/api/v1/exports/provisions?format=xlsx", "/api/v1/exports/platforms"]
)
def test_api_bad_export_is_422(site: WebSite, path: str) -> None:
    response = site.client.get(path)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_parameter"


@pytest.fixture(scope="module")
def formula_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("formula-export")
    history = write_folder_history(
        root / "history",
        "Formula Test",
        "Privacy Policy",
        [(datetime(2025, 5, 1, tzinfo=UTC), FORMULA_POLICY)],
    )
    store = Store.open(Settings(data_dir=root / "data"))
    try:
        import_history(store, history, analyzer=None)
    finally:
        store.close()
    return root / "data"


def test_csv_neutralises_formulas(formula_data_dir: Path) -> None:
    result = runner.invoke(
        app, ["--data-dir", str(formula_data_dir), "export", "provisions"]
    )
    assert result.exit_code == 0, result.output
    texts = [row["text"] for row in csv_rows(result.stdout)]

    assert any(text.startswith("'=HYPERLINK(") for text in texts)
    assert any(text.startswith("'@SUM(1+1)") for text in texts)
    assert not any(text.startswith(("=", "@")) for text in texts)


def test_csv_is_utf8(formula_data_dir: Path) -> None:
    result = runner.invoke(
        app, ["--data-dir", str(formula_data_dir), "export", "provisions"]
    )

    assert "Données conservées: 30 jours, über alles.".encode() in (result.stdout_bytes)


def run_export_process(data_dir: Path, stdout: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "clausewatch", "--data-dir", str(data_dir)]
        + ["export", "provisions"],
        stdout=stdout,
        stderr=subprocess.PIPE,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_stdout_write_failure_exits_1(site: WebSite) -> None:
    with open("/dev/full", "wb") as full:
        process = run_export_process(site.settings.data_dir, full)
        _, stderr = process.communicate(timeout=120)

    assert process.returncode == 1
    assert b"writing the export to standard output failed" in stderr
    assert b"Traceback" not in stderr


@pytest.fixture(scope="module")
def large_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose export is far larger than a pipe's buffer (64 KiB on Linux)."""
    root = tmp_path_factory.mktemp("large-export")
    clauses = "\n\n".join(
        f"Clause {number}: we keep the records of request {number} for {number} days "
        "and then delete them from every backup we hold."
        for number in range(1, 1501)
    )
    history = write_folder_history(
        root / "history",
        "Bulk Test",
        "Privacy Policy",
        [(datetime(2025, 6, 1, tzinfo=UTC), f"# Bulk Test Policy\n\n{clauses}\n")],
    )
    store = Store.open(Settings(data_dir=root / "data"))
    try:
        import_history(store, history, analyzer=None)
    finally:
        store.close()
    return root / "data"


def test_closed_pipe_stops_quietly(large_data_dir: Path) -> None:
    process = run_export_process(large_data_dir, subprocess.PIPE)
    assert process.stdout is not None
    first = process.stdout.read(10)
    process.stdout.close()
    _, stderr = process.communicate(timeout=120)

    assert first.startswith(b"platform_i")
    assert process.returncode == 1
    assert b"Traceback" not in stderr
    assert b"error:" not in stderr
