"""Extraction in worker processes during track: same history, same failures."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from clausewatch.db.models import Contact, Document, ProvisionText, Snapshot, Version
from clausewatch.db.store import Store
from clausewatch.declarations import load_catalog
from clausewatch.tracking.contacts import refresh_contacts
from clausewatch.tracking.extraction_pool import (
    ExtractionPool,
    PageBody,
    prepare_pages,
    worker_count,
)
from clausewatch.tracking.track import track
from tests.history_builders import PRIVACY_V1, PRIVACY_V2, PRIVACY_V3
from tests.page_server import PageSite, serve_site
from tests.test_track import settings_for, write_catalog

SCRIPT_ONLY = "<script>document.write('Privacy Policy');</script>"


def history(store: Store) -> dict[str, list[tuple[int, str, list[str]]]]:
    """Each platform's versions: number, text hash and provision texts in order."""
    found: dict[str, list[tuple[int, str, list[str]]]] = {}
    with store.session() as session:
        versions = session.execute(
            select(
                Document.platform_id, Version.id, Version.number, Version.text_sha256
            )
            .join(Document, Document.id == Version.document_id)
            .order_by(Document.platform_id, Version.number)
        ).all()
        for platform_id, version_id, number, digest in versions:
            texts = session.scalars(
                select(ProvisionText.text)
                .where(ProvisionText.version_id == version_id)
                .order_by(ProvisionText.position)
            ).all()
            found.setdefault(platform_id, []).append((number, digest, list(texts)))
    return found


def track_rounds(tmp_path: Path, processes: int) -> Store:
    site = PageSite(
        pages={
            "/a": [PRIVACY_V1, PRIVACY_V2, PRIVACY_V3],
            "/b": [PRIVACY_V2, PRIVACY_V2, PRIVACY_V1],
            "/c": [PRIVACY_V3],
        }
    )
    settings = settings_for(tmp_path).model_copy(
        update={"extraction_processes": processes}
    )
    store = Store.open(settings)
    with serve_site(site) as base:
        catalog = load_catalog(
            write_catalog(tmp_path / "catalog", base, {"a": "/a", "b": "/b", "c": "/c"})
        )
        for round_number in range(3):
            site.round = round_number
            report = asyncio.run(track(store, settings, catalog, analyzer=None))
            assert report.failed == []
    return store


def test_workers_match_single_process(tmp_path: Path) -> None:
    with_workers = track_rounds(tmp_path / "workers", processes=2)
    in_process = track_rounds(tmp_path / "single", processes=1)
    expected = history(in_process)
    assert [len(versions) for versions in expected.values()] == [3, 2, 1]
    assert history(with_workers) == expected
    with_workers.close()
    in_process.close()


def test_textless_page_fails_alone(tmp_path: Path) -> None:
    site = PageSite(pages={"/scripted": [SCRIPT_ONLY], "/fine": [PRIVACY_V1]})
    settings = settings_for(tmp_path).model_copy(update={"extraction_processes": 2})
    store = Store.open(settings)
    with serve_site(site) as base:
        catalog = load_catalog(
            write_catalog(
                tmp_path / "catalog", base, {"scripted": "/scripted", "fine": "/fine"}
            )
        )
        report = asyncio.run(track(store, settings, catalog, analyzer=None))
    assert report.new_versions == 1
    assert len(report.failed) == 1
    assert "built by JavaScript" in report.failed[0]
    with store.session() as session:
        scripted = session.scalars(
            select(Document).where(Document.platform_id == "scripted")
        ).one()
        assert scripted.last_error and "browser: true" in scripted.last_error
        snapshots = session.scalars(
            select(Snapshot).where(Snapshot.document_id == scripted.id)
        ).all()
        assert len(snapshots) == 1
    store.close()


def page(text: str) -> PageBody:
    html = f"<html><body><main><h1>Terms</h1><p>{text}</p></main></body></html>"
    return PageBody(
        body=html.encode("utf-8"),
        content_type="text/html",
        text=html,
        url="http://127.0.0.1/terms",
    )


def test_pool_survives_killed_worker() -> None:
    pool = ExtractionPool(2)

    async def run() -> tuple[str, str]:
        first = await pool.prepare([page("We keep your messages for a year.")], None)
        # A worker killed by the system (out of memory, say) breaks the pool.
        executor = pool._executor
        assert executor is not None
        for process in list(executor._processes.values()):  # type: ignore[attr-defined]
            os.kill(process.pid, signal.SIGKILL)
        second = await pool.prepare([page("You may delete your account.")], None)
        return first.text.markdown, second.text.markdown

    try:
        first, second = asyncio.run(run())
    finally:
        pool.close()
    assert "We keep your messages for a year." in first
    assert "You may delete your account." in second
    assert pool.processes == 1


def test_pool_matches_direct_preparation() -> None:
    pages = [
        page("Part one of the terms."),
        page("Write to privacy@lantern.example with any question."),
    ]
    pool = ExtractionPool(2)
    try:
        prepared = asyncio.run(pool.prepare(pages, "https://lantern.example/terms"))
    finally:
        pool.close()

    assert prepared.text == prepare_pages(pages)
    assert prepared.text.segments[-1].text == (
        "Write to privacy@lantern.example with any question."
    )
    assert [contact.value for contact in prepared.contacts] == [
        "privacy@lantern.example"
    ]


def test_worker_count() -> None:
    assert worker_count(3) == 3
    assert worker_count(1) == 1
    cpus = len(os.sched_getaffinity(0))
    assert worker_count(0) == (cpus if cpus >= 2 else 1)


def stored_contacts(store: Store) -> list[tuple[str, int, str, str, str, int]]:
    with store.session() as session:
        rows = session.scalars(select(Contact)).all()
        return sorted(
            (
                row.platform_id,
                row.document_id,
                row.kind,
                row.value,
                row.context,
                row.rank,
            )
            for row in rows
        )


def test_worker_contacts_match_refresh(tmp_path: Path) -> None:
    contact_text = PRIVACY_V1 + "\nWrite to privacy@lantern.example with questions.\n"
    site = PageSite(pages={"/a": [contact_text], "/b": [PRIVACY_V2]})
    settings = settings_for(tmp_path).model_copy(update={"extraction_processes": 2})
    store = Store.open(settings)
    with serve_site(site) as base:
        catalog = load_catalog(
            write_catalog(tmp_path / "catalog", base, {"a": "/a", "b": "/b"})
        )
        asyncio.run(track(store, settings, catalog, analyzer=None))
    from_workers = stored_contacts(store)
    for platform_id in ("a", "b"):
        refresh_contacts(store, platform_id)

    assert "privacy@lantern.example" in {row[3] for row in from_workers}
    assert stored_contacts(store) == from_workers
    store.close()


WORKER_PARENT = """
import sys, time
from clausewatch.tracking.extraction_pool import ExtractionPool
pool = ExtractionPool(2)
pool.start()
print(" ".join(str(pid) for pid in pool._executor._processes), flush=True)
time.sleep(120)
"""


def test_workers_end_with_killed_parent() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", WORKER_PARENT], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    parent.kill()
    parent.wait(timeout=30)

    assert len(workers) == 2
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() for pid in workers):
        assert time.monotonic() < deadline, f"workers {workers} outlived their parent"
        time.sleep(0.1)


def test_suspect_capture_is_reported(tmp_path: Path) -> None:
    site = PageSite(pages={"/a": [PRIVACY_V3, "Loading..."]})
    settings = settings_for(tmp_path)
    store = Store.open(settings)
    with serve_site(site) as base:
        catalog = load_catalog(write_catalog(tmp_path / "catalog", base, {"a": "/a"}))
        asyncio.run(track(store, settings, catalog, analyzer=None))
        site.round = 1
        report = asyncio.run(track(store, settings, catalog, analyzer=None))
    store.close()

    assert report.suspect == 1
    assert len(report.suspect_captures) == 1
    assert report.suspect_captures[0].startswith(
        "a Privacy Policy: suspect capture kept out of the history: empty:"
    )
