"""The origins of the snapshots of a SHA-256: a fetch, or an imported history.

``clausewatch verify`` uses this to say how each missing or altered blob can be
written back: an imported snapshot by importing its history again, a fetched one only
by a fetch that returns the same bytes or from a backup.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select

from clausewatch.db.models import Document, Snapshot
from clausewatch.db.store import Store

# SQLite accepts at most 32,766 bound parameters in one statement (999 before 3.32).
_BATCH = 500


@dataclass(frozen=True)
class SnapshotOrigin:
    """The way one snapshot entered the store, and its document."""

    origin: str  # "fetch", "browser" or "import"
    platform_id: str
    terms_type: str
    # The folder or repository an imported snapshot came from. For a snapshot
    # imported before that was recorded, it is the folder the document was last
    # imported from, or None when a later tracking run replaced the document's
    # declaration, which drops it.
    history: str | None = None
    # True when ``history`` is the snapshot's own, False when it is the document's.
    history_recorded: bool = False
    # An imported snapshot's file inside its history, or "git:<commit>:<path>".
    file: str | None = None


def snapshot_origins(
    store: Store, sha256s: Collection[str]
) -> dict[str, list[SnapshotOrigin]]:
    """Return the distinct origins of the snapshots stored under each SHA-256."""
    requested = sorted(set(sha256s))
    origins: dict[str, list[SnapshotOrigin]] = {}
    with store.session() as session:
        for start in range(0, len(requested), _BATCH):
            rows = session.execute(
                select(
                    Snapshot.sha256,
                    Snapshot.origin,
                    Snapshot.url,
                    Snapshot.imported_from,
                    Document.platform_id,
                    Document.terms_type,
                    Document.declaration,
                )
                .join(Document, Document.id == Snapshot.document_id)
                .where(Snapshot.sha256.in_(requested[start : start + _BATCH]))
                .order_by(Snapshot.sha256, Snapshot.id)
            )
            for row in rows:
                found = _origin(
                    row.origin,
                    row.platform_id,
                    row.terms_type,
                    row.url,
                    row.imported_from,
                    row.declaration,
                )
                listed = origins.setdefault(row.sha256, [])
                if found not in listed:
                    listed.append(found)
    return origins


def _origin(
    origin: str,
    platform_id: str,
    terms_type: str,
    url: str,
    imported_from: str | None,
    declaration: dict[str, object] | None,
) -> SnapshotOrigin:
    if origin != "import":
        return SnapshotOrigin(origin, platform_id, terms_type)
    if imported_from is not None:
        return SnapshotOrigin(origin, platform_id, terms_type, imported_from, True, url)
    latest = (declaration or {}).get("imported_from")
    return SnapshotOrigin(
        origin,
        platform_id,
        terms_type,
        latest if isinstance(latest, str) else None,
        False,
        url,
    )
