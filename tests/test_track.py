"""Tracking over HTTP from a local server: versions and record IDs follow the pages."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from clausewatch.cli import app
from clausewatch.db.models import Document, Provision, ProvisionText, Version
from clausewatch.db.store import Store
from clausewatch.declarations import load_catalog
from clausewatch.settings import Settings
from clausewatch.tracking.track import track
from tests.history_builders import (
    PRIVACY_V1,
    PRIVACY_V2,
    PRIVACY_V3,
    write_folder_history,
)
from tests.page_server import PageSite, serve_site

DECLARATION = """id: {id}
name: {name}
category: other
documents:
  Privacy Policy:
    url: {url}
    select: ["main#content"]
    remove: ["#cookie-banner", ".breadcrumb"]
"""


def write_catalog(folder: Path, base_url: str, paths: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for platform_id, path in paths.items():
        (folder / f"{platform_id}.yaml").write_text(
            DECLARATION.format(
                id=platform_id, name=platform_id.title(), url=f"{base_url}{path}"
            ),
            "utf-8",
        )
    return folder


def settings_for(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        allowed_private_hosts=["127.0.0.1"],
        fetch_retries=0,
        fetch_timeout=10,
    )


def record_ids(store: Store, platform_id: str) -> dict[str, str]:
    """Text -> record ID of the latest version of a platform's privacy policy."""
    with store.session() as session:
        latest = session.scalar(
            select(Version.id)
            .join(Document, Document.id == Version.document_id)
            .where(Document.platform_id == platform_id)
            .order_by(Version.number.desc())
            .limit(1)
        )
        rows = session.execute(
            select(ProvisionText.text, Provision.record_id)
            .join(Provision, Provision.id == ProvisionText.provision_id)
            .where(ProvisionText.version_id == latest)
        ).all()
    return dict(rows)


def version_count(store: Store, platform_id: str) -> int:
    with store.session() as session:
        return len(
            session.scalars(
                select(Version.id)
                .join(Document, Document.id == Version.document_id)
                .where(Document.platform_id == platform_id)
            ).all()
        )


def test_track_follows_served_changes(tmp_path: Path) -> None:
    site = PageSite(
        pages={
            "/changing": [PRIVACY_V1, PRIVACY_V2, PRIVACY_V2, PRIVACY_V3],
            "/steady": [PRIVACY_V3],
        }
    )
    settings = settings_for(tmp_path)
    store = Store.open(settings)
    with serve_site(site) as base:
        catalog = load_catalog(
            write_catalog(
                tmp_path / "catalog",
                base,
                {"changing": "/changing", "steady": "/steady"},
            )
        )
        reports = []
        ids_by_round = []
        for round_number in range(4):
            site.round = round_number
            reports.append(asyncio.run(track(store, settings, catalog, analyzer=None)))
            ids_by_round.append(record_ids(store, "changing"))

    assert [report.new_versions for report in reports] == [2, 1, 0, 1]
    assert [report.unchanged for report in reports] == [0, 1, 2, 1]
    assert all(report.failed == [] for report in reports)
    assert version_count(store, "changing") == 3
    assert version_count(store, "steady") == 1
    shared = set(ids_by_round[0]) & set(ids_by_round[3])
    assert shared, "unchanged clauses exist across rounds"
    for text in shared:
        assert ids_by_round[0][text] == ids_by_round[3][text]
    edited = next(text for text in ids_by_round[1] if "train our artificial" in text)
    original = next(
        text for text in ids_by_round[0] if "so that we can answer them." in text
    )
    assert ids_by_round[1][edited] == ids_by_round[0][original]
    text_without_chrome = "\n".join(ids_by_round[0])
    assert "cookies" not in text_without_chrome
    assert "Legal /" not in text_without_chrome
    store.close()


def test_failed_document_does_not_stop_others(tmp_path: Path) -> None:
    site = PageSite(pages={"/ok": [PRIVACY_V1]})
    settings = settings_for(tmp_path)
    store = Store.open(settings)
    with serve_site(site) as base:
        catalog = load_catalog(
            write_catalog(
                tmp_path / "catalog", base, {"gone": "/missing", "fine": "/ok"}
            )
        )
        report = asyncio.run(track(store, settings, catalog, analyzer=None))
    assert report.new_versions == 1
    assert len(report.failed) == 1
    assert "404" in report.failed[0]
    with store.session() as session:
        failed = session.scalars(
            select(Document).where(Document.platform_id == "gone")
        ).one()
        assert failed.last_error and "404" in failed.last_error
    store.close()


def run_cli(data_dir: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clausewatch", "--data-dir", str(data_dir), *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, "CLAUSEWATCH_ALLOWED_PRIVATE_HOSTS": "127.0.0.1"},
        timeout=300,
    )


def wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{condition.__name__} still false after {timeout} s")
        time.sleep(0.05)


def test_killed_track_recovers(tmp_path: Path) -> None:
    site = PageSite(pages={f"/p{index}": [PRIVACY_V1] for index in range(6)})
    site.delay_paths = {"/p5"}
    data_dir = tmp_path / "data"
    with serve_site(site) as base:
        catalog = write_catalog(
            tmp_path / "catalog",
            base,
            {f"site{index}": f"/p{index}" for index in range(6)},
        )
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "clausewatch",
                "--data-dir",
                str(data_dir),
                "track",
                "--no-analyze",
                "--catalog",
                str(catalog),
            ],
            env={**os.environ, "CLAUSEWATCH_ALLOWED_PRIVATE_HOSTS": "127.0.0.1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def some_versions_stored() -> bool:
            try:
                with sqlite3.connect(data_dir / "clausewatch.db") as connection:
                    row = connection.execute("select count(*) from versions").fetchone()
                return row[0] >= 3
            except sqlite3.Error:
                return False

        wait_for(some_versions_stored)
        process.send_signal(signal.SIGKILL)
        process.wait()
        site.release.set()
        site.delay_paths = set()
        rerun = run_cli(data_dir, "track", "--no-analyze", "--catalog", str(catalog))
    assert rerun.returncode == 0, rerun.stderr
    verify = run_cli(data_dir, "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    stats = run_cli(data_dir, "stats", "--json")
    assert '"versions": 6' in stats.stdout


def test_verify_finds_deleted_and_altered_blobs(tmp_path: Path) -> None:
    site = PageSite(pages={"/a": [PRIVACY_V1], "/b": [PRIVACY_V2]})
    settings = settings_for(tmp_path)
    store = Store.open(settings)
    with serve_site(site) as base:
        catalog = load_catalog(
            write_catalog(tmp_path / "catalog", base, {"a": "/a", "b": "/b"})
        )
        asyncio.run(track(store, settings, catalog, analyzer=None))
    hashes = store.snapshot_hashes()
    assert len(hashes) == 2
    store.blobs.path_for(hashes[0]).unlink()
    store.blobs.path_for(hashes[1]).write_bytes(b"tampered")
    store.close()

    runner = CliRunner()
    result = runner.invoke(app, ["--data-dir", str(settings.data_dir), "verify"])
    assert result.exit_code == 1
    assert f"missing blob {hashes[0]}" in result.output
    assert f"altered blob {hashes[1]}" in result.output


def platform_row(store: Store, platform_id: str) -> tuple[str, list[str]]:
    """The stored name of a platform and the first page URL of each document."""
    with store.session() as session:
        documents = session.scalars(
            select(Document).where(Document.platform_id == platform_id)
        ).all()
        return documents[0].platform.name, [
            document.declaration["pages"][0]["url"] for document in documents
        ]


def test_derived_id_rejected_for_other_platform(tmp_path: Path) -> None:
    site = PageSite(pages={"/x": [PRIVACY_V1], "/noid": [PRIVACY_V2]})
    settings = settings_for(tmp_path)
    store = Store.open(settings)
    with serve_site(site) as base:
        first = tmp_path / "first"
        first.mkdir()
        (first / "x.yaml").write_text(
            DECLARATION.format(id="x", name="X (Twitter)", url=f"{base}/x"), "utf-8"
        )
        asyncio.run(track(store, settings, load_catalog(first), analyzer=None))
        second = write_catalog(tmp_path / "second", base, {"other": "/x"})
        (second / "x.yaml").write_text(
            f"name: NoId\ndocuments:\n  Privacy Policy: {base}/noid\n", "utf-8"
        )

        report = asyncio.run(
            track(store, settings, load_catalog(second), analyzer=None)
        )

    (failure,) = report.failed
    assert str(second / "x.yaml") in failure
    assert 'platform id "x"' in failure
    assert '"X (Twitter)"' in failure
    assert '"NoId"' in failure
    assert "id: x" in failure
    assert report.documents == 1
    assert platform_row(store, "x") == ("X (Twitter)", [f"{base}/x"])
    assert version_count(store, "x") == 1
    assert version_count(store, "other") == 1
    store.close()


def test_declarations_may_update_their_platform(tmp_path: Path) -> None:
    site = PageSite(pages={"/a": [PRIVACY_V1], "/b": [PRIVACY_V2]})
    settings = settings_for(tmp_path)
    store = Store.open(settings)
    with serve_site(site) as base:
        folder = write_catalog(tmp_path / "catalog", base, {"zeta": "/a"})
        asyncio.run(track(store, settings, load_catalog(folder), analyzer=None))
        # No id, the same name: the file updates its own platform.
        (folder / "zeta.yaml").write_text(
            f"name: Zeta\ndocuments:\n  Privacy Policy: {base}/b\n", "utf-8"
        )
        moved = asyncio.run(track(store, settings, load_catalog(folder), analyzer=None))
        assert platform_row(store, "zeta") == ("Zeta", [f"{base}/b"])
        # An id written in the file may rename its platform.
        (folder / "zeta.yaml").write_text(
            DECLARATION.format(id="zeta", name="Zeta Inc.", url=f"{base}/b"), "utf-8"
        )
        renamed = asyncio.run(
            track(store, settings, load_catalog(folder), analyzer=None)
        )

    assert moved.failed == renamed.failed == []
    assert platform_row(store, "zeta") == ("Zeta Inc.", [f"{base}/b"])
    store.close()


def test_track_cli_rejects_derived_id(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    history = write_folder_history(
        tmp_path / "history",
        "X",
        "Privacy Policy",
        [(datetime(2025, 1, 6, tzinfo=UTC), PRIVACY_V1)],
    )
    imported = run_cli(data_dir, "import", "--no-analyze", str(history))
    assert imported.returncode == 0, imported.stderr
    site = PageSite(pages={"/noid": [PRIVACY_V2]})
    with serve_site(site) as base:
        catalog = tmp_path / "catalog"
        catalog.mkdir()
        (catalog / "x.yaml").write_text(
            f"name: NoId\ndocuments:\n  Privacy Policy: {base}/noid\n", "utf-8"
        )
        result = run_cli(data_dir, "track", "--no-analyze", "--catalog", str(catalog))

    assert result.returncode == 1
    errors = " ".join(result.stderr.split())
    assert f'failed: {catalog / "x.yaml"}: platform id "x"' in errors
    assert site.requests == 0
    store = Store.open(Settings(data_dir=data_dir))
    assert platform_row(store, "x") == ("X (Twitter)", ["https://x.com/en/privacy"])
    store.close()
