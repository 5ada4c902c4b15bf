"""Full-text search over provision texts

On SQLite, an FTS5 virtual table ``provision_texts_fts`` indexes the text and heading
path of every row of ``provision_texts`` (external content, so the text is stored once),
and three triggers keep it in step with inserts, updates and deletes. On PostgreSQL, a
GIN index ``provision_texts_fts_idx`` on the English tsvector of the text serves
``to_tsvector('english', text) @@ plainto_tsquery('english', ...)``.

Every object this migration creates is named with the prefix ``provision_texts_fts``,
so schema comparisons can leave them out: SQLAlchemy models do not describe them.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UPGRADE = (
    # porter stems English words ("sharing" finds "share"); unicode61 folds case and
    # diacritics, so "données" matches "donnees".
    """
    CREATE VIRTUAL TABLE provision_texts_fts USING fts5(
        text,
        heading_path,
        content='provision_texts',
        content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER provision_texts_fts_insert AFTER INSERT ON provision_texts BEGIN
        INSERT INTO provision_texts_fts(rowid, text, heading_path)
        VALUES (new.id, new.text, new.heading_path);
    END
    """,
    """
    CREATE TRIGGER provision_texts_fts_delete AFTER DELETE ON provision_texts BEGIN
        INSERT INTO provision_texts_fts(provision_texts_fts, rowid, text, heading_path)
        VALUES ('delete', old.id, old.text, old.heading_path);
    END
    """,
    """
    CREATE TRIGGER provision_texts_fts_update AFTER UPDATE ON provision_texts BEGIN
        INSERT INTO provision_texts_fts(provision_texts_fts, rowid, text, heading_path)
        VALUES ('delete', old.id, old.text, old.heading_path);
        INSERT INTO provision_texts_fts(rowid, text, heading_path)
        VALUES (new.id, new.text, new.heading_path);
    END
    """,
    # Index the rows stored before this migration.
    "INSERT INTO provision_texts_fts(provision_texts_fts) VALUES ('rebuild')",
)

SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS provision_texts_fts_update",
    "DROP TRIGGER IF EXISTS provision_texts_fts_delete",
    "DROP TRIGGER IF EXISTS provision_texts_fts_insert",
    "DROP TABLE IF EXISTS provision_texts_fts",
)

POSTGRESQL_UPGRADE = (
    """
    CREATE INDEX IF NOT EXISTS provision_texts_fts_idx ON provision_texts
    USING gin (to_tsvector('english', text))
    """,
)

POSTGRESQL_DOWNGRADE = ("DROP INDEX IF EXISTS provision_texts_fts_idx",)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        statements: tuple[str, ...] = SQLITE_UPGRADE
    elif dialect == "postgresql":
        statements = POSTGRESQL_UPGRADE
    else:
        statements = ()
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        statements: tuple[str, ...] = SQLITE_DOWNGRADE
    elif dialect == "postgresql":
        statements = POSTGRESQL_DOWNGRADE
    else:
        statements = ()
    for statement in statements:
        op.execute(statement)
