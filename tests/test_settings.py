"""Settings: sources, validation and documentation."""

from __future__ import annotations

from pathlib import Path

import pytest

from clausewatch.errors import ConfigurationError
from clausewatch.settings import Settings, load_settings

DOCS = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    text = DOCS.read_text("utf-8")
    assert f"`{name}`" in text
    assert f"`CLAUSEWATCH_{name.upper()}`" in text


def test_environment_overrides_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "clausewatch.toml").write_text(
        "fetch_timeout = 5.0\nfetch_retries = 4\n"
    )
    monkeypatch.setenv("CLAUSEWATCH_FETCH_RETRIES", "1")
    settings = load_settings(data_dir=tmp_path)
    assert settings.fetch_timeout == 5.0
    assert settings.fetch_retries == 1


def test_default_database_is_sqlite_in_data_dir(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'clausewatch.db'}"


def test_allowed_hosts_from_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CLAUSEWATCH_ALLOWED_PRIVATE_HOSTS", "127.0.0.1, 10.0.0.0/8")
    assert load_settings(data_dir=tmp_path).allowed_private_hosts == [
        "127.0.0.1",
        "10.0.0.0/8",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("fetch_timeout = -1\n", "fetch_timeout"),
        ("fetch_timeout = [\n", "invalid TOML"),
    ],
)
def test_invalid_settings_name_the_problem(
    tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / "clausewatch.toml").write_text(content)
    with pytest.raises(ConfigurationError, match=message):
        load_settings(data_dir=tmp_path)


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "data:text/html,hello",
        "ftp://files.example.org",
        "/relative/path",
        "policies.example.org",
        "https://",
        "http://example.org:99999",
        "https://example.org/?from=toml",
        "https://example.org/#top",
    ],
)
def test_base_url_rejects_non_http(tmp_path: Path, value: str) -> None:
    (tmp_path / "clausewatch.toml").write_text(f"base_url = {value!r}\n")

    with pytest.raises(ConfigurationError) as raised:
        load_settings(data_dir=tmp_path)

    message = str(raised.value)
    assert f"invalid setting base_url {value!r}:" in message
    assert "https://policies.example.org" in message
    assert "errors.pydantic.dev" not in message


def test_base_url_from_environment_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAUSEWATCH_BASE_URL", "javascript:alert(1)")

    with pytest.raises(ConfigurationError, match="not an absolute http or https URL"):
        load_settings(data_dir=tmp_path)


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("https://policies.example.org", "https://policies.example.org"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("https://example.org/clausewatch/", "https://example.org/clausewatch/"),
        ("HTTPS://Example.org", "HTTPS://Example.org"),
        (" https://example.org ", "https://example.org"),
    ],
)
def test_base_url_accepts_http(tmp_path: Path, value: str, stored: str) -> None:
    (tmp_path / "clausewatch.toml").write_text(f"base_url = {value!r}\n")

    assert load_settings(data_dir=tmp_path).base_url == stored


def test_unknown_setting_named(tmp_path: Path) -> None:
    (tmp_path / "clausewatch.toml").write_text('colour = "red"\n')

    with pytest.raises(ConfigurationError, match="colour 'red': unknown setting"):
        load_settings(data_dir=tmp_path)


def free_port() -> str:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as probe:
        return str(probe.getsockname()[1])


def test_serve_rejects_javascript_base_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from clausewatch.cli import app

    served: list[uvicorn.Server] = []

    def run(server: uvicorn.Server, sockets=None) -> None:
        # Stands in for the server loop, so that a served site ends the test.
        served.append(server)
        for listener in sockets or []:
            listener.close()

    monkeypatch.setattr(uvicorn.Server, "run", run)
    (tmp_path / "clausewatch.toml").write_text('base_url = "javascript:alert(1)"\n')

    result = CliRunner().invoke(
        app,
        ["--data-dir", str(tmp_path), "serve", "--port", free_port()],
        env={"COLUMNS": "400"},
    )

    assert result.exit_code == 2
    assert "invalid setting base_url 'javascript:alert(1)'" in result.output
    assert served == []
