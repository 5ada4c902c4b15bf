"""The command line: JSON output, tables and exit codes, on a small imported history."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clausewatch.cli import app
from clausewatch.cli.record_commands import listening_base_url
from clausewatch.db.record_ids import format_record_id
from tests.history_builders import PRIVACY_V1, PRIVACY_V2, write_folder_history

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    history = write_folder_history(
        tmp_path / "history",
        "Example AI",
        "Privacy Policy",
        [
            (datetime(2025, 1, 6, tzinfo=UTC), PRIVACY_V1),
            (datetime(2026, 3, 2, tzinfo=UTC), PRIVACY_V2),
        ],
    )
    folder = tmp_path / "data"
    result = runner.invoke(
        app, ["--data-dir", str(folder), "import", "--no-analyze", str(history)]
    )
    assert result.exit_code == 0, result.output
    return folder


def invoke(data_dir: Path, *arguments: str):
    return runner.invoke(app, ["--data-dir", str(data_dir), *arguments])


def test_stats_json_counts(data_dir: Path) -> None:
    result = invoke(data_dir, "stats", "--json")
    assert result.exit_code == 0
    counts = json.loads(result.stdout)
    assert counts["platforms"] == 1
    assert counts["documents"] == 1
    assert counts["snapshots"] == 2
    assert counts["versions"] == 2
    assert counts["provisions"] >= 5


def test_show_platform_lists_documents(data_dir: Path) -> None:
    result = invoke(data_dir, "show", "example-ai", "--json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["platform"]["name"] == "Example AI"
    assert [item["terms_type"] for item in payload["documents"]] == ["Privacy Policy"]
    assert payload["documents"][0]["record_id"].startswith("D-")


def test_show_document_versions_and_provisions(data_dir: Path) -> None:
    result = invoke(data_dir, "show", "example-ai", "privacy policy", "--json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert [item["number"] for item in payload["versions"]] == [1, 2]
    assert payload["versions"][0]["captured_at"].startswith("2025-01-06")
    assert all(item["record_id"].startswith("P-") for item in payload["provisions"])
    assert any("train our artificial" in item["text"] for item in payload["provisions"])
    assert [item["number"] for item in payload["provisions"]] == list(
        range(1, len(payload["provisions"]) + 1)
    )


def test_show_older_version_table(data_dir: Path) -> None:
    result = runner.invoke(
        app,
        ["--data-dir", str(data_dir), "show", "example-ai", "Privacy Policy"]
        + ["--version", "1"],
        env={"COLUMNS": "400"},
    )
    assert result.exit_code == 0
    assert "so that we can answer them." in result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("show", "nobody"), "platform 'nobody' is not tracked"),
        (("show", "example-ai", "Cookie Policy"), "has no document 'Cookie Policy'"),
        (("show", "example-ai", "Privacy Policy", "--version", "9"), "no version 9"),
    ],
)
def test_unknown_objects_exit_3(data_dir: Path, arguments, message: str) -> None:
    result = invoke(data_dir, *arguments)
    assert result.exit_code == 3
    assert message in result.output


def test_import_missing_path_exits_2(tmp_path: Path) -> None:
    result = invoke(tmp_path / "data", "import", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_track_unknown_platform_exits_3(tmp_path: Path) -> None:
    result = invoke(tmp_path / "data", "track", "--platform", "no-such-platform")
    assert result.exit_code == 3
    assert "no-such-platform" in result.output


def test_verify_json_on_intact_store(data_dir: Path) -> None:
    result = invoke(data_dir, "verify", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"checked": 2, "problems": []}


def test_init_reports_database(tmp_path: Path) -> None:
    result = invoke(tmp_path / "fresh", "init", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["database_url"].endswith("clausewatch.db")


def test_error_text_is_not_read_as_markup(tmp_path: Path) -> None:
    result = invoke(tmp_path / "data", "import", str(tmp_path / "[/odd]" / "history"))
    assert result.exit_code == 2
    assert "[/odd]" in result.output


def test_show_record_of_another_platform_exits_3(data_dir: Path) -> None:
    payload = json.loads(invoke(data_dir, "show", "example-ai", "--json").stdout)
    record_id = payload["documents"][0]["record_id"]
    result = invoke(data_dir, "show", "someone-else", record_id)
    assert result.exit_code == 3
    assert "belongs to platform 'example-ai'" in result.output


def document_record_id(data_dir: Path) -> str:
    payload = json.loads(invoke(data_dir, "show", "example-ai", "--json").stdout)
    return payload["documents"][0]["record_id"]


@pytest.mark.parametrize("case", [str.upper, str.lower])
def test_show_document_by_record_id(data_dir: Path, case) -> None:
    by_type = invoke(data_dir, "show", "example-ai", "Privacy Policy", "--json")
    record_id = case(document_record_id(data_dir))

    result = invoke(data_dir, "show", record_id, "--json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(by_type.stdout)


def test_show_document_by_record_id_table(data_dir: Path) -> None:
    record_id = document_record_id(data_dir)
    result = runner.invoke(
        app,
        ["--data-dir", str(data_dir), "show", record_id, "--version", "1"],
        env={"COLUMNS": "400"},
    )
    assert result.exit_code == 0, result.output
    assert f"Example AI Privacy Policy ({record_id})" in result.stdout
    assert "so that we can answer them." in result.stdout


def test_show_malformed_document_id(data_dir: Path) -> None:
    record_id = document_record_id(data_dir)
    swapped = record_id[:-2] + record_id[-1] + record_id[-2]

    result = invoke(data_dir, "show", swapped)
    message = " ".join(result.output.split())

    assert result.exit_code == 3
    assert "not a well-formed record ID" in message
    assert "is not tracked" not in message


def test_show_unknown_document_id(data_dir: Path) -> None:
    result = invoke(data_dir, "show", format_record_id("D", 999))
    message = " ".join(result.output.split())

    assert result.exit_code == 3
    assert "no document with record ID 'D-000Z7K'" in message


def invoke_wide(data_dir: Path, *arguments: str):
    """Invoke with a wide terminal, so a usage error's box keeps each line whole."""
    return runner.invoke(
        app, ["--data-dir", str(data_dir), *arguments], env={"COLUMNS": "400"}
    )


@pytest.mark.parametrize("kind", ["P", "D"])
def test_show_record_id_extra_argument_exits_2(data_dir: Path, kind) -> None:
    record_id = format_record_id(kind, 1)

    result = invoke_wide(data_dir, "show", record_id, "extra")
    message = " ".join(result.output.split())

    assert result.exit_code == 2
    assert f"{record_id} is a " in message
    assert "takes no second argument" in message
    assert "is not tracked" not in message


def test_show_provision_version_exits_2(data_dir: Path) -> None:
    record_id = format_record_id("P", 1)

    result = invoke_wide(data_dir, "show", record_id, "--version", "2")
    message = " ".join(result.output.split())

    assert result.exit_code == 2
    assert "--version" in message
    assert "shows its latest text" in message
    assert "with --version 2" in message


@pytest.mark.parametrize("platform", ["", "   "])
def test_show_blank_platform_exits_2(data_dir: Path, platform: str) -> None:
    result = invoke_wide(data_dir, "show", platform)
    message = " ".join(result.output.split())

    assert result.exit_code == 2
    assert "PLATFORM" in message
    assert "it is empty" in message
    assert "example-ai" not in message


@pytest.mark.parametrize(
    "arguments",
    [("show", "x" * 500), ("show", "example-ai", "y" * 500)],
)
def test_show_cuts_long_argument_in_message(data_dir: Path, arguments) -> None:
    result = invoke_wide(data_dir, *arguments)
    message = " ".join(result.output.split())

    assert result.exit_code == 3
    assert "(500 characters)" in message
    assert "x" * 61 not in message
    assert "y" * 61 not in message


def test_data_dir_that_is_a_file_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    result = runner.invoke(app, ["--data-dir", str(blocker / "data"), "init"])
    assert result.exit_code == 2
    assert "cannot use" in result.output
    assert "--data-dir" in result.output


@pytest.mark.parametrize("port", ["0", "99999"])
def test_serve_rejects_invalid_port(data_dir: Path, port: str) -> None:
    result = invoke(data_dir, "serve", "--port", port)
    assert result.exit_code == 2


def test_serve_reports_busy_port(data_dir: Path) -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        result = invoke(data_dir, "serve", "--port", str(port))
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


def _free_port() -> int:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as probe:
        return int(probe.getsockname()[1])


def _served_base_url(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, *arguments: str, env=None
) -> str:
    """Run serve without its server loop and return the base URL the app links to."""
    import uvicorn

    served: list[str] = []

    def run(server: uvicorn.Server, sockets=None) -> None:
        served.append(server.config.app.state.web.settings.base_url)
        for listener in sockets or []:
            listener.close()

    monkeypatch.setattr(uvicorn.Server, "run", run)
    result = runner.invoke(
        app, ["--data-dir", str(data_dir), "serve", *arguments], env=env
    )
    assert result.exit_code == 0, result.output
    return served[0]


@pytest.mark.parametrize(
    ("host", "url_host"),
    [("127.0.0.1", "127.0.0.1"), ("0.0.0.0", "127.0.0.1"), ("localhost", "localhost")],
)
def test_serve_links_to_listening_address(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, host: str, url_host: str
) -> None:
    monkeypatch.delenv("CLAUSEWATCH_BASE_URL", raising=False)
    port = _free_port()
    base_url = _served_base_url(
        data_dir, monkeypatch, "--host", host, "--port", str(port)
    )
    assert base_url == f"http://{url_host}:{port}"


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("::", "http://127.0.0.1:8765"),
        ("", "http://127.0.0.1:8765"),
        ("::1", "http://[::1]:8765"),
        ("192.168.1.20", "http://192.168.1.20:8765"),
    ],
)
def test_listening_base_url(host: str, url: str) -> None:
    assert listening_base_url(host, 8765) == url


def test_serve_keeps_environment_base_url(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = _free_port()
    base_url = _served_base_url(
        data_dir,
        monkeypatch,
        "--port",
        str(port),
        env={"CLAUSEWATCH_BASE_URL": "https://policies.example.org"},
    )
    assert base_url == "https://policies.example.org"


def test_serve_keeps_file_base_url(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLAUSEWATCH_BASE_URL", raising=False)
    (data_dir / "clausewatch.toml").write_text(
        'base_url = "https://policies.example.org/watch"\n'
    )
    port = _free_port()
    base_url = _served_base_url(data_dir, monkeypatch, "--port", str(port))
    assert base_url == "https://policies.example.org/watch"


def test_unknown_platform_names_tracked_count(data_dir: Path) -> None:
    result = invoke(data_dir, "show", "zzzz")

    assert result.exit_code == 3
    assert "see the tracked platform at /platforms" in result.output


def test_unknown_platform_suggests_by_name(data_dir: Path) -> None:
    result = invoke(data_dir, "show", "example")
    assert result.exit_code == 3
    assert "did you mean: example-ai" in result.output


def test_track_skips_invalid_declarations(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "broken.yaml").write_text(
        'id: broken\nname: Broken\ndocuments:\n  Privacy Policy: "http://[::1:bad/x"\n'
    )
    result = invoke(
        tmp_path / "data", "track", "--no-analyze", "--catalog", str(catalog)
    )
    assert result.exit_code == 1
    assert "invalid declaration" in result.output
    assert "invalid URL" in result.output


def test_track_json_lists_invalid_declarations(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "broken.yaml").write_text("id: broken\nname: Broken\ndocuments: 7\n")
    result = invoke(
        tmp_path / "data", "track", "--no-analyze", "--json", "--catalog", str(catalog)
    )
    payload = json.loads(result.stdout)

    assert result.exit_code == 1
    assert payload["documents"] == 0
    assert len(payload["invalid_declarations"]) == 1
    assert "broken.yaml" in payload["invalid_declarations"][0]


def test_track_empty_catalog_is_an_error(tmp_path: Path) -> None:
    catalog = tmp_path / "empty"
    catalog.mkdir()
    result = invoke(tmp_path / "data", "track", "--catalog", str(catalog))

    assert result.exit_code == 2
    assert "no declarations found" in result.output


def test_import_counts_read_as_english(data_dir: Path, tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "one",
        "Solo",
        "Privacy Policy",
        [(datetime(2025, 1, 6, tzinfo=UTC), PRIVACY_V1)],
    )
    result = invoke(data_dir, "import", "--no-analyze", str(history))

    assert result.exit_code == 0, result.output
    assert "Imported 1 file of 1 document in" in result.output
    assert "1 new version (0 reversions)" in result.output


def test_embed_stores_vectors_once(tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "history",
        "Example AI",
        "Privacy Policy",
        [(datetime(2026, 3, 2, tzinfo=UTC), PRIVACY_V2)],
    )
    data = tmp_path / "data"
    assert invoke(data, "import", str(history)).exit_code == 0
    first = invoke(data, "embed", "--json")
    again = invoke(data, "embed", "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["embedded"] > 0
    assert json.loads(again.stdout)["embedded"] == 0
