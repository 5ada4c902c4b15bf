"""Stale documents: no capture within two years of the latest capture in the store.

A document's last verification is its last verified time (see ``dates.py``). The
store's reference time is the latest last verification of any document, so the rule
reads the stored data alone and its result changes only when the data does. A document
is stale when its last verification is more than ``STALE_AFTER`` before the reference
time. Its text may have changed or been withdrawn since, so prevalence figures leave
its provisions out, and pages mark it.

A platform is stale when all of its documents with a version are stale. It then leaves
M, the number of platforms that prevalence counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clausewatch.db.models import Document, Version
from clausewatch.figures.dates import aware
from clausewatch.figures.freshness import cached_figure

STALE_AFTER_DAYS = 730
STALE_AFTER = timedelta(days=STALE_AFTER_DAYS)


@dataclass(frozen=True)
class Staleness:
    """The last verification of every document with a version, and which are stale."""

    #: Latest last verification of any document; None in an empty store.
    reference: datetime | None
    last_verified: dict[int, datetime]
    platform_of: dict[int, str]
    stale_documents: frozenset[int]
    #: Platforms with at least one document that is not stale.
    current_platforms: frozenset[str]
    #: Platforms whose every document with a version is stale.
    stale_platforms: frozenset[str]

    @property
    def cutoff(self) -> datetime | None:
        """Documents last verified before this time are stale."""
        return None if self.reference is None else self.reference - STALE_AFTER

    def is_stale(self, document_id: int) -> bool:
        return document_id in self.stale_documents


def staleness(session: Session) -> Staleness:
    """Read the last verification of every document with a version, cached until
    the next capture."""
    return cached_figure(
        session, "staleness", lambda: _read_staleness(session), captures=True
    )


def _read_staleness(session: Session) -> Staleness:
    # One grouped read of the (document_id, captured_at) index of versions, joined to
    # the documents table, which has one row per tracked document.
    rows = session.execute(
        select(
            Document.id,
            Document.platform_id,
            Document.last_verified_at,
            func.max(Version.captured_at),
        )
        .join(Version, Version.document_id == Document.id)
        .group_by(Document.id, Document.platform_id, Document.last_verified_at)
    ).all()
    last_verified: dict[int, datetime] = {}
    platform_of: dict[int, str] = {}
    for document_id, platform_id, verified_at, latest_capture in rows:
        times = [time for time in (aware(verified_at), aware(latest_capture)) if time]
        last_verified[document_id] = max(times)
        platform_of[document_id] = platform_id
    reference = max(last_verified.values(), default=None)
    cutoff = None if reference is None else reference - STALE_AFTER
    stale = frozenset(
        document_id
        for document_id, verified in last_verified.items()
        if cutoff is not None and verified < cutoff
    )
    current = frozenset(
        platform_of[document_id] for document_id in last_verified.keys() - stale
    )
    return Staleness(
        reference=reference,
        last_verified=last_verified,
        platform_of=platform_of,
        stale_documents=stale,
        current_platforms=current,
        stale_platforms=frozenset(platform_of.values()) - current,
    )
