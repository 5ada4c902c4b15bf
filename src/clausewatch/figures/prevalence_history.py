"""Prevalence of one clause type at each month end, from the versions valid then.

At a month end T, the version of a document valid at T is its latest version captured
before T. M(T) counts platforms with at least one such version, and N(T) the platforms
for which one such version contains a provision of the clause type that affirms its
practice (a denial does not count, as in the current figure). The rarity label follows
the same rule as the current figure.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from clausewatch.analysis.stance import DENIES
from clausewatch.db.models import Analysis, Document, ProvisionText, Version
from clausewatch.figures.prevalence import rarity_label


@dataclass(frozen=True)
class PrevalencePoint:
    """N of M platforms with the clause type at the end of one month."""

    month_end: date
    platforms_with: int
    platforms_total: int
    rarity: str


@dataclass
class _DocumentVersions:
    platform_id: str
    captured: list[datetime]
    version_ids: list[int]


def prevalence_over_time(
    session: Session, clause_type_id: str, *, now: datetime | None = None
) -> list[PrevalencePoint]:
    """Return N of M at each month end, from the first stored version's month to now.

    The last point is the end of the current month, computed from the versions stored
    so far.
    """
    now = now or datetime.now(UTC)
    documents = _versions_by_document(session)
    if not documents:
        return []
    typed_versions = set(
        session.scalars(
            select(ProvisionText.version_id)
            .join(Analysis, Analysis.provision_text_id == ProvisionText.id)
            .where(
                Analysis.clause_type_id == clause_type_id,
                Analysis.stance != DENIES,
            )
            .distinct()
        )
    )
    first = min(entry.captured[0] for entry in documents.values())
    points: list[PrevalencePoint] = []
    for boundary in _month_boundaries(first, now):
        with_type: set[str] = set()
        tracked: set[str] = set()
        for entry in documents.values():
            index = bisect.bisect_left(entry.captured, boundary) - 1
            if index < 0:
                continue
            tracked.add(entry.platform_id)
            if entry.version_ids[index] in typed_versions:
                with_type.add(entry.platform_id)
        points.append(
            PrevalencePoint(
                month_end=(boundary - timedelta(days=1)).date(),
                platforms_with=len(with_type),
                platforms_total=len(tracked),
                rarity=rarity_label(len(with_type), len(tracked)),
            )
        )
    return points


def _versions_by_document(session: Session) -> dict[int, _DocumentVersions]:
    rows = session.execute(
        select(
            Version.document_id, Document.platform_id, Version.captured_at, Version.id
        )
        .join(Document, Document.id == Version.document_id)
        .order_by(Version.document_id, Version.number)
    )
    documents: dict[int, _DocumentVersions] = defaultdict(
        lambda: _DocumentVersions("", [], [])
    )
    for document_id, platform_id, captured_at, version_id in rows:
        entry = documents[document_id]
        entry.platform_id = platform_id
        # Ingest refuses captures older than the latest version, so numbers and
        # capture times rise together; max() guards bisect against equal or
        # hand-edited times.
        previous = entry.captured[-1] if entry.captured else captured_at
        entry.captured.append(max(previous, captured_at))
        entry.version_ids.append(version_id)
    return dict(documents)


def _month_boundaries(first: datetime, now: datetime) -> list[datetime]:
    """First instants of the months after each month from first's month to now's."""
    boundaries: list[datetime] = []
    year, month = first.year, first.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        boundary = datetime(year, month, 1, tzinfo=UTC)
        boundaries.append(boundary)
        if boundary > now:
            return boundaries
