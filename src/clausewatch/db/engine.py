"""Database engine, sessions and schema migrations."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from clausewatch.errors import ConfigurationError

if TYPE_CHECKING:
    from alembic.config import Config

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
#: The newest migration's revision. Opening a store that already has it skips
#: loading Alembic and its scripts, about a quarter of a second at every command.
#: A test checks it against the migrations folder.
HEAD_REVISION = "0007"


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the web server read while a tracking run writes. The busy timeout makes
    # a second writer wait instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def sqlite_file(url: str) -> Path | None:
    """Return the database file of a SQLite URL, or None for memory or a server."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:":
        return None
    return Path(database)


def make_engine(url: str, *, create_folder: bool = True) -> Engine:
    """Create an engine for a SQLite or PostgreSQL URL.

    For SQLite, the folder of the database file is created if missing, unless
    ``create_folder`` is False.
    """
    if url.startswith("sqlite"):
        path = sqlite_file(url)
        if path is not None and create_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    if url.startswith("postgresql"):
        return create_engine(url, pool_pre_ping=True)
    raise ConfigurationError(
        f"unsupported database URL {url!r}: use sqlite:///PATH or "
        "postgresql+psycopg://USER@HOST/DBNAME"
    )


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema up to the latest migration (idempotent)."""
    try:
        if stored_revisions(engine) == {HEAD_REVISION}:
            return
        from alembic import command

        command.upgrade(alembic_config(engine), "head")
    except OperationalError as error:
        raise unreachable_database(engine, error) from error


def unreachable_database(engine: Engine, error: OperationalError) -> ConfigurationError:
    """Describe a database that could not be opened, with what to check."""
    return ConfigurationError(
        f"cannot open the database at {engine.url!r}: {error.orig}. Check the "
        "database URL (--database-url or CLAUSEWATCH_DATABASE_URL) and that its "
        "folder or server is reachable."
    )


def stored_revisions(engine: Engine) -> set[str]:
    """Return the migration revisions recorded in the database (none when new)."""
    with engine.connect() as connection:
        try:
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
            return {str(row[0]) for row in rows}
        except (OperationalError, ProgrammingError) as error:
            if "alembic_version" not in str(error.orig):
                raise
            return set()


def schema_is_current(engine: Engine) -> bool:
    """Return True when the database is at the latest migration."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(engine))
    return stored_revisions(engine) == set(script.get_heads())


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
