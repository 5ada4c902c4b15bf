"""Documented changes: the change events that the "documented changes" figures count.

A documented change is a material change event of one provision (added, removed,
modified, moved or reclassified, and not cosmetic), dated by the capture of the version
that shows it. The document-level "new version" event is not one. The recent window
starts at midnight UTC of the day ``days`` days before the request's day, so the
changes list filtered on that day (``since``) shows the same changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clausewatch.db.models import ChangeEvent
from clausewatch.figures.changes import ChangeFilter
from clausewatch.figures.numbering import described

WINDOW_DAYS = 30


def documented_conditions(since: datetime | None = None) -> tuple[Any, ...]:
    """SQL conditions on ChangeEvent that select documented changes since a time."""
    conditions: tuple[Any, ...] = (
        ChangeEvent.material.is_(True),
        ChangeEvent.kind != "version",
    )
    if since is not None:
        conditions += (ChangeEvent.occurred_at >= since,)
    return conditions


def documented_filter(
    *, platform_id: str | None = None, since: datetime | None = None
) -> ChangeFilter:
    """Build the changes filter that selects the documented changes a figure counts."""
    return ChangeFilter(
        platform_id=platform_id,
        material_only=True,
        provisions_only=True,
        since=since,
    )


def window_start(days: int = WINDOW_DAYS, *, now: datetime | None = None) -> datetime:
    """Return midnight UTC of the day ``days`` days before the day of ``now``."""
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    return datetime.combine(today - timedelta(days=days), time(), tzinfo=UTC)


@dataclass(frozen=True)
class RecentActivity:
    """Documented changes of one platform captured since ``since``."""

    platform_id: str
    days: int
    since: datetime = field(
        metadata=described(
            "Start of the window: midnight UTC of the day `days` days before the "
            "request. The changes list with documented=true and this day as since "
            "lists the same changes."
        )
    )
    changes: int


def recent_activity(
    session: Session,
    platform_id: str,
    *,
    days: int = WINDOW_DAYS,
    now: datetime | None = None,
) -> RecentActivity:
    """Count a platform's documented changes in the last ``days`` days."""
    since = window_start(days, now=now)
    count = session.scalar(
        select(func.count()).where(
            ChangeEvent.platform_id == platform_id, *documented_conditions(since)
        )
    )
    return RecentActivity(platform_id, days, since, count or 0)


@dataclass(frozen=True)
class DocumentedTotals:
    """Documented changes and every change event stored, across all platforms."""

    documented_changes: int
    change_events: int
    new_versions: int


def documented_totals(session: Session) -> DocumentedTotals:
    """Count every documented change, and the change events of all kinds, ever."""
    documented = session.scalar(select(func.count()).where(*documented_conditions()))
    events, versions = session.execute(
        select(
            func.count(), func.count().filter(ChangeEvent.kind == "version")
        ).select_from(ChangeEvent)
    ).one()
    return DocumentedTotals(documented or 0, events or 0, versions or 0)
