"""History import with texts prepared in worker processes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from clausewatch.db.store import Store
from clausewatch.settings import Settings
from clausewatch.tracking.extraction_pool import ExtractionPool
from clausewatch.tracking.history_files import read_history
from clausewatch.tracking.history_import import _read_ahead, import_history
from tests.history_builders import (
    PRIVACY_V1,
    PRIVACY_V2,
    PRIVACY_V3,
    write_folder_history,
)
from tests.test_track_extraction_pool import history

VERSIONS = [PRIVACY_V1, PRIVACY_V2, PRIVACY_V1, PRIVACY_V3]


def write_history(root: Path) -> Path:
    moments = [datetime(2025, month, 1, tzinfo=UTC) for month in (1, 3, 5, 7)]
    for service in ("Lantern", "Pebble"):
        write_folder_history(
            root, service, "Privacy Policy", list(zip(moments, VERSIONS, strict=True))
        )
    return root


def import_with(tmp_path: Path, history: Path, processes: int) -> Store:
    store = Store.open(Settings(data_dir=tmp_path / f"data-{processes}"))
    with ExtractionPool(processes) as pool:
        report, _ = import_history(store, history, analyzer=None, pool=pool)
    assert report.errors == []
    assert report.new_versions == 8
    assert report.reversions == 2
    return store


def test_workers_import_same_history(tmp_path: Path) -> None:
    folder = write_history(tmp_path / "history")
    with_workers = import_with(tmp_path, folder, processes=2)
    in_process = import_with(tmp_path, folder, processes=1)

    assert history(with_workers) == history(in_process)
    with_workers.close()
    in_process.close()


def test_imported_files_not_sent_again(tmp_path: Path) -> None:
    history = write_history(tmp_path / "history")
    store = import_with(tmp_path, history, processes=1)
    files = read_history(history).files

    with ExtractionPool(1) as pool:
        imported = store.imported_snapshot_keys()
        reads = list(_read_ahead(files, pool, imported, str(history)))
        fresh = list(_read_ahead(files, pool, set(), str(history)))

    assert [read.item for read in reads] == files
    assert all(read.prepared is None for read in reads)
    assert all(read.prepared is not None for read in fresh)
    store.close()
