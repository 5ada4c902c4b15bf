"""The SQLite full-text index contains each distinct text of a provision once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from clausewatch.db.store import Store
from clausewatch.settings import Settings
from clausewatch.tracking.history_import import import_history
from clausewatch.web.queries.search import search_provisions
from tests.history_builders import write_folder_history

OPENING = (
    "# Terms\n\n"
    "Welcome to the Lantern reading service, a library of books you borrow online.\n\n"
    "You must be sixteen or older to open an account, and you answer for what is\n"
    "done with it. Tell us at once if someone else has used your password.\n\n"
)
BEFORE = OPENING + "We keep reading notes for ninety days.\n"
AFTER = OPENING + "We keep reading notes for seven years.\n"


def moments(count: int) -> list[datetime]:
    return [datetime(2025, 1 + index, 1, tzinfo=UTC) for index in range(count)]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(Settings(data_dir=tmp_path / "data"))
    yield store
    store.close()


def import_versions(store: Store, root: Path, texts: list[str]) -> None:
    history = write_folder_history(
        root,
        "Lantern",
        "Terms of Service",
        list(zip(moments(len(texts)), texts, strict=True)),
    )
    import_history(store, history, analyzer=None)


def indexed_rows(store: Store) -> int:
    with store.session() as session:
        return session.execute(
            text("SELECT count(*) FROM provision_texts_fts_docsize")
        ).scalar_one()


def distinct_texts(store: Store) -> int:
    with store.session() as session:
        return session.execute(
            text(
                "SELECT count(*) FROM "
                "(SELECT DISTINCT provision_id, text_sha256 FROM provision_texts)"
            )
        ).scalar_one()


def hit_count(store: Store, query: str) -> int:
    with store.session() as session:
        return search_provisions(session, query)[1]


def test_repeated_texts_indexed_once(store: Store, tmp_path: Path) -> None:
    import_versions(store, tmp_path / "history", [BEFORE, AFTER, BEFORE])
    with store.session() as session:
        stored = session.execute(
            text("SELECT count(*) FROM provision_texts")
        ).scalar_one()

    assert stored == 9
    assert distinct_texts(store) == 4
    assert indexed_rows(store) == 4


def test_unchanged_clause_found_latest(store: Store, tmp_path: Path) -> None:
    import_versions(store, tmp_path / "history", [BEFORE, AFTER])

    assert hit_count(store, "Lantern reading service") == 1
    assert hit_count(store, "seven years") == 1
    assert hit_count(store, "ninety days") == 0


def test_returning_text_found_again(store: Store, tmp_path: Path) -> None:
    import_versions(store, tmp_path / "history", [BEFORE, AFTER, BEFORE])

    assert hit_count(store, "ninety days") == 1
    assert hit_count(store, "seven years") == 0


def test_deleted_first_row_hands_over(store: Store, tmp_path: Path) -> None:
    import_versions(store, tmp_path / "history", [BEFORE, AFTER])
    with store.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        first = connection.execute(
            text(
                "SELECT id FROM provision_texts WHERE text LIKE 'Welcome%' "
                "ORDER BY id LIMIT 1"
            )
        ).scalar_one()
        connection.execute(
            text("DELETE FROM provision_texts WHERE id = :id"), {"id": first}
        )
        connection.execute(
            text(
                "INSERT INTO provision_texts_fts(provision_texts_fts, rank) "
                "VALUES ('integrity-check', 0)"
            )
        )
        connection.commit()

    assert indexed_rows(store) == distinct_texts(store)
    assert hit_count(store, "Lantern reading service") == 1


def test_stored_text_cannot_change(store: Store, tmp_path: Path) -> None:
    import_versions(store, tmp_path / "history", [BEFORE])
    with store.engine.connect() as connection, pytest.raises(IntegrityError):
        connection.execute(text("UPDATE provision_texts SET text = 'rewritten'"))

    assert hit_count(store, "ninety days") == 1
