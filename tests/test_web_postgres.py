"""Pages and API served from a PostgreSQL store, the scaled-out deployment."""

from __future__ import annotations

# Imported fixtures are found by pytest; test arguments then shadow them.
# ruff: noqa: F811
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clausewatch.db.store import Store
from clausewatch.settings import Settings
from clausewatch.tracking.analyzer_factory import build_analyzer
from clausewatch.tracking.history_import import import_history
from clausewatch.web import create_app
from tests.test_migrations import postgres_url  # noqa: F401
from tests.web_fixtures import BASE_URL, write_site_history

pytestmark = pytest.mark.postgres


# One store serves every check, because creating and importing it is the slow part.
@pytest.fixture
def postgres_client(postgres_url: str, tmp_path: Path) -> Iterator[TestClient]:
    now = datetime.now(UTC).replace(microsecond=0)
    history = write_site_history(tmp_path / "history", now)
    settings = Settings(
        data_dir=tmp_path / "data", database_url=postgres_url, base_url=BASE_URL
    )
    store = Store.open(settings)
    import_history(store, history, analyzer=build_analyzer(settings))
    store.close()
    with TestClient(create_app(settings)) as client:
        yield client


def test_pages_and_api_on_postgres(postgres_client: TestClient) -> None:
    client = postgres_client
    provisions = client.get(
        "/api/v1/search", params={"q": "train and improve", "platform": "parrotchat"}
    ).json()["items"]
    record_id = provisions[0]["record_id"]
    paths = [
        "/",
        "/platforms/parrotchat",
        "/changes?clause_type=sale_of_data&severity=High",
        "/clause-types/ai_training_on_user_data",
        "/search?q=arbitration",
        f"/provisions/{record_id}",
        "/feeds/clause-types/sale_of_data.atom",
        f"/api/v1/provisions/{record_id}",
    ]

    statuses = {path: client.get(path).status_code for path in paths}
    body = client.get(f"/api/v1/provisions/{record_id}").json()

    assert statuses == dict.fromkeys(paths, 200)
    assert body["page"]["clause_type"]["id"] == "ai_training_on_user_data"
    assert body["page"]["prevalence"]["platforms_total"] == 2
    assert body["evidence"][0]["verified"] is True
