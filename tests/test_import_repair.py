"""Importing a history again writes back the missing or altered blobs of its files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from clausewatch.db.store import Store
from clausewatch.settings import Settings
from clausewatch.snapshot import sha256_hex
from clausewatch.tracking.extraction_pool import ExtractionPool
from clausewatch.tracking.history_import import import_history
from tests.history_builders import (
    PRIVACY_V1,
    PRIVACY_V2,
    PRIVACY_V3,
    write_folder_history,
    write_git_history,
)

VERSIONS = [
    (datetime(2020, 2, 1, tzinfo=UTC), PRIVACY_V1),
    (datetime(2020, 8, 1, tzinfo=UTC), PRIVACY_V2),
    (datetime(2021, 3, 1, tzinfo=UTC), PRIVACY_V3),
]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(Settings(data_dir=tmp_path / "data"))
    yield opened
    opened.close()


def damaged(store: Store) -> list[str]:
    return [
        sha256
        for sha256, problem in store.blobs.verify(store.snapshot_hashes())
        if problem is not None
    ]


@pytest.mark.parametrize("writer", [write_folder_history, write_git_history])
def test_reimport_repairs_blobs(store: Store, tmp_path: Path, writer) -> None:
    history = writer(tmp_path / "history", "Zeta", "Privacy Policy", VERSIONS)
    import_history(store, history, analyzer=None)
    missing = sha256_hex(PRIVACY_V1.encode())
    altered = sha256_hex(PRIVACY_V2.encode())
    store.blobs.path_for(missing).unlink()
    store.blobs.path_for(altered).write_bytes(b"overwritten")
    counts = store.counts()
    assert sorted(damaged(store)) == sorted([missing, altered])

    report, _ = import_history(store, history, analyzer=None)

    assert report.already_imported == 3
    assert report.new_versions == 0
    assert report.errors == []
    assert len(report.repaired) == 2
    assert f"blob {missing} was missing; written back" in report.repaired[0]
    assert f"blob {altered} was altered; written back" in report.repaired[1]
    assert damaged(store) == []
    assert store.blobs.get(altered) == PRIVACY_V2.encode()
    assert store.counts() == counts


def test_intact_reimport_repairs_nothing(store: Store, tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "history", "Zeta", "Privacy Policy", VERSIONS
    )
    import_history(store, history, analyzer=None)

    report, _ = import_history(store, history, analyzer=None)

    assert report.already_imported == 3
    assert report.repaired == []


def test_repair_with_extraction_workers(store: Store, tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "history", "Zeta", "Privacy Policy", VERSIONS
    )
    with ExtractionPool(2) as pool:
        import_history(store, history, analyzer=None, pool=pool)
        missing = sha256_hex(PRIVACY_V3.encode())
        store.blobs.path_for(missing).unlink()

        report, _ = import_history(store, history, analyzer=None, pool=pool)

    assert len(report.repaired) == 1
    assert damaged(store) == []
