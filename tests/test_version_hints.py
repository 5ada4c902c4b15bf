"""Errors about versions agree between the CLI and the web, and name real commands."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from clausewatch.cli import app
from clausewatch.settings import Settings
from clausewatch.web import create_app
from tests.history_builders import PRIVACY_V1, PRIVACY_V2, write_folder_history

runner = CliRunner()
WIDE = {"COLUMNS": "400"}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hints")
    history = write_folder_history(
        root / "history",
        "Example AI",
        "Privacy Policy",
        [
            (datetime(2025, 1, 6, tzinfo=UTC), PRIVACY_V1),
            (datetime(2026, 3, 2, tzinfo=UTC), PRIVACY_V2),
        ],
    )
    folder = root / "data"
    result = runner.invoke(
        app, ["--data-dir", str(folder), "import", "--no-analyze", str(history)]
    )
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def record_id(data_dir: Path) -> str:
    result = invoke(data_dir, "show", "example-ai", "--json")
    return str(json.loads(result.stdout)["documents"][0]["record_id"])


@pytest.fixture(scope="module")
def client(data_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=data_dir))) as test_client:
        yield test_client


def invoke(data_dir: Path, *arguments: str):
    return runner.invoke(app, ["--data-dir", str(data_dir), *arguments], env=WIDE)


def test_cli_missing_version_names_range(data_dir: Path, record_id: str) -> None:
    result = invoke(data_dir, "diff", record_id, "1", "9")

    assert result.exit_code == 3
    assert f"document {record_id} has no version 9; its versions are 1-2" in (
        result.output
    )
    assert f"clausewatch show {record_id}" in result.output
    assert "PLATFORM DOCUMENT" not in result.output


def test_named_command_lists_versions(data_dir: Path, record_id: str) -> None:
    result = invoke(data_dir, "show", record_id, "--json")

    assert result.exit_code == 0
    versions = json.loads(result.stdout)["versions"]
    assert [item["number"] for item in versions] == [1, 2]


def test_web_missing_version_names_page(client: TestClient, record_id: str) -> None:
    response = client.get(f"/documents/{record_id}/diff?from=1&to=9")

    assert response.status_code == 404
    assert f"/documents/{record_id}" in response.text
    assert "PLATFORM DOCUMENT" not in response.text
    assert client.get(f"/documents/{record_id}").status_code == 200


def test_same_version_agrees(
    data_dir: Path, client: TestClient, record_id: str
) -> None:
    cli = invoke(data_dir, "diff", record_id, "2", "2")
    api = client.get(f"/api/v1/documents/{record_id}/diff?from=2&to=2")
    page = client.get(f"/documents/{record_id}/diff?from=2&to=2")

    message = "cannot compare version 2 with itself"
    assert cli.exit_code == 2
    assert message in cli.output
    assert api.status_code == 422
    assert message in api.json()["error"]["message"]
    assert page.status_code == 422
    assert message in page.text
