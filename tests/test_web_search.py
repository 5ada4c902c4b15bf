"""Full-text search over current provision texts, on SQLite (FTS5) and PostgreSQL."""

from __future__ import annotations

# Imported fixtures are found by pytest; test arguments then shadow them.
# ruff: noqa: F811
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from clausewatch.db.store import Store
from clausewatch.settings import Settings
from clausewatch.tracking.history_import import import_history
from clausewatch.web.queries.search import (
    InvalidSearchError,
    search_provisions,
    search_terms,
)
from tests.test_migrations import postgres_url  # noqa: F401
from tests.web_fixtures import WebSite, site, write_site_history  # noqa: F401


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("delete account", ["delete", "account"]),
        ('"quoted" AND (x OR y)*', ["quoted", "AND", "x", "OR", "y"]),
        ("données personnelles", ["données", "personnelles"]),
        ("!!!", []),
    ],
)
def test_search_terms(query: str, terms: list[str]) -> None:
    assert search_terms(query) == terms


def test_fts_syntax_is_plain_text(site: WebSite) -> None:
    with site.store.session() as session:
        hits, total = search_provisions(session, 'arbitration OR "NEAR(x"')

    assert total == 0
    assert hits == []


def test_search_stems_words(site: WebSite) -> None:
    with site.store.session() as session:
        hits, total = search_provisions(session, "selling")

    assert total == 1
    assert "<mark>sell</mark>" in hits[0].snippet_html


def test_search_paged(site: WebSite) -> None:
    with site.store.session() as session:
        first, total = search_provisions(session, "we", limit=2)
        second, _ = search_provisions(session, "we", limit=2, offset=2)

    assert total > 4
    assert len(first) == len(second) == 2
    assert {hit.record_id for hit in first}.isdisjoint(hit.record_id for hit in second)


def test_search_without_words_raises(site: WebSite) -> None:
    with site.store.session() as session, pytest.raises(InvalidSearchError):
        search_provisions(session, "?!")


def test_index_follows_new_versions(site: WebSite) -> None:
    # The index's own row count: a count over the table itself reads the content.
    with site.store.session() as session:
        indexed = session.execute(
            text("SELECT count(*) FROM provision_texts_fts_docsize")
        ).scalar_one()
        distinct = session.execute(
            text(
                "SELECT count(*) FROM "
                "(SELECT DISTINCT provision_id, text_sha256 FROM provision_texts)"
            )
        ).scalar_one()

    assert indexed == distinct


@pytest.mark.postgres
def test_search_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    history = write_site_history(tmp_path / "history", now)
    store = Store.open(Settings(data_dir=tmp_path / "data", database_url=postgres_url))
    import_history(store, history, analyzer=None)
    with store.session() as session:
        hits, total = search_provisions(session, "binding arbitration")
        platform_hits, _ = search_provisions(
            session, "train", platform_id="pebble-social"
        )
        indexes = set(
            session.execute(
                text(
                    "SELECT indexname FROM pg_indexes "
                    "WHERE tablename = 'provision_texts'"
                )
            ).scalars()
        )
    store.close()

    assert total == 1
    assert "<mark>binding</mark>" in hits[0].snippet_html
    assert [hit.platform_id for hit in platform_hits] == ["pebble-social"]
    assert "provision_texts_fts_idx" in indexes


def test_search_unknown_platform_is_404(site: WebSite) -> None:
    # A mistyped platform id must not look like a search without results.
    api = site.client.get("/api/v1/search", params={"q": "we", "platform": "nope"})
    page = site.client.get("/search", params={"q": "we", "platform": "nope"})

    assert api.status_code == 404
    assert "'nope'" in api.json()["error"]["message"]
    assert page.status_code == 404
    assert "nope" in page.text
    assert 'name="q"' in page.text
