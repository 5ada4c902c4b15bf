"""The same import, provisions and figures on PostgreSQL as on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from clausewatch.db.models import Provision, Version
from clausewatch.db.store import Store
from clausewatch.settings import Settings
from clausewatch.tracking.history_import import import_history
from tests.history_builders import (
    PRIVACY_V1,
    PRIVACY_V2,
    PRIVACY_V3,
    write_folder_history,
)
from tests.test_migrations import postgres_url  # noqa: F401 - the fixture

pytestmark = pytest.mark.postgres

HISTORY = [
    (datetime(2025, 1, 6, tzinfo=UTC), PRIVACY_V1),
    (datetime(2025, 9, 1, tzinfo=UTC), PRIVACY_V2),
    (datetime(2026, 2, 1, tzinfo=UTC), PRIVACY_V3),
    (datetime(2026, 5, 1, tzinfo=UTC), PRIVACY_V2),
]


def import_into(url: str | None, tmp_path: Path, name: str) -> Store:
    history = write_folder_history(
        tmp_path / "history", "Example", "Privacy Policy", HISTORY
    )
    store = Store.open(Settings(data_dir=tmp_path / name, database_url=url))
    import_history(store, history, analyzer=None)
    return store


def snapshot_of(store: Store) -> dict[str, object]:
    with store.session() as session:
        versions = [
            (
                version.number,
                version.captured_at,
                version.text_sha256,
                version.reverts_to_number,
            )
            for version in session.scalars(select(Version).order_by(Version.number))
        ]
        provisions = sorted(
            (provision.record_id, provision.is_current)
            for provision in session.scalars(select(Provision))
        )
    return {
        "counts": store.counts().to_dict(),
        "versions": versions,
        "provisions": provisions,
    }


def test_postgres_matches_sqlite(postgres_url: str, tmp_path: Path) -> None:  # noqa: F811
    on_postgres = import_into(postgres_url, tmp_path, "pg")
    on_sqlite = import_into(None, tmp_path, "lite")
    try:
        assert snapshot_of(on_postgres) == snapshot_of(on_sqlite)
        again, _ = import_history(on_postgres, tmp_path / "history", analyzer=None)
        assert again.new_versions == 0
    finally:
        on_postgres.close()
        on_sqlite.close()
