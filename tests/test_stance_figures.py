"""A provision that denies a practice is counted, shown and explained as a denial."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from clausewatch.cli.app import app as cli_app
from clausewatch.db.models import CurrentClause, Document, Provision
from clausewatch.db.store import Store
from clausewatch.figures import (
    other_platform_provisions,
    platform_risk_summary,
    platforms_denying_type,
    platforms_with_type,
    prevalence,
    prevalence_over_time,
)
from clausewatch.figures.provision_page import provision_page
from clausewatch.settings import Settings
from clausewatch.web import create_app
from tests.figure_histories import record_capture

WHEN = datetime(2024, 3, 1, 9, tzinfo=UTC)
SHARING = "third_party_sharing"
# Filler keeps each capture long enough to be a real policy, not a suspect capture.
FILLER = (
    "This page explains how the service handles the information of the people who "
    "use it, what choices they have, and how to reach the team that runs it. It "
    "applies to the website, the mobile applications and every related product."
)
CLAUSES = {
    "alpha": ["We share your messages with moderators and auditors."],
    "beta": ["We never share your messages with anyone at all."],
    # A denial beside an affirmation of the same practice: the platform has it.
    "gamma": [
        "We never share your messages with anyone at all.",
        "We share your profile with our payment processor.",
    ],
}


def policy(clauses: list[str]) -> str:
    return "# Policy\n\n" + "\n\n".join([FILLER, *clauses, FILLER.upper()]) + "\n"


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    store = Store.open(Settings(data_dir=tmp_path))
    for platform_id, clauses in CLAUSES.items():
        record_capture(store, platform_id, "Privacy Policy", policy(clauses), WHEN)
    store.close()
    yield tmp_path


def denial_record(store: Store) -> str:
    with store.session() as session:
        return session.scalars(
            select(Provision.record_id)
            .join(CurrentClause, CurrentClause.provision_id == Provision.id)
            .join(Document, Document.id == Provision.document_id)
            .where(CurrentClause.stance == "denies", Document.platform_id == "beta")
        ).one()


def test_denials_are_counted_apart(folder: Path) -> None:
    store = Store.open(Settings(data_dir=folder))
    try:
        with store.session() as session:
            figure = prevalence(session, SHARING)
            assert (figure.platforms_with, figure.platforms_total) == (2, 3)
            assert figure.platforms_denying == 1
            assert figure.denial_phrase == "1 platform states they do not"
            assert platforms_with_type(session, SHARING) == [("alpha", 1), ("gamma", 1)]
            assert platforms_denying_type(session, SHARING) == [("beta", 1)]
            # K counts affirming provisions of other platforms only.
            assert (
                other_platform_provisions(session, SHARING, excluding_platform="beta")
                == 2
            )
            history = prevalence_over_time(session, SHARING, now=WHEN)
            assert history[-1].platforms_with == 2
            risks = platform_risk_summary(session, "beta")
            assert risks.provisions[0].denied_clause_type_ids == (SHARING,)
            assert risks.provisions[0].severity == "Low"
    finally:
        store.close()


def test_provision_page_explains_denial(folder: Path) -> None:
    store = Store.open(Settings(data_dir=folder))
    try:
        record_id = denial_record(store)
        with store.session() as session:
            page = provision_page(session, record_id)
        assert page.stance == "denies"
        assert page.severity == "Low"
        assert page.explanation is not None
        assert "does not share" in page.explanation.what_it_is
        assert page.explanation.consumer_impact.startswith("Beta says it does not")
        assert [item.platform_id for item in page.platforms_denying_type] == ["beta"]
    finally:
        store.close()

    with TestClient(create_app(Settings(data_dir=folder))) as client:
        html = client.get(f"/provisions/{record_id}").text
        assert "States it does not do this" in html
        assert "1 platform states they do not" in html
        assert "may share" not in html

        api = client.get(f"/api/v1/provisions/{record_id}").json()["page"]
        assert api["stance"] == "denies"
        assert api["record"]["labels"][0]["stance"] == "denies"
        assert api["prevalence"]["platforms_denying"] == 1

        schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
        assert "stance" in schema["ProvisionPage"]["properties"]

        type_html = client.get(f"/clause-types/{SHARING}").text
        assert "Provisions that state the platform does not do this (2)" in type_html
        assert "Platforms with this clause type (2)" in type_html

        platform_html = client.get("/platforms/beta").text
        assert "states it does not:" in platform_html


def test_show_marks_the_denial(folder: Path) -> None:
    runner = CliRunner()
    store = Store.open(Settings(data_dir=folder))
    try:
        with store.session() as session:
            document = session.scalars(
                select(Document).where(Document.platform_id == "beta")
            ).one()
            document_record = document.record_id
    finally:
        store.close()
    arguments = ["--data-dir", str(folder), "show", "beta", document_record]
    table = runner.invoke(cli_app, [*arguments])
    assert table.exit_code == 0, table.output
    assert "denies" in table.output
    shown = runner.invoke(cli_app, [*arguments, "--json"])
    assert '"stance": "denies"' in shown.output
