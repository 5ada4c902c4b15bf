"""Bulk exports read the same rows from PostgreSQL as from SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest

from clausewatch.exports import export_chunks
from clausewatch.figures.export_rows import iter_change_rows, iter_provision_rows
from tests.test_migrations import postgres_url  # noqa: F401 - the fixture
from tests.test_postgres_pipeline import import_into

pytestmark = pytest.mark.postgres


def test_exports_match_sqlite(postgres_url: str, tmp_path: Path) -> None:  # noqa: F811
    on_postgres = import_into(postgres_url, tmp_path, "pg")
    on_sqlite = import_into(None, tmp_path, "lite")
    try:
        for kind in ("provisions", "changes"):
            for format_name in ("csv", "jsonl"):
                assert "".join(
                    export_chunks(on_postgres.session, kind, format_name)
                ) == "".join(export_chunks(on_sqlite.session, kind, format_name)), (
                    kind,
                    format_name,
                )
        assert list(iter_change_rows(on_sqlite.session))
        # Small batches page through the keys on PostgreSQL as on SQLite.
        assert list(iter_provision_rows(on_postgres.session, batch_size=2)) == list(
            iter_provision_rows(on_sqlite.session, batch_size=2)
        )
        assert list(iter_change_rows(on_postgres.session, batch_size=2)) == list(
            iter_change_rows(on_sqlite.session, batch_size=2)
        )
    finally:
        on_postgres.close()
        on_sqlite.close()
