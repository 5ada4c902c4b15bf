"""Prevalence of one clause type at each month end, from the versions valid then.

At a month end T, the version of a document valid at T is its latest version captured
before T. M(T) counts platforms with at least one such version of a document that was
not stale at T, and N(T) the platforms for which one such version contains a
provision of the clause type that affirms its practice (a denial does not count, as
in the current figure). A document is stale at T when its latest capture before T is
more than two years older than the latest capture of any document before T, the rule
of the current figure applied to what was stored by T. The rarity label follows the
same rule as the current figure.

The series ends with a point at the time of the request, which is the current figure.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from clausewatch.analysis.stance import DENIES
from clausewatch.db.models import (
    Analysis,
    Document,
    ProvisionText,
    Snapshot,
    Version,
    VersionSnapshot,
)
from clausewatch.figures.dates import aware
from clausewatch.figures.freshness import cached_figure
from clausewatch.figures.numbering import described
from clausewatch.figures.prevalence import rarity_label
from clausewatch.figures.staleness import STALE_AFTER, Staleness, staleness


@dataclass(frozen=True)
class PrevalencePoint:
    """N of M platforms with the clause type at the end of one month, or today."""

    as_of: date = field(
        metadata=described(
            "The day the point describes: the last day of a month, or today for the "
            "last point."
        )
    )
    platforms_with: int
    platforms_total: int
    rarity: str
    is_month_end: bool = field(
        metadata=described(
            "True for a month's last day; false for the last point, which counts "
            "the versions stored up to the time of the request."
        )
    )


@dataclass
class _DocumentHistory:
    platform_id: str = ""
    captured: list[datetime] = field(default_factory=list)
    version_ids: list[int] = field(default_factory=list)
    #: The latest successful capture of each calendar month, in order.
    verified: list[datetime] = field(default_factory=list)


def prevalence_over_time(
    session: Session, clause_type_id: str, *, now: datetime | None = None
) -> list[PrevalencePoint]:
    """Return N of M at each month end from the first stored version's month, and now.

    Month ends run up to the last one before ``now``; the last point is ``now``.
    """
    now = now or datetime.now(UTC)
    current = staleness(session)
    documents = _histories(session, current)
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
    points = [
        _point_at(
            documents,
            typed_versions,
            boundary,
            as_of=(boundary - timedelta(days=1)).date(),
            is_month_end=True,
            is_stale=_stale_at(documents, boundary),
        )
        for boundary in _month_boundaries(first, now)
    ]
    # The last point uses the document dates the current figure uses, so the two agree.
    points.append(
        _point_at(
            documents,
            typed_versions,
            now,
            as_of=now.date(),
            is_month_end=False,
            is_stale=current.is_stale,
        )
    )
    return points


def _point_at(
    documents: dict[int, _DocumentHistory],
    typed_versions: set[int],
    moment: datetime,
    *,
    as_of: date,
    is_month_end: bool,
    is_stale: Callable[[int], bool],
) -> PrevalencePoint:
    with_type: set[str] = set()
    tracked: set[str] = set()
    # A month end counts versions captured before midnight; the last point counts
    # every stored version, as the current figure does, captured at ``now`` included.
    position = bisect.bisect_left if is_month_end else bisect.bisect_right
    for document_id, entry in documents.items():
        index = position(entry.captured, moment) - 1
        if index < 0 or is_stale(document_id):
            continue
        tracked.add(entry.platform_id)
        if entry.version_ids[index] in typed_versions:
            with_type.add(entry.platform_id)
    return PrevalencePoint(
        as_of=as_of,
        platforms_with=len(with_type),
        platforms_total=len(tracked),
        rarity=rarity_label(len(with_type), len(tracked)),
        is_month_end=is_month_end,
    )


def _stale_at(
    documents: dict[int, _DocumentHistory], moment: datetime
) -> Callable[[int], bool]:
    """Return whether a document was stale at a moment, from its captures before it."""
    last_capture: dict[int, datetime] = {}
    for document_id, entry in documents.items():
        index = bisect.bisect_left(entry.verified, moment)
        if index:
            last_capture[document_id] = entry.verified[index - 1]
    if not last_capture:
        return lambda _document_id: False
    cutoff = max(last_capture.values()) - STALE_AFTER
    return lambda document_id: last_capture.get(document_id, cutoff) < cutoff


def _histories(session: Session, current: Staleness) -> dict[int, _DocumentHistory]:
    """Read every document's versions and successful captures, cached per store state.

    A capture that changes no text refreshes the captures read here too.
    """

    def compute() -> dict[int, _DocumentHistory]:
        documents: dict[int, _DocumentHistory] = defaultdict(_DocumentHistory)
        rows = session.execute(
            select(
                Version.document_id,
                Document.platform_id,
                Version.captured_at,
                Version.id,
            )
            .join(Document, Document.id == Version.document_id)
            .order_by(Version.document_id, Version.number)
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
        extra = _capture_times(session, current)
        for document_id, entry in documents.items():
            times = [*entry.captured, *extra.get(document_id, [])]
            entry.verified = _monthly_latest(times)
        return dict(documents)

    return cached_figure(session, "document-histories", compute, captures=True)


def _capture_times(session: Session, current: Staleness) -> dict[int, list[datetime]]:
    """Successful capture times of each document besides its versions' captures: the
    snapshots of its versions and the document's last verified time."""
    times: dict[int, list[datetime]] = defaultdict(list)
    for document_id, fetched_at in session.execute(
        select(Version.document_id, Snapshot.fetched_at)
        .join(VersionSnapshot, VersionSnapshot.version_id == Version.id)
        .join(Snapshot, Snapshot.id == VersionSnapshot.snapshot_id)
    ):
        times[document_id].append(fetched_at)
    for document_id, verified_at in current.last_verified.items():
        times[document_id].append(verified_at)
    return times


def _monthly_latest(times: list[datetime]) -> list[datetime]:
    """Keep the latest time of each calendar month, in order.

    Only the latest capture before each month boundary matters, so a document fetched
    every day keeps twelve times a year.
    """
    latest: dict[tuple[int, int], datetime] = {}
    for time in times:
        moment = aware(time)
        assert moment is not None
        key = (moment.year, moment.month)
        if key not in latest or moment > latest[key]:
            latest[key] = moment
    return sorted(latest.values())


def _month_boundaries(first: datetime, now: datetime) -> list[datetime]:
    """First instants of the months after each month from first's month, up to now."""
    boundaries: list[datetime] = []
    year, month = first.year, first.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        boundary = datetime(year, month, 1, tzinfo=UTC)
        if boundary > now:
            return boundaries
        boundaries.append(boundary)
