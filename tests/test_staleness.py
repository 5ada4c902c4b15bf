"""Stale documents: marked on pages and left out of prevalence.

The latest capture in the store is beta's privacy policy of 1 June 2025, so documents
last captured before 1 June 2023 are stale: alpha's only document and beta's terms.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from clausewatch.cli.app import app as cli_app
from clausewatch.db.models import Document, Provision
from clausewatch.db.store import Store
from clausewatch.figures import (
    counted_platform_count,
    other_platform_provisions,
    prevalence,
    prevalence_over_time,
    staleness,
    tracked_platform_count,
)
from clausewatch.settings import Settings
from clausewatch.web import create_app
from tests.figure_histories import record_capture

FILLER = (
    "This page explains how the service handles the information of the people who "
    "use it, and it applies to the website, the apps and every related product."
)
TRAIN = "We train our models on the messages you send."
SHARE = "We share records with hosting partners."
TRAINING = "ai_training_on_user_data"
ALPHA_CAPTURE = datetime(2022, 1, 10, 9, tzinfo=UTC)
BETA_TERMS_CAPTURE = datetime(2022, 3, 1, 9, tzinfo=UTC)
GAMMA_CAPTURE = datetime(2025, 5, 1, 9, tzinfo=UTC)
LATEST_CAPTURE = datetime(2025, 6, 1, 9, tzinfo=UTC)
NOW = datetime(2025, 6, 20, 12, tzinfo=UTC)


def policy(*paragraphs: str) -> str:
    return "# Policy\n\n" + "\n\n".join((FILLER, *paragraphs, FILLER.upper())) + "\n"


def build(folder: Path) -> None:
    store = Store.open(Settings(data_dir=folder))
    try:
        record_capture(store, "alpha", "Privacy Policy", policy(TRAIN), ALPHA_CAPTURE)
        record_capture(
            store, "beta", "Terms of Service", policy(TRAIN), BETA_TERMS_CAPTURE
        )
        record_capture(store, "gamma", "Privacy Policy", policy(TRAIN), GAMMA_CAPTURE)
        record_capture(store, "beta", "Privacy Policy", policy(SHARE), LATEST_CAPTURE)
    finally:
        store.close()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("staleness") / "data"
    build(folder)
    return folder


@pytest.fixture(scope="module")
def client(data_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=data_dir))) as opened:
        yield opened


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = Store.open(Settings(data_dir=data_dir))
    yield opened
    opened.close()


def text_of(html: str) -> str:
    return " ".join(
        lxml.html.fromstring(html).xpath("//main")[0].text_content().split()
    )


def test_stale_documents_and_platforms(store: Store) -> None:
    with store.session() as session:
        found = staleness(session)
        stale_terms = {
            session.get(Document, document_id).terms_type  # type: ignore[union-attr]
            for document_id in found.stale_documents
        }

    assert found.reference == LATEST_CAPTURE
    assert len(found.stale_documents) == 2
    assert stale_terms == {"Privacy Policy", "Terms of Service"}
    assert found.stale_platforms == {"alpha"}
    assert found.current_platforms == {"beta", "gamma"}


def test_prevalence_leaves_stale_out(store: Store) -> None:
    with store.session() as session:
        training = prevalence(session, TRAINING)
        others = other_platform_provisions(session, TRAINING, excluding_platform="beta")
        tracked = tracked_platform_count(session)
        counted = counted_platform_count(session)

    assert (training.platforms_with, training.platforms_total) == (1, 2)
    assert training.platforms_left_out == 1
    assert training.left_out_phrase is not None
    assert "1 tracked platform" in training.left_out_phrase
    assert others == 1
    assert (tracked, counted) == (3, 2)


def test_history_applies_rule_at_each_date(store: Store) -> None:
    with store.session() as session:
        points = prevalence_over_time(session, TRAINING, now=NOW)
        current = prevalence(session, TRAINING)
    by_day = {point.as_of: point for point in points}

    # Before gamma's capture, the captures of 2022 were the latest in the store.
    assert (by_day[date(2024, 12, 31)].platforms_with,) == (2,)
    assert by_day[date(2024, 12, 31)].platforms_total == 2
    # From May 2025 they are more than two years older than gamma's.
    assert by_day[date(2025, 5, 31)].platforms_total == 1
    assert by_day[date(2025, 5, 31)].platforms_with == 1
    assert points[-1].as_of == NOW.date()
    assert not points[-1].is_month_end
    assert (points[-1].platforms_with, points[-1].platforms_total) == (
        current.platforms_with,
        current.platforms_total,
    )
    assert all(point.as_of <= NOW.date() for point in points)
    assert all(point.is_month_end for point in points[:-1])


def test_pages_mark_stale(client: TestClient) -> None:
    alpha = text_of(client.get("/platforms/alpha").text)
    beta = text_of(client.get("/platforms/beta").text)
    gamma = text_of(client.get("/platforms/gamma").text)

    assert "Out of date" in alpha
    assert "leave the platform out" in alpha
    assert "Last verified 2022-01-10" in alpha
    assert "the Terms of Service (last verified 2022-03-01) of Beta has" in beta
    assert "leave this document out" in beta
    assert "Out of date" not in gamma


def test_provision_page_warns(store: Store, client: TestClient) -> None:
    with store.session() as session:
        record_id = session.execute(
            select(Provision.record_id)
            .join(Document, Document.id == Provision.document_id)
            .where(Document.platform_id == "alpha")
            .limit(1)
        ).scalar_one()
    page = client.get(f"/api/v1/provisions/{record_id}").json()["page"]
    html = client.get(f"/provisions/{record_id}").text
    header = lxml.html.fromstring(html).xpath("//section[@data-section='1']")[0]

    assert page["dates"]["stale"] is True
    assert "Out of date" in header.text_content()
    assert "last verified 2022-01-10" in header.text_content()


def test_api_flags(client: TestClient) -> None:
    platforms = client.get("/api/v1/platforms").json()["items"]
    beta_documents = client.get("/api/v1/platforms/beta/documents").json()["items"]

    assert {item["id"]: item["stale"] for item in platforms} == {
        "alpha": True,
        "beta": False,
        "gamma": False,
    }
    assert {item["terms_type"]: item["stale"] for item in beta_documents} == {
        "Privacy Policy": False,
        "Terms of Service": True,
    }


def test_clause_type_page_lists_stale_apart(client: TestClient) -> None:
    html = client.get(f"/clause-types/{TRAINING}").text
    tree = lxml.html.fromstring(html)
    counted = tree.xpath("//section[@aria-labelledby='ct-platforms']")[0]
    left_out = tree.xpath("//section[@aria-labelledby='ct-out-of-date']")[0]

    assert "1 of 2 platforms" in text_of(html)
    assert "Gamma" in counted.text_content()
    assert "Alpha" not in counted.text_content()
    assert "Alpha" in left_out.text_content()
    assert "Beta" in left_out.text_content()


def test_stats_counts_both(data_dir: Path) -> None:
    result = CliRunner().invoke(
        cli_app, ["--data-dir", str(data_dir), "stats", "--json"]
    )
    figures = json.loads(result.stdout)["figures"]
    text = CliRunner().invoke(cli_app, ["--data-dir", str(data_dir), "stats"])

    assert (figures["tracked_platforms"], figures["counted_platforms"]) == (3, 2)
    assert "3 platforms tracked, 2 of them" in " ".join(text.stdout.split())


def test_new_capture_ends_staleness(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    build(folder)
    store = Store.open(Settings(data_dir=folder))
    try:
        with store.session() as session:
            before = prevalence(session, TRAINING)
        # The same text again: no new version, but a fresh verification.
        record_capture(
            store,
            "alpha",
            "Privacy Policy",
            policy(TRAIN),
            datetime(2025, 6, 10, tzinfo=UTC),
        )
        with store.session() as session:
            after = prevalence(session, TRAINING)
    finally:
        store.close()

    assert (before.platforms_with, before.platforms_total) == (1, 2)
    assert (after.platforms_with, after.platforms_total) == (2, 3)
    assert after.platforms_left_out == 0
