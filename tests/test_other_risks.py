"""Other risks in this policy: each other classified provision once, on every surface.

The keyword analyzer of ``figure_histories`` gives the first paragraph three clause
types of three severities, so a list of labels would show it three times and count
six other risks where the document has four other classified provisions.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select
from typer.testing import CliRunner

from clausewatch.cli.app import app as cli_app
from clausewatch.db.models import Provision, ProvisionText
from clausewatch.db.store import Store
from clausewatch.figures.provision_page import provision_page
from clausewatch.settings import Settings
from clausewatch.web import create_app
from tests.figure_histories import record_capture

FILLER = (
    "This page explains how the service handles the information of the people who "
    "use it, and it applies to the website, the apps and every related product."
)
# collect (Low), share (Medium) and train (Critical) in one provision.
THREE_TYPES = "We collect the messages you send and share them with partners to train."
SHARE = "We share records with hosting partners."
DELETE = "You can delete your profile at any time."
DENIAL = "We never share your messages with anyone."
ARBITRATION = "Disputes go to binding arbitration in Ohio."
CAPTURED = datetime(2025, 5, 2, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("other-risks") / "data"
    store = Store.open(Settings(data_dir=folder))
    body = "\n\n".join((FILLER, THREE_TYPES, SHARE, DELETE, DENIAL, ARBITRATION))
    record_capture(store, "alpha", "Privacy Policy", f"# Policy\n\n{body}\n", CAPTURED)
    store.close()
    yield folder


def record_of(folder: Path, text: str) -> str:
    store = Store.open(Settings(data_dir=folder))
    try:
        with store.session() as session:
            return session.execute(
                select(Provision.record_id)
                .join(ProvisionText, ProvisionText.provision_id == Provision.id)
                .where(ProvisionText.text == text)
            ).scalar_one()
    finally:
        store.close()


@pytest.fixture(scope="module")
def page_json(data_dir: Path) -> dict[str, Any]:
    with TestClient(create_app(Settings(data_dir=data_dir))) as client:
        response = client.get(f"/api/v1/provisions/{record_of(data_dir, ARBITRATION)}")
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()["page"]
    return page


def test_counts_provisions_not_labels(page_json: dict[str, Any]) -> None:
    records = [risk["record_id"] for risk in page_json["other_risks"]]

    assert page_json["other_risks_total"] == 4
    assert len(records) == 4
    assert len(set(records)) == 4


def test_lists_provision_under_highest_severity(
    data_dir: Path, page_json: dict[str, Any]
) -> None:
    three = record_of(data_dir, THREE_TYPES)
    [entry] = [r for r in page_json["other_risks"] if r["record_id"] == three]
    types = [item["clause_type_id"] for item in entry["clause_types"]]

    assert entry["severity"] == "Critical"
    assert types == [
        "ai_training_on_user_data",
        "third_party_sharing",
        "first_party_collection",
    ]
    assert page_json["other_risks"][0]["record_id"] == three


def test_denial_listed_with_its_stance(
    data_dir: Path, page_json: dict[str, Any]
) -> None:
    denial = record_of(data_dir, DENIAL)
    [entry] = [r for r in page_json["other_risks"] if r["record_id"] == denial]

    assert entry["severity"] == "Low"
    assert entry["clause_types"] == [
        {
            "clause_type_id": "third_party_sharing",
            "clause_type_name": "Sharing of personal data with third parties",
            "stance": "denies",
        }
    ]


def test_page_pdf_and_show_agree(data_dir: Path, page_json: dict[str, Any]) -> None:
    record_id = record_of(data_dir, ARBITRATION)
    with TestClient(create_app(Settings(data_dir=data_dir))) as client:
        html = client.get(f"/provisions/{record_id}").text
        pdf = client.get(f"/provisions/{record_id}.pdf").content
    section = lxml.html.fromstring(html).xpath("//section[@data-section='19']")[0]
    linked = [link.get("href") for link in section.xpath(".//a")]
    pdf_text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(pdf)).pages
    )
    show_output = CliRunner().invoke(
        cli_app, ["--data-dir", str(data_dir), "show", record_id, "--json"]
    )

    assert "4 other classified provisions" in " ".join(section.text_content().split())
    assert len(linked) == len(set(linked)) == 4
    assert "4 other classified provisions" in pdf_text
    assert show_output.exit_code == 0, show_output.output
    assert json.loads(show_output.stdout)["other_risks"] == page_json["other_risks"]


def test_figure_matches_module(data_dir: Path, page_json: dict[str, Any]) -> None:
    store = Store.open(Settings(data_dir=data_dir))
    try:
        with store.session() as session:
            page = provision_page(session, record_of(data_dir, ARBITRATION))
    finally:
        store.close()

    assert page.other_risks_total == page_json["other_risks_total"]
    assert [risk.severity for risk in page.other_risks] == [
        "Critical",
        "Medium",
        "Low",
        "Low",
    ]
