"""Dates of a document: first tracked, last verified and last updated.

- first tracked: the fetch time of the document's earliest snapshot;
- last verified: the time of its latest successful capture (a failed fetch or a suspect
  capture does not move it);
- last updated: the date the latest version states about itself ("Last updated: ..."),
  else the capture date of the latest version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clausewatch.db.models import Document, Version


@dataclass(frozen=True)
class DocumentDates:
    first_tracked: datetime | None
    last_verified: datetime | None
    last_updated: date | None
    last_updated_source: str  # "stated" (by the document) or "latest version" or "none"


def document_dates(session: Session, document: Document) -> DocumentDates:
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
        first_tracked=document.first_tracked_at,
        last_verified=document.last_verified_at,
        last_updated=updated,
        last_updated_source=source,
    )
