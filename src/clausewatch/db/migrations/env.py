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

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
