"""One definition of a documented change on every page, list and command.

The history's last version, three days old, modifies one provision, adds one and
bumps the stated date: two documented changes, while the changes list also contains the
version event and the cosmetic edit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from clausewatch.cli.app import app as cli_app
from clausewatch.db.models import Provision, ProvisionText
from clausewatch.db.store import Store
from clausewatch.figures import documented_totals, recent_activity
from clausewatch.settings import Settings
from clausewatch.web import create_app
from tests.figure_histories import record_capture

FILLER = (
    "This page explains how the service handles the information of the people who "
    "use it, and it applies to the website, the apps and every related product."
)
SHARE_V1 = "We share records with hosting partners."
SHARE_V2 = "We share records with hosting and advertising partners."
TRAIN = "We train our models on the messages you send."
DELETE = "You can delete your profile at any time."


def policy(stated: str, *paragraphs: str) -> str:
    body = "\n\n".join((f"Last updated: {stated}", FILLER, *paragraphs))
    return f"# Policy\n\n{body}\n"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("documented") / "data"
    now = datetime.now(UTC)
    store = Store.open(Settings(data_dir=folder))
    captures = [
        (now - timedelta(days=90), policy("March 1, 2020", SHARE_V1, DELETE)),
        (now - timedelta(days=3), policy("May 9, 2020", SHARE_V2, DELETE, TRAIN)),
    ]
    for moment, text in captures:
        record_capture(store, "alpha", "Privacy Policy", text, moment)
    store.close()
    yield folder


@pytest.fixture(scope="module")
def client(data_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=data_dir))) as opened:
        yield opened


def text_of(html: str, xpath: str = "//main") -> str:
    return " ".join(lxml.html.fromstring(html).xpath(xpath)[0].text_content().split())


def matching(client: TestClient, href: str) -> int:
    page = client.get(href)
    assert page.status_code == 200, page.text
    found = re.search(r"(\d+) (?:documented changes?|change events?) match", page.text)
    assert found is not None, text_of(page.text)
    return int(found.group(1))


def test_figure_counts_material_provision_changes(data_dir: Path) -> None:
    store = Store.open(Settings(data_dir=data_dir))
    try:
        with store.session() as session:
            activity = recent_activity(session, "alpha")
            totals = documented_totals(session)
    finally:
        store.close()

    assert activity.changes == 2
    assert totals.documented_changes == 2
    assert totals.new_versions == 1
    assert totals.change_events == 4


@pytest.mark.parametrize(
    ("now", "counted"),
    [
        # The window opens at midnight UTC 30 days before the request's day.
        (datetime(2026, 3, 31, 23, 0, tzinfo=UTC), 1),
        (datetime(2026, 4, 1, 0, 30, tzinfo=UTC), 0),
    ],
)
def test_window_starts_at_midnight(tmp_path: Path, now: datetime, counted: int) -> None:
    store = Store.open(Settings(data_dir=tmp_path / "data"))
    try:
        record_capture(
            store,
            "beta",
            "Terms",
            policy("x", SHARE_V1, DELETE),
            datetime(2026, 2, 1, tzinfo=UTC),
        )
        # 1 March 2026 at 06:00 is inside the window of 31 March and outside that
        # of 1 April.
        record_capture(
            store,
            "beta",
            "Terms",
            policy("x", SHARE_V2, DELETE),
            datetime(2026, 3, 1, 6, tzinfo=UTC),
        )
        with store.session() as session:
            activity = recent_activity(session, "beta", now=now)
    finally:
        store.close()

    assert activity.changes == counted
    assert activity.since.hour == 0


def test_platform_link_lists_same_changes(client: TestClient) -> None:
    html = client.get("/platforms/alpha").text
    section = lxml.html.fromstring(html).xpath(
        "//section[@aria-labelledby='platform-risks']"
    )[0]
    [link] = [
        a.get("href") for a in section.xpath(".//a") if "changes" in a.get("href")
    ]

    assert "2 documented changes in the last 30 days" in text_of(html)
    assert "documented=true" in link
    assert matching(client, link) == 2


def test_provision_link_lists_same_changes(data_dir: Path, client: TestClient) -> None:
    store = Store.open(Settings(data_dir=data_dir))
    try:
        with store.session() as session:
            record_id = session.execute(
                select(Provision.record_id)
                .join(ProvisionText, ProvisionText.provision_id == Provision.id)
                .where(ProvisionText.text == DELETE)
                .limit(1)
            ).scalar_one()
    finally:
        store.close()
    html = client.get(f"/provisions/{record_id}").text
    section = lxml.html.fromstring(html).xpath("//section[@data-section='2']")[0]
    links = {
        " ".join(a.text_content().split()): a.get("href")
        for a in section.xpath(".//a")
        if "/changes" in a.get("href")
    }

    assert matching(client, links["List these 2 documented changes"]) == 2
    assert matching(client, links["Every change event of Alpha"]) == 4


def test_home_figure_is_documented_changes(client: TestClient) -> None:
    html = client.get("/").text
    figures = lxml.html.fromstring(html).xpath("//dl[@class='figures']")[0]
    by_label = {
        " ".join(node.xpath("dt")[0].text_content().split()): node.xpath("dd")[0]
        for node in figures.xpath("div")
    }
    link = by_label["Documented changes"].xpath(".//a")[0]

    assert link.text_content() == "2"
    assert matching(client, link.get("href")) == 2
    assert "4 change events in all" in text_of(html)
    assert matching(client, "/changes") == 4


def test_api_filter_and_stats_agree(data_dir: Path, client: TestClient) -> None:
    activity = client.get("/api/v1/platforms/alpha").json()["recent_activity"]
    since = activity["since"][:10]
    listed = client.get(
        f"/api/v1/changes?platform=alpha&documented=true&since={since}"
    ).json()
    everything = client.get(f"/api/v1/changes?platform=alpha&since={since}").json()
    stats = CliRunner().invoke(
        cli_app, ["--data-dir", str(data_dir), "stats", "--json"]
    )

    assert listed["total"] == activity["changes"] == 2
    assert {item["kind"] for item in listed["items"]} == {"added", "modified"}
    assert everything["total"] == 4
    assert json.loads(stats.stdout)["figures"]["documented_changes"] == 2
