"""How stable one provision has been since it was first seen.

- changes: material change events of the provision after it was first added
  (modified, moved, reclassified, removed and added again); cosmetic edits do not count;
- first seen: capture time of the earliest version containing it;
- last seen: capture time of the latest version containing it; while the provision is
  in the document's latest version it is current and last seen is the document's last
  verified time;
- months monitored: whole months, rounded down, from first seen to last seen;
- label: Stable with no changes, Changed with one or two, Volatile with three or more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clausewatch.db.models import ChangeEvent, Document, Provision, Version

COUNTED_KINDS = ("added", "modified", "moved", "reclassified", "removed")


def stability_label(changes: int) -> str:
    if changes == 0:
        return "Stable"
    if changes <= 2:
        return "Changed"
    return "Volatile"


def whole_months(start: datetime, end: datetime) -> int:
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if (end.day, end.time()) < (start.day, start.time()):
        months -= 1
    return max(months, 0)


@dataclass(frozen=True)
class Stability:
    changes: int
    months_monitored: int
    first_seen: datetime
    last_seen: datetime
    is_current: bool
    label: str


def provision_stability(session: Session, provision: Provision) -> Stability:
    first_seen = session.scalar(
        select(Version.captured_at).where(Version.id == provision.first_version_id)
    )
    last_version_at = session.scalar(
        select(Version.captured_at).where(Version.id == provision.last_version_id)
    )
    assert first_seen is not None and last_version_at is not None
    if provision.is_current:
        document = session.get(Document, provision.document_id)
        verified = document.last_verified_at if document else None
        last_seen = max(filter(None, [verified, last_version_at]))
    else:
        last_seen = last_version_at
    events = (
        session.scalar(
            select(func.count()).where(
                ChangeEvent.provision_id == provision.id,
                ChangeEvent.material.is_(True),
                ChangeEvent.kind.in_(COUNTED_KINDS),
            )
        )
        or 0
    )
    # The first "added" event of a provision created after the first version is its
    # birth, not a change.
    born_later = (
        session.scalar(
            select(func.count()).where(
                ChangeEvent.provision_id == provision.id,
                ChangeEvent.kind == "added",
                ChangeEvent.version_id == provision.first_version_id,
            )
        )
        or 0
    )
    changes = max(events - born_later, 0)
    return Stability(
        changes=changes,
        months_monitored=whole_months(first_seen, last_seen),
        first_seen=first_seen,
        last_seen=last_seen,
        is_current=provision.is_current,
        label=stability_label(changes),
    )
