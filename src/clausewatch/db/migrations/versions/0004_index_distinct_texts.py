"""Index each distinct text of a provision once in the SQLite full-text index

Every version stores a row for each of its provisions, and most rows repeat the text
of the same provision in the previous version. The FTS5 index now holds only the
first row of each distinct text of a provision, so an unchanged clause costs nothing
to index however many versions repeat it. Search reaches a provision's latest text
through that first row, by its SHA-256.

The insert trigger indexes a row only when no earlier row of the same provision has
the same text. When an indexed row is deleted, the next row with the same text takes
its place in the index. Changing a stored text is rejected. The index is rebuilt by
hand here, because FTS5's own 'rebuild' command indexes every row. For the same
reason, FTS5's 'integrity-check' must be run with rank 0: with a nonzero rank it also
compares the index with every row of the content table and reports a partial index
as corrupt.

PostgreSQL keeps its expression index over every row (migration 0002).

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# True for a row of provision_texts (named by its alias) that is the first of its
# provision with its text: the rows the index holds.
_FIRST_WITH_TEXT = """NOT EXISTS (
    SELECT 1 FROM provision_texts AS earlier
    WHERE earlier.provision_id = {row}.provision_id
      AND earlier.text_sha256 = {row}.text_sha256
      AND earlier.id < {row}.id
)"""

# The row that takes the index entry of a removed first row: the next one of the
# same provision with the same text.
_INDEX_NEXT_WITH_TEXT = """
        INSERT INTO provision_texts_fts(rowid, text, heading_path)
        SELECT later.id, later.text, later.heading_path FROM provision_texts AS later
        WHERE later.provision_id = old.provision_id
          AND later.text_sha256 = old.text_sha256
          AND later.id > old.id
        ORDER BY later.id LIMIT 1;"""

_DROP_TRIGGERS = (
    "DROP TRIGGER IF EXISTS provision_texts_fts_insert",
    "DROP TRIGGER IF EXISTS provision_texts_fts_delete",
    "DROP TRIGGER IF EXISTS provision_texts_fts_update",
)

SQLITE_UPGRADE = (
    *_DROP_TRIGGERS,
    f"""
    CREATE TRIGGER provision_texts_fts_insert AFTER INSERT ON provision_texts
    WHEN {_FIRST_WITH_TEXT.format(row="new")}
    BEGIN
        INSERT INTO provision_texts_fts(rowid, text, heading_path)
        VALUES (new.id, new.text, new.heading_path);
    END
    """,
    f"""
    CREATE TRIGGER provision_texts_fts_delete AFTER DELETE ON provision_texts
    WHEN {_FIRST_WITH_TEXT.format(row="old")}
    BEGIN
        INSERT INTO provision_texts_fts(provision_texts_fts, rowid, text, heading_path)
        VALUES ('delete', old.id, old.text, old.heading_path);
        {_INDEX_NEXT_WITH_TEXT}
    END
    """,
    # A stored text is part of the permanent record, and rewriting one in place would
    # also leave the index out of step, so the database rejects it.
    """
    CREATE TRIGGER provision_texts_fts_update BEFORE UPDATE
    OF provision_id, text, text_sha256, heading_path ON provision_texts
    BEGIN
        SELECT RAISE(ABORT, 'stored provision texts cannot be changed');
    END
    """,
    "INSERT INTO provision_texts_fts(provision_texts_fts) VALUES ('delete-all')",
    f"""
    INSERT INTO provision_texts_fts(rowid, text, heading_path)
    SELECT row.id, row.text, row.heading_path FROM provision_texts AS row
    WHERE {_FIRST_WITH_TEXT.format(row="row")}
    """,
)

# The triggers of migration 0002, which index every row.
SQLITE_DOWNGRADE = (
    *_DROP_TRIGGERS,
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
    "INSERT INTO provision_texts_fts(provision_texts_fts) VALUES ('rebuild')",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DOWNGRADE:
            op.execute(statement)
