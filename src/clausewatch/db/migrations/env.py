"""Alembic environment: runs migrations on the engine clausewatch hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from clausewatch.db.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    # Used by `alembic revision --autogenerate` during development.
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")

# Full-text search objects are created by hand in migration 0002 and are not models;
# without this filter, autogenerate would propose dropping them.
FULL_TEXT_PREFIX = "provision_texts_fts"


def include_object(item, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    return not (name or "").startswith(FULL_TEXT_PREFIX)


with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
