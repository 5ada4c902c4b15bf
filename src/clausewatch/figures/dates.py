"""Dates of a document: first tracked, last verified and last updated.

- first tracked: the fetch time of the document's earliest snapshot, or the capture
  time of its first version when that is earlier (a version imported with a date
  before any stored snapshot);
- last verified: the time of its latest successful capture (a failed fetch or a suspect
  capture does not move it), or the capture time of its latest version when that is
  later;
- last updated: the date the latest version states about itself ("Last updated: ..."),
  else the capture date of the latest version;
- stale: no capture within two years of the latest capture in the store (see
  ``staleness.py``).

Taking the earlier and the later of the two sources makes the order
first tracked <= first seen <= last seen <= last verified hold for every provision by
construction, whatever order the captures arrived in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clausewatch.db.models import Document, Version
from clausewatch.figures.numbering import described


@dataclass(frozen=True)
class DocumentDates:
    """The dates shown in a document's and its provisions' details."""

    first_tracked: datetime | None
    last_verified: datetime | None
    last_updated: date | None
    # "stated" (by the document itself), "latest version" or "none".
    last_updated_source: str
    stale: bool = field(
        default=False,
        metadata=described(
            "True when the document has no capture within two years of the latest "
            "capture in the store; its provisions are then left out of prevalence."
        ),
    )


def document_dates(session: Session, document: Document) -> DocumentDates:
    """Compute the dates of one document and whether it is stale."""
    # Imported here because staleness.py imports aware() from this module.
    from clausewatch.figures.staleness import staleness

    first_capture, last_capture = session.execute(
        select(func.min(Version.captured_at), func.max(Version.captured_at)).where(
            Version.document_id == document.id
        )
    ).one()
    latest = session.execute(
        select(Version.stated_date, Version.captured_at)
        .where(Version.document_id == document.id)
        .order_by(Version.number.desc())
        .limit(1)
    ).first()
    if latest is None:
        updated, source = None, "none"
    elif latest.stated_date is not None:
        updated, source = latest.stated_date, "stated"
    else:
        updated, source = latest.captured_at.date(), "latest version"
    return DocumentDates(
        first_tracked=_earliest(document.first_tracked_at, aware(first_capture)),
        last_verified=_latest(document.last_verified_at, aware(last_capture)),
        last_updated=updated,
        last_updated_source=source,
        stale=staleness(session).is_stale(document.id),
    )


def last_verified(session: Session, document: Document) -> datetime | None:
    """Compute only the last verified time of a document, as ``document_dates`` does."""
    last_capture = session.scalar(
        select(func.max(Version.captured_at)).where(Version.document_id == document.id)
    )
    return _latest(document.last_verified_at, aware(last_capture))


def aware(value: datetime | str | None) -> datetime | None:
    """Return an aggregate's timestamp as timezone-aware UTC.

    Aggregates such as MIN and MAX bypass the column type, so SQLite returns naive UTC
    or even a string.
    """
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _earliest(*values: datetime | None) -> datetime | None:
    present = [value for value in values if value is not None]
    return min(present) if present else None


def _latest(*values: datetime | None) -> datetime | None:
    present = [value for value in values if value is not None]
    return max(present) if present else None
