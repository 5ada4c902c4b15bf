"""Migrations build the schema of the models, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from clausewatch.db.engine import (
    HEAD_REVISION,
    alembic_config,
    make_engine,
    migrate,
    schema_is_current,
    stored_revisions,
)
from clausewatch.db.models import Base

POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped afterwards."""
    name = f"clausewatch_{uuid.uuid4().hex[:12]}"
    admin = create_engine(f"{POSTGRES_SERVER}/test", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any connection failure means no server
        admin.dispose()
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at 127.0.0.1:5432 is not usable: {error}")
        pytest.skip(f"PostgreSQL at 127.0.0.1:5432 is not usable: {error}")
    yield f"{POSTGRES_SERVER}/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


# Full-text search lives outside the models: an FTS5 virtual table with its shadow
# tables on SQLite, an expression index on PostgreSQL. Migration 0002 owns them.
FULL_TEXT_PREFIX = "provision_texts_fts"


def is_modelled(item: tuple[object, ...]) -> bool:
    target = item[1]
    name = getattr(target, "name", "") or ""
    return not str(name).startswith(FULL_TEXT_PREFIX)


def assert_schema_matches_models(url: str) -> None:
    engine = make_engine(url)
    migrate(engine)
    migrate(engine)  # a second run changes nothing
    assert schema_is_current(engine)
    with engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection), Base.metadata
        )
    engine.dispose()
    assert [item for item in differences if is_modelled(item)] == []


def test_sqlite_schema_matches_models(tmp_path: Path) -> None:
    assert_schema_matches_models(f"sqlite:///{tmp_path / 'schema.db'}")


@pytest.mark.postgres
def test_postgres_schema_matches_models(postgres_url: str) -> None:
    assert_schema_matches_models(postgres_url)


def test_head_revision_constant_is_newest() -> None:
    script = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://")))
    assert script.get_heads() == [HEAD_REVISION]


def test_migrate_upgrades_older_store(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'older.db'}")
    command.upgrade(alembic_config(engine), "0002")
    assert stored_revisions(engine) == {"0002"}
    migrate(engine)
    assert stored_revisions(engine) == {HEAD_REVISION}
    assert schema_is_current(engine)
    engine.dispose()


def test_new_store_has_no_revision(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert stored_revisions(engine) == set()
    engine.dispose()


def test_existing_analyses_affirm_after_the_stance_migration(tmp_path: Path) -> None:
    path = tmp_path / "stances.db"
    engine = make_engine(f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "0005")
    with engine.begin() as connection:
        # Foreign keys are off so one row of each table stands for a stored history.
        connection.execute(text("PRAGMA foreign_keys=OFF"))
        connection.execute(
            text(
                "INSERT INTO analyses (id, provision_text_id, clause_type_id, "
                "confidence, source, severity, severity_reason, model_version, "
                "analyzed_at) VALUES (1, 1, 'sale_of_data', 0.9, 'pattern', 'High', "
                "'r', 'm', '2024-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO current_clauses (provision_id, clause_type_id, "
                "provision_text_id, platform_id, document_id, severity, confidence) "
                "VALUES (1, 'sale_of_data', 1, 'p', 1, 'High', 0.9)"
            )
        )
    migrate(engine)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT stance FROM analyses")) == "affirms"
        assert connection.scalar(text("SELECT stance FROM current_clauses")) == (
            "affirms"
        )
    command.downgrade(alembic_config(engine), "0005")
    with engine.connect() as connection:
        columns = connection.execute(text("PRAGMA table_info(analyses)")).all()
        assert "stance" not in {column[1] for column in columns}
    engine.dispose()
