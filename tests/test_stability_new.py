"""A provision watched for a few days reads New, not Stable, on its page and API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import lxml.html
from fastapi.testclient import TestClient
from sqlalchemy import select

from clausewatch.db.models import Provision
from clausewatch.db.store import Store
from clausewatch.settings import Settings
from clausewatch.web import create_app
from tests.figure_histories import record_capture

FILLER = (
    "This page explains how the service handles the information of the people who "
    "use it, and it applies to the website, the apps and every related product."
)


def test_young_provision_reads_new(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    store = Store.open(Settings(data_dir=folder))
    try:
        paragraphs = (FILLER, "We train our models on your messages.", FILLER.upper())
        text = "# Policy\n\n" + "\n\n".join(paragraphs) + "\n"
        record_capture(
            store,
            "alpha",
            "Privacy Policy",
            text,
            datetime.now(UTC) - timedelta(days=4),
        )
        with store.session() as session:
            record_id = session.scalars(select(Provision.record_id)).first()
    finally:
        store.close()

    with TestClient(create_app(Settings(data_dir=folder))) as client:
        page = client.get(f"/api/v1/provisions/{record_id}").json()["page"]
        html = client.get(f"/provisions/{record_id}").text
    stability = lxml.html.fromstring(html).xpath("//section[@data-section='6']")[0]
    section_text = " ".join(stability.text_content().split())

    assert page["stability"]["changes"] == 0
    assert page["stability"]["months_monitored"] == 0
    assert page["stability"]["label"] == "New"
    assert "New monitored for less than 6 months" in section_text
    assert "Stable" not in section_text
