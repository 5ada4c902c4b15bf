"""Clause stability: how often one provision changed since it was first seen.

- changes: the number of versions in which the provision changed materially after it
  first appeared: modified (not cosmetically), moved, reclassified, removed, or added
  again after a removal. A version that both modifies and moves it counts once;
  cosmetic edits do not count;
- first seen: capture time of the earliest version containing it;
- last seen: capture time of the latest version containing it. While the provision is
  in the document's latest version it is current, and last seen is the document's last
  verified time;
- months monitored: whole months, rounded down, from first seen to last seen;
- label: Stable with no changes over at least six months monitored, New with no
  changes over fewer months, Changed with one or two, Volatile with three or more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import Session, aliased

from clausewatch.db.models import ChangeEvent, Document, Provision, Version
from clausewatch.db.record_ids import parse_record_id
from clausewatch.errors import NotFoundError
from clausewatch.figures.dates import aware

COUNTED_KINDS = ("added", "modified", "moved", "reclassified", "removed")
# Upper bounds of the change count for each label; more changes read Volatile.
STABILITY_LABELS: tuple[tuple[int, str], ...] = ((0, "Stable"), (2, "Changed"))
# An unchanged provision reads Stable only after this many whole months monitored,
# and New before. Three versions in four of the imported corpus followed the previous
# one within six months, so a shorter watch has not yet seen a typical revision.
MIN_STABLE_MONTHS = 6


def stability_label(changes: int, months_monitored: int) -> str:
    """Return New, Stable, Changed or Volatile for a provision's change history."""
    if changes == 0 and months_monitored < MIN_STABLE_MONTHS:
        return "New"
    for upper_bound, label in STABILITY_LABELS:
        if changes <= upper_bound:
            return label
    return "Volatile"


def whole_months(start: datetime, end: datetime) -> int:
    """Count whole calendar months from start to end, rounded down, never negative."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if (end.day, end.time()) < (start.day, start.time()):
        months -= 1
    return max(months, 0)


@dataclass(frozen=True)
class Stability:
    """Clause stability of one provision."""

    changes: int
    months_monitored: int
    first_seen: datetime
    last_seen: datetime
    is_current: bool
    label: str


def provision_stability(session: Session, provision: Provision) -> Stability:
    """Compute the clause stability of one provision from its versions and events."""
    first = aliased(Version)
    last = aliased(Version)
    latest_capture = (
        select(func.max(Version.captured_at))
        .where(Version.document_id == provision.document_id)
        .scalar_subquery()
    )
    row = session.execute(
        select(
            first.captured_at,
            last.captured_at,
            Document.last_verified_at,
            latest_capture,
            _change_count(provision).scalar_subquery(),
        )
        .select_from(Document)
        .join(first, first.id == provision.first_version_id)
        .join(last, last.id == provision.last_version_id)
        .where(Document.id == provision.document_id)
    ).first()
    if row is None:
        raise NotFoundError(
            f"provision {provision.record_id} points at a missing version; "
            "run `clausewatch verify` and re-import the document's history"
        )
    first_seen, last_version_at, verified_at, latest_at, changes = row
    last_seen = max(first_seen, last_version_at)
    if provision.is_current:
        # The same rule as the document's last verified date (see dates.py).
        last_seen = max(
            value
            for value in (last_seen, verified_at, aware(latest_at))
            if value is not None
        )
    months = whole_months(first_seen, last_seen)
    return Stability(
        changes=changes or 0,
        months_monitored=months,
        first_seen=first_seen,
        last_seen=last_seen,
        is_current=provision.is_current,
        label=stability_label(changes or 0, months),
    )


def _change_count(provision: Provision) -> Select[int]:
    # The "added" event in the provision's first version is its birth, not a change.
    return select(func.count(distinct(ChangeEvent.version_id))).where(
        ChangeEvent.provision_id == provision.id,
        ChangeEvent.material.is_(True),
        ChangeEvent.kind.in_(COUNTED_KINDS),
        ChangeEvent.version_id != provision.first_version_id,
    )


def provision_change_count(session: Session, provision: Provision) -> int:
    """Count the versions that changed this provision materially after it appeared."""
    return session.scalar(_change_count(provision)) or 0


def find_provision(session: Session, record_id: str) -> Provision:
    """Find a provision by record ID (any case); raise NotFoundError otherwise."""
    found = session.execute(
        select(Provision).where(Provision.record_id == record_id.strip().upper())
    ).scalar_one_or_none()
    if found is None:
        hint = (
            "check it against the provision's page"
            if parse_record_id(record_id)
            else "a provision record ID looks like P-00012V"
        )
        raise NotFoundError(f"no provision with record ID {record_id!r}; {hint}")
    return found


def stability_of(session: Session, record_id: str) -> Stability:
    """Compute the clause stability of the provision with this record ID."""
    return provision_stability(session, find_provision(session, record_id))
