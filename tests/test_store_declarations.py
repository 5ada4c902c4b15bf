"""A declaration that renames a platform or moves a document is logged."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from clausewatch.db.store import Store
from clausewatch.settings import Settings


def declaration(url: str) -> dict[str, object]:
    return {"terms_type": "Privacy Policy", "pages": [{"url": url}]}


def ensure(store: Store, name: str, url: str) -> int:
    return store.ensure_document(
        platform_id="widgetly",
        platform_name=name,
        terms_type="Privacy Policy",
        declaration=declaration(url),
    )


def test_moved_document_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store.open(Settings(data_dir=tmp_path / "data"))
    first = ensure(store, "Widgetly", "https://widgetly.example/privacy")
    with caplog.at_level(logging.WARNING, logger="clausewatch.db.store"):
        same = ensure(store, "Widgetly", "https://widgetly.example/privacy")
        assert caplog.records == []
        moved = ensure(store, "Widgetly Inc.", "https://widgetly.example/terms")
    store.close()

    assert first == same == moved
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2
    assert "renamed from 'Widgetly' to 'Widgetly Inc.'" in messages[0]
    assert "now fetches https://widgetly.example/terms instead of" in messages[1]
