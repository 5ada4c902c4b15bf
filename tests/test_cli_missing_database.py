"""Commands that only read stop at a missing database instead of creating one."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from typer.testing import CliRunner

from clausewatch.cli import app
from clausewatch.errors import MissingDatabaseError
from clausewatch.settings import Settings
from clausewatch.web import create_app
from tests.test_migrations import postgres_url  # noqa: F401 - a fixture

runner = CliRunner()
# Wide enough that Rich does not wrap a long path inside the message.
WIDE = {"COLUMNS": "400"}


def _free_port() -> str:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return str(probe.getsockname()[1])


READ_ONLY_COMMANDS = [
    ("stats",),
    ("stats", "--json"),
    ("show", "openai"),
    ("show", "D-00001Y"),
    ("changes",),
    ("diff", "D-00001Y"),
    ("verify",),
    ("classify",),
    ("embed",),
    ("platforms",),
]


@pytest.mark.parametrize("arguments", READ_ONLY_COMMANDS, ids=" ".join)
def test_read_only_command_missing_data_dir(tmp_path: Path, arguments) -> None:
    data_dir = tmp_path / "typo"

    result = runner.invoke(app, ["--data-dir", str(data_dir), *arguments], env=WIDE)

    assert result.exit_code == 2, result.output
    assert f"no clausewatch database at {data_dir / 'clausewatch.db'}" in (
        result.output
    )
    assert "run clausewatch init" in result.output
    assert "--data-dir or CLAUSEWATCH_DATA_DIR" in result.output
    assert not data_dir.exists()


def test_serve_missing_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    served: list[uvicorn.Server] = []

    def run(server: uvicorn.Server, sockets=None) -> None:
        # Stands in for the server loop, so that a served empty site ends the test.
        served.append(server)
        for listener in sockets or []:
            listener.close()

    monkeypatch.setattr(uvicorn.Server, "run", run)
    data_dir = tmp_path / "typo"

    result = runner.invoke(
        app, ["--data-dir", str(data_dir), "serve", "--port", _free_port()], env=WIDE
    )

    assert result.exit_code == 2, result.output
    assert "no clausewatch database at" in result.output
    assert served == []
    assert not data_dir.exists()


def test_database_url_in_missing_folder(tmp_path: Path) -> None:
    database = tmp_path / "nonexistent" / "dir" / "x.db"

    result = runner.invoke(
        app,
        ["--data-dir", str(tmp_path / "data")]
        + ["--database-url", f"sqlite:///{database}", "stats"],
        env=WIDE,
    )

    assert result.exit_code == 2, result.output
    assert f"no clausewatch database at {database}" in result.output
    assert "--database-url or CLAUSEWATCH_DATABASE_URL" in result.output
    assert not database.parent.exists()


def test_sqlite_file_without_tables(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    database = data_dir / "clausewatch.db"
    sqlite3.connect(database).close()

    result = runner.invoke(app, ["--data-dir", str(data_dir), "stats"], env=WIDE)

    assert result.exit_code == 2, result.output
    assert "(it has no clausewatch tables)" in result.output
    with sqlite3.connect(database) as connection:
        tables = connection.execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == []


def test_init_then_read_only_commands(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"

    created = runner.invoke(app, ["--data-dir", str(data_dir), "init"])
    stats = runner.invoke(app, ["--data-dir", str(data_dir), "stats", "--json"])
    verify = runner.invoke(app, ["--data-dir", str(data_dir), "verify"])

    assert created.exit_code == 0, created.output
    assert stats.exit_code == 0, stats.output
    assert verify.exit_code == 0, verify.output


def test_create_app_missing_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "typo"

    with pytest.raises(MissingDatabaseError, match="run clausewatch init"):
        create_app(Settings(data_dir=data_dir))

    assert not data_dir.exists()


@pytest.mark.postgres
def test_postgres_database_without_schema(
    postgres_url: str,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    result = runner.invoke(
        app,
        ["--data-dir", str(tmp_path / "data"), "--database-url", postgres_url]
        + ["stats"],
        env=WIDE,
    )

    assert result.exit_code == 2, result.output
    assert "(it has no clausewatch tables)" in result.output
    assert "run clausewatch init" in result.output
    engine = create_engine(postgres_url)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_postgres_init_then_stats(
    postgres_url: str,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    options = ["--data-dir", str(tmp_path / "data"), "--database-url", postgres_url]

    created = runner.invoke(app, [*options, "init"])
    stats = runner.invoke(app, [*options, "stats", "--json"])

    assert created.exit_code == 0, created.output
    assert stats.exit_code == 0, stats.output
