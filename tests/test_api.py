"""The JSON API under /api/v1: records, paging, filters and the one error shape."""

from __future__ import annotations

# The site fixture is imported, so pytest finds it; test arguments then shadow it.
# ruff: noqa: F811
from typing import Any

import pytest

from clausewatch.figures.activity import recent_activity
from clausewatch.figures.risk import platform_risk_summary
from tests.web_fixtures import WebSite, site  # noqa: F401


def error_of(body: dict[str, Any]) -> dict[str, Any]:
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message"}
    return error


def test_platforms_paged(site: WebSite) -> None:
    body = site.client.get("/api/v1/platforms", params={"limit": 1}).json()

    assert body["total"] == 2
    assert body["limit"] == 1
    assert body["offset"] == 0
    assert [item["id"] for item in body["items"]] == ["parrotchat"]


def test_platforms_second_page(site: WebSite) -> None:
    body = site.client.get("/api/v1/platforms?limit=1&offset=1").json()

    assert [item["id"] for item in body["items"]] == ["pebble-social"]


def test_platform_detail_lists_documents(site: WebSite) -> None:
    body = site.client.get("/api/v1/platforms/parrotchat").json()

    assert body["platform"]["name"] == "Parrotchat"
    assert sorted(item["terms_type"] for item in body["documents"]) == [
        "Privacy Policy",
        "Terms of Service",
    ]
    assert body["documents"][0]["source_urls"][0].startswith("https://parrotchat")


def test_platform_detail_carries_page_figures(site: WebSite) -> None:
    body = site.client.get("/api/v1/platforms/parrotchat").json()
    with site.store.session() as session:
        activity = recent_activity(session, "parrotchat")
        risk = platform_risk_summary(session, "parrotchat")

    assert body["recent_activity"]["changes"] == activity.changes
    assert body["recent_activity"]["days"] == 30
    assert risk.classified > 0
    assert body["provisions_by_severity"] == risk.by_severity
    assert sum(body["provisions_by_severity"].values()) == risk.classified


def test_versions_carry_snapshot_hashes(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")

    body = site.client.get(f"/api/v1/documents/{record}/versions").json()

    assert body["total"] == 3
    assert [item["number"] for item in body["items"]] == [1, 2, 3]
    for item in body["items"]:
        assert len(item["snapshot_sha256s"]) == 1
        assert len(item["snapshot_sha256s"][0]) == 64


def test_version_provisions_have_record_ids(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")

    body = site.client.get(
        f"/api/v1/documents/{record}/versions/3/provisions", params={"limit": 500}
    ).json()

    texts = [item["text"] for item in body["items"]]
    assert body["total"] == len(texts)
    assert any("sell personal data" in text for text in texts)
    assert all(item["record_id"].startswith("P-") for item in body["items"])


def test_version_provisions_numbered_from_one(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")

    body = site.client.get(
        f"/api/v1/documents/{record}/versions/3/provisions", params={"limit": 500}
    ).json()

    numbers = [item["number"] for item in body["items"]]
    assert numbers == list(range(1, body["total"] + 1))
    assert all("position" not in item for item in body["items"])


def test_second_page_keeps_numbers(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")

    body = site.client.get(
        f"/api/v1/documents/{record}/versions/3/provisions",
        params={"limit": 2, "offset": 2},
    ).json()

    assert [item["number"] for item in body["items"]] == [3, 4]


def test_provision_number_agrees_everywhere(site: WebSite) -> None:
    # A researcher who reads "provision N of version V" on the page must find the
    # same clause as item N of version V in the API, and in the citation.
    record_id = site.provision_id("train and improve")
    document = site.document_id("parrotchat", "Privacy Policy")

    body = site.client.get(f"/api/v1/provisions/{record_id}").json()
    number = body["page"]["record"]["number"]
    version = body["page"]["record"]["last_version"]["number"]
    listed = site.client.get(
        f"/api/v1/documents/{document}/versions/{version}/provisions",
        params={"limit": 500},
    ).json()["items"]
    page = site.client.get(f"/provisions/{record_id}").text
    version_page = site.client.get(f"/documents/{document}/versions/{version}").text

    assert number > 1, "pick a provision whose number tells 0- from 1-based apart"
    assert "position" not in body["page"]["record"]
    assert listed[number - 1]["record_id"] == record_id
    assert listed[number - 1]["number"] == number
    assert f'data-provision-number="{number}">Provision {number} of version ' in page
    assert body["citation"]["provision_number"] == number
    assert body["citation"]["version_number"] == version
    assert f"provision {number} of version {version}" in body["citation"]["note"]
    assert (
        f'<span data-provision-number="{number}">Provision {number}</span> · '
        f'<a href="/provisions/{record_id}">'
    ) in version_page


def test_provision_record_matches_page(site: WebSite) -> None:
    record_id = site.provision_id("train and improve")

    body = site.client.get(f"/api/v1/provisions/{record_id}").json()

    page = body["page"]
    assert page["record"]["record_id"] == record_id
    assert page["clause_type"]["id"] == "ai_training_on_user_data"
    assert page["prevalence"]["platforms_with"] == 2
    assert page["prevalence"]["platforms_total"] == 2
    assert body["evidence"][0]["verified"] is True
    assert body["citation"]["permanent_url"].endswith(f"/provisions/{record_id}")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/platforms/nobody",
        "/api/v1/platforms/nobody/documents",
        "/api/v1/documents/D-ZZZZZZ",
        "/api/v1/provisions/P-00000Z",
        "/api/v1/clause-types/no_such_type",
        "/api/v1/no/such/path",
    ],
)
def test_missing_is_404_json(site: WebSite, path: str) -> None:
    response = site.client.get(path)

    assert response.status_code == 404
    error = error_of(response.json())
    assert error["status"] == 404
    assert error["code"] == "not_found"


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("/api/v1/platforms?limit=0", "parameter limit"),
        ("/api/v1/platforms?limit=100000", "parameter limit"),
        ("/api/v1/platforms?offset=-1", "parameter offset"),
        ("/api/v1/changes?severity=Severe", "severity 'Severe'"),
        ("/api/v1/changes?kind=rewritten", "kind 'rewritten'"),
        ("/api/v1/search", "parameter q"),
    ],
)
def test_invalid_parameter_is_422_json(site: WebSite, path: str, named: str) -> None:
    response = site.client.get(path)

    assert response.status_code == 422
    error = error_of(response.json())
    assert error["code"] == "invalid_parameter"
    assert named in error["message"]


def test_invalid_severity_lists_allowed_values(site: WebSite) -> None:
    response = site.client.get("/api/v1/changes", params={"severity": "Severe"})

    message = error_of(response.json())["message"]
    assert "Low, Medium, High, Critical" in message
    assert "''" not in message


def test_empty_severity_and_kind_mean_any(site: WebSite) -> None:
    everything = site.client.get("/api/v1/changes", params={"limit": 500}).json()

    response = site.client.get(
        "/api/v1/changes", params={"severity": "", "kind": "", "limit": 500}
    )

    assert response.status_code == 200
    assert response.json()["total"] == everything["total"]


def test_api_index_links_schema_and_collections(site: WebSite) -> None:
    response = site.client.get("/api/v1")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "clausewatch"
    assert body["version"] == "1"
    assert body["openapi"] == "/api/v1/openapi.json"
    assert set(body["collections"]) == {
        "platforms",
        "changes",
        "search",
        "clause_types",
    }


def test_openapi_at_root_redirects(site: WebSite) -> None:
    response = site.client.get("/openapi.json", follow_redirects=False)

    assert response.status_code == 307
    assert response.headers["location"] == "/api/v1/openapi.json"
    followed = site.client.get("/openapi.json")
    assert followed.status_code == 200
    assert followed.json()["info"]["title"] == "clausewatch"
    schema = site.client.get("/api/v1/openapi.json").json()
    assert "/openapi.json" not in schema["paths"]


@pytest.mark.parametrize(
    "name", ["platforms", "changes", "search", "clause_types", "openapi"]
)
def test_api_index_links_resolve(site: WebSite, name: str) -> None:
    body = site.client.get("/api/v1").json()
    path = body["openapi"] if name == "openapi" else body["collections"][name]
    params = {"q": "privacy"} if name == "search" else {}

    response = site.client.get(path, params=params)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")


def test_version_number_invalid_is_422(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")

    response = site.client.get(f"/api/v1/documents/{record}/versions/first")

    assert response.status_code == 422
    assert "path parameter number" in error_of(response.json())["message"]


def test_method_not_allowed_is_json(site: WebSite) -> None:
    response = site.client.post("/api/v1/platforms")

    assert response.status_code == 405
    assert error_of(response.json())["code"] == "method_not_allowed"


def test_changes_filter_material(site: WebSite) -> None:
    body = site.client.get(
        "/api/v1/changes", params={"material": "true", "limit": 500}
    ).json()

    assert body["total"] > 0
    assert all(item["material"] for item in body["items"])


def test_changes_filter_platform(site: WebSite) -> None:
    body = site.client.get(
        "/api/v1/changes", params={"platform": "pebble-social", "limit": 500}
    ).json()

    assert body["total"] > 0
    assert {item["platform_id"] for item in body["items"]} == {"pebble-social"}


def test_changes_filter_clause_type(site: WebSite) -> None:
    body = site.client.get(
        "/api/v1/changes", params={"clause_type": "sale_of_data"}
    ).json()

    assert body["total"] >= 1
    for item in body["items"]:
        types = item["summary"]["clause_types_before"]
        types += item["summary"]["clause_types_after"]
        assert "sale_of_data" in types


def test_changes_filter_severity(site: WebSite) -> None:
    body = site.client.get(
        "/api/v1/changes", params={"severity": "High", "limit": 500}
    ).json()

    assert body["total"] >= 1
    assert {item["max_severity"] for item in body["items"]} <= {"High", "Critical"}


def test_search_finds_provision(site: WebSite) -> None:
    body = site.client.get("/api/v1/search", params={"q": "arbitration"}).json()

    assert body["total"] == 1
    hit = body["items"][0]
    assert hit["platform_id"] == "parrotchat"
    assert "<mark>arbitration</mark>" in hit["snippet_html"]


def test_search_without_words_is_422(site: WebSite) -> None:
    response = site.client.get("/api/v1/search", params={"q": '"*()'})

    message = error_of(response.json())["message"]
    assert response.status_code == 422
    assert "query parameter q" in message
    assert "contains no word to look for" in message
    assert "pattern" not in message


def test_search_schema_requires_a_word(site: WebSite) -> None:
    schema = site.client.get("/api/v1/openapi.json").json()
    [q] = [
        parameter
        for parameter in schema["paths"]["/api/v1/search"]["get"]["parameters"]
        if parameter["name"] == "q"
    ]

    assert q["schema"]["pattern"] == r"\w"


def test_search_error_cuts_long_query(site: WebSite) -> None:
    response = site.client.get("/api/v1/search", params={"q": "?" * 5000})

    message = error_of(response.json())["message"]
    assert response.status_code == 422
    assert "(5000 characters)" in message
    assert len(message) < 300


def test_clause_types_list_prevalence(site: WebSite) -> None:
    body = site.client.get("/api/v1/clause-types").json()

    by_id = {item["clause_type"]["id"]: item["prevalence"] for item in body}
    assert by_id["ai_training_on_user_data"]["platforms_with"] == 2
    assert by_id["arbitration"]["platforms_with"] == 1


def test_openapi_documents_error_shape(site: WebSite) -> None:
    document = site.client.get("/api/v1/openapi.json").json()

    operation = document["paths"]["/api/v1/platforms"]["get"]
    schema = operation["responses"]["422"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/ErrorBody")
    assert not any(path.startswith("/provisions") for path in document["paths"])
