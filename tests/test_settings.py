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
