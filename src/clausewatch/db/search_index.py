"""Keep the SQLite full-text index of provision texts up to date.

The FTS5 table ``provision_texts_fts`` (migrations 0002, 0004 and 0005) contains the
first row of each distinct text of a provision. A version's new rows are indexed with
one statement after they are stored, which costs a fraction of a trigger per row.
PostgreSQL needs nothing here: its expression index follows every row by itself.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

_INDEX_VERSION = text(
    """
    INSERT INTO provision_texts_fts(rowid, text, heading_path)
    SELECT row.id, row.text, row.heading_path FROM provision_texts AS row
    WHERE row.version_id = :version_id
      AND NOT EXISTS (
        SELECT 1 FROM provision_texts AS earlier
        WHERE earlier.provision_id = row.provision_id
          AND earlier.text_sha256 = row.text_sha256
          AND earlier.id < row.id
      )
    """
)


def index_version_texts(session: Session, version_id: int) -> None:
    """Add a version's provision texts that are new to their provision to the index."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(_INDEX_VERSION, {"version_id": version_id})
