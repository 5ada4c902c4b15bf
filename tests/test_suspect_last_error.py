"""A suspect capture shows on its document until a capture is accepted."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from clausewatch.db.models import Document
from clausewatch.db.store import Store
from clausewatch.settings import Settings
from clausewatch.tracking.history_import import import_history
from tests.history_builders import PRIVACY_V1, PRIVACY_V2, write_folder_history

BLOCKED = "Loading...\n"


def last_error(store: Store) -> str | None:
    with store.session() as session:
        return session.scalars(select(Document.last_error)).one()


def import_versions(store: Store, root: Path, texts: list[str]) -> None:
    moments = [datetime(2025, 1 + index, 1, tzinfo=UTC) for index in range(len(texts))]
    history = write_folder_history(
        root, "Lantern", "Privacy Policy", list(zip(moments, texts, strict=True))
    )
    import_history(store, history, analyzer=None)


def test_suspect_capture_sets_last_error(tmp_path: Path) -> None:
    store = Store.open(Settings(data_dir=tmp_path / "data"))
    import_versions(store, tmp_path / "first", [PRIVACY_V1, BLOCKED])
    error = last_error(store)

    assert error is not None
    assert error.startswith("suspect capture kept out of the history: empty:")
    assert "a document needs at least 40" in error
    store.close()


def test_accepted_capture_clears_it(tmp_path: Path) -> None:
    store = Store.open(Settings(data_dir=tmp_path / "data"))
    import_versions(store, tmp_path / "history", [PRIVACY_V1, BLOCKED, PRIVACY_V2])

    assert last_error(store) is None
    store.close()
