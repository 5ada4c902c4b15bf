"""Documented changes of a platform in a recent window (30 days by default).

A documented change is a material change event of one provision (added, removed,
modified, moved or reclassified), dated by the capture of the version that shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clausewatch.db.models import ChangeEvent

WINDOW_DAYS = 30


@dataclass(frozen=True)
class RecentActivity:
    platform_id: str
    days: int
    since: datetime
    changes: int


def recent_activity(
    session: Session,
    platform_id: str,
    *,
    days: int = WINDOW_DAYS,
    now: datetime | None = None,
) -> RecentActivity:
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    count = session.scalar(
        select(func.count()).where(
            ChangeEvent.platform_id == platform_id,
            ChangeEvent.material.is_(True),
            ChangeEvent.kind != "version",
            ChangeEvent.occurred_at >= since,
        )
    )
    return RecentActivity(platform_id, days, since, count or 0)
