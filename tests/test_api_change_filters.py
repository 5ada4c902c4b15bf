"""The since filter and unknown filter values on /api/v1/changes and /changes."""

# The site fixture is imported, so pytest finds it; test arguments then shadow it.
# ruff: noqa: F811

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import lxml.html
import pytest

from tests.web_fixtures import WebSite, site  # noqa: F401


def all_changes(site: WebSite, **params: str) -> dict[str, Any]:
    response = site.client.get("/api/v1/changes", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_api_since_keeps_recent_changes(site: WebSite) -> None:
    since = datetime.now(UTC).date() - timedelta(days=30)
    everything = all_changes(site)

    recent = all_changes(site, since=since.isoformat())

    assert 0 < recent["total"] < everything["total"]
    start = datetime.combine(since, datetime.min.time(), tzinfo=UTC)
    for item in recent["items"]:
        assert datetime.fromisoformat(item["occurred_at"]) >= start


def test_api_since_future_is_empty(site: WebSite) -> None:
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)

    assert all_changes(site, since=tomorrow.isoformat())["total"] == 0


def test_api_since_invalid_is_422(site: WebSite) -> None:
    response = site.client.get("/api/v1/changes", params={"since": "last week"})

    assert response.status_code == 422
    assert "since" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("platform", "myspace"),
        ("clause_type", "sale_of_dat"),
        ("document", "no-such-document"),
    ],
)
def test_api_unknown_filter_value_is_404(
    site: WebSite, parameter: str, value: str
) -> None:
    response = site.client.get("/api/v1/changes", params={parameter: value})

    assert response.status_code == 404
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == 404
    assert body["error"]["code"] == "not_found"
    assert repr(value) in body["error"]["message"]


def test_clause_type_message_suggests_id(site: WebSite) -> None:
    response = site.client.get("/api/v1/changes", params={"clause_type": "sale_of_dat"})

    assert "sale_of_data" in response.json()["error"]["message"]


def test_page_since_filters_and_keeps_value(site: WebSite) -> None:
    since = (datetime.now(UTC).date() - timedelta(days=30)).isoformat()

    response = site.client.get("/changes", params={"since": since})
    tree = lxml.html.fromstring(response.text)

    assert response.status_code == 200
    assert tree.xpath("//input[@name='since']/@value") == [since]
    total = all_changes(site, since=since)["total"]
    assert f"{total} change" in response.text


def test_page_since_invalid_is_422(site: WebSite) -> None:
    response = site.client.get("/changes", params={"since": "31/01/2026"})
    tree = lxml.html.fromstring(response.text)

    assert response.status_code == 422
    assert "31/01/2026" in response.text
    assert tree.xpath("//input[@name='since']/@value") == ["31/01/2026"]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("platform", "myspace"), ("clause_type", "tracking_everything")],
)
def test_page_unknown_filter_value_shows_message(
    site: WebSite, parameter: str, value: str
) -> None:
    response = site.client.get("/changes", params={parameter: value})
    tree = lxml.html.fromstring(response.text)

    assert response.status_code == 404
    alert = tree.xpath("//p[@role='alert']")
    assert len(alert) == 1
    assert repr(value) in alert[0].text_content()
    assert tree.xpath("//form[@action='/changes']")


# Not YYYY-MM-DD: a year alone, a number, the basic and week forms that Python's
# date.fromisoformat reads, a day that does not exist, digits of another script.
MALFORMED_DAYS = [
    "0",
    "2026",
    "20260131",
    "2026-W05-6",
    "2026-1-31",
    "2026-02-30",
    "2026-01-31T00:00",
    "\u0662\u0660\u0662\u0666-\u0660\u0661-\u0663\u0661",
]


@pytest.mark.parametrize("value", MALFORMED_DAYS)
def test_api_since_malformed_day_is_422(site: WebSite, value: str) -> None:
    response = site.client.get("/api/v1/changes", params={"since": value})

    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert message == (
        f"invalid date {value!r} for since: use YYYY-MM-DD, e.g. 2026-01-31"
    )


@pytest.mark.parametrize("value", MALFORMED_DAYS)
def test_page_and_api_reject_day_alike(site: WebSite, value: str) -> None:
    page = site.client.get("/changes", params={"since": value})
    api = site.client.get("/api/v1/changes", params={"since": value})
    alert = lxml.html.fromstring(page.text).xpath("//p[@role='alert']")

    assert page.status_code == 422
    assert len(alert) == 1
    assert alert[0].text_content().strip() == api.json()["error"]["message"]


def test_api_since_empty_is_422(site: WebSite) -> None:
    response = site.client.get("/api/v1/changes", params={"since": ""})

    assert response.status_code == 422
    assert "invalid date '' for since" in response.json()["error"]["message"]


def test_api_since_schema_is_date(site: WebSite) -> None:
    operation = site.client.get("/api/v1/openapi.json").json()["paths"][
        "/api/v1/changes"
    ]["get"]
    (since,) = [item for item in operation["parameters"] if item["name"] == "since"]

    assert {"type": "string", "format": "date"} in since["schema"]["anyOf"]
