"""The version diff in the JSON API: the same changes as the diff page and the CLI."""

from __future__ import annotations

# The site fixture is imported, so pytest finds it; test arguments then shadow it.
# ruff: noqa: F811
import json
import re
from datetime import datetime
from typing import Any

from typer.testing import CliRunner

from clausewatch.cli.app import app
from clausewatch.figures import records
from clausewatch.figures.diff_record import version_diff_record
from clausewatch.figures.records import to_jsonable
from clausewatch.figures.version_diff import version_diff
from tests.web_fixtures import WebSite, site  # noqa: F401


def diff_of(site: WebSite, query: str = "") -> dict[str, Any]:
    record = site.document_id("parrotchat", "Privacy Policy")
    response = site.client.get(f"/api/v1/documents/{record}/diff{query}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_diff_defaults_to_last_two_versions(site: WebSite) -> None:
    body = diff_of(site)

    assert (body["from_version"], body["to_version"]) == (2, 3)
    assert body["platform_id"] == "parrotchat"
    assert body["sentence"]


def test_diff_lists_added_provision(site: WebSite) -> None:
    body = diff_of(site, "?from=2&to=3")
    added = [change for change in body["changes"] if change["kind"] == "added"]

    assert [change["text_after"] for change in added] == [
        "We sell personal data to advertising partners and data brokers."
    ]
    assert added[0]["text_before"] is None
    assert added[0]["word_diff"] is None
    assert "sale_of_data" in added[0]["summary"]["clause_types_after"]
    assert added[0]["summary"]["severity_after"] in ("High", "Critical")
    assert added[0]["record_id"] == site.provision_id("We sell personal data")


def test_diff_modified_has_word_diff(site: WebSite) -> None:
    body = diff_of(site, "?from=1&to=2")
    record_id = site.provision_id("train and improve our artificial")
    change = next(item for item in body["changes"] if item["record_id"] == record_id)

    assert change["kind"] == "modified"
    inserted = "".join(text for op, text in change["word_diff"] if op == "insert")
    assert "train" in inserted
    old_text = "".join(text for op, text in change["word_diff"] if op != "insert")
    assert old_text == change["text_before"]
    assert (
        change["summary"]["clause_types_before"]
        != (change["summary"]["clause_types_after"])
    )


def test_diff_equals_shared_record(site: WebSite) -> None:
    body = diff_of(site, "?from=1&to=3")

    with site.store.session() as session:
        document = records.get_document_by_record(
            session, site.document_id("parrotchat", "Privacy Policy")
        )
        expected = to_jsonable(
            version_diff_record(session, version_diff(session, document, 1, 3))
        )

    # Pydantic writes UTC as "Z" where the CLI writes "+00:00": the same instants.
    for key in ("from_captured_at", "to_captured_at"):
        assert datetime.fromisoformat(body.pop(key)) == datetime.fromisoformat(
            expected.pop(key)
        )
    assert body == expected


def test_diff_agrees_with_page(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")
    body = diff_of(site, "?from=1&to=3")
    page = site.client.get(f"/documents/{record}/diff?from=1&to=3").text

    shown = re.findall(r'<a href="[^"]*/provisions/(P-[0-9A-Z]+)"><code>', page)
    assert shown == [change["record_id"] for change in body["changes"]]
    assert f"{body['unchanged']} provisions of version 3 unchanged" in page


def test_diff_material_leaves_out_cosmetic(site: WebSite) -> None:
    every = diff_of(site, "?from=1&to=2")["changes"]
    material = diff_of(site, "?from=1&to=2&material=true")["changes"]

    assert any(not change["material"] for change in every)
    assert material == [change for change in every if change["material"]]


def test_diff_same_version_is_422_as_page(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")

    api = site.client.get(f"/api/v1/documents/{record}/diff?from=2&to=2")
    page = site.client.get(f"/documents/{record}/diff?from=2&to=2")

    assert api.status_code == page.status_code == 422
    message = api.json()["error"]["message"]
    assert message.startswith("cannot compare version 2 with itself")
    assert message in page.text


def test_diff_missing_version_is_404(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")

    response = site.client.get(f"/api/v1/documents/{record}/diff?from=1&to=9")

    assert response.status_code == 404
    assert "has no version 9" in response.json()["error"]["message"]


def test_diff_unknown_document_is_404(site: WebSite) -> None:
    response = site.client.get("/api/v1/documents/D-0000ZZ/diff")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_diff_version_zero_is_422(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")

    response = site.client.get(f"/api/v1/documents/{record}/diff?from=0")

    assert response.status_code == 422
    assert "query parameter from" in response.json()["error"]["message"]


def test_cli_same_version_as_api(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")
    api = site.client.get(f"/api/v1/documents/{record}/diff?from=3")

    result = CliRunner().invoke(
        app, ["--data-dir", str(site.settings.data_dir), "diff", record, "3"]
    )

    assert api.status_code == 422
    assert result.exit_code == 2
    message = api.json()["error"]["message"]
    assert message.startswith("cannot compare version 3 with itself")
    assert message in " ".join(result.stderr.split())


def test_cli_json_equals_api(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")
    body = diff_of(site, "?from=1&to=3&material=true")

    result = CliRunner().invoke(
        app,
        [
            "--data-dir",
            str(site.settings.data_dir),
            "diff",
            record,
            "1",
            "3",
            "--material-only",
            "--json",
        ],
    )

    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    for key in ("from_captured_at", "to_captured_at"):
        assert datetime.fromisoformat(printed.pop(key)) == datetime.fromisoformat(
            body.pop(key)
        )
    assert printed == body


def test_schema_documents_diff_and_exports(site: WebSite) -> None:
    paths = site.client.get("/api/v1/openapi.json").json()["paths"]

    diff = paths["/api/v1/documents/{record_id}/diff"]["get"]["responses"]["200"]
    schema = diff["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/VersionDiffRecord")
    exports = paths["/api/v1/exports/{kind}"]["get"]["responses"]["200"]["content"]
    assert set(exports) == {"text/csv", "application/x-ndjson"}
