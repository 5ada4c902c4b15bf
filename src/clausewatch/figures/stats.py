"""Figures for ``clausewatch stats``: what the store contains and what changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from clausewatch.db.models import ChangeEvent, CurrentClause, Document, Provision
from clausewatch.figures.activity import (
    WINDOW_DAYS,
    documented_conditions,
    window_start,
)
from clausewatch.figures.prevalence import (
    Prevalence,
    counted_platform_count,
    prevalence_of_all,
    tracked_platform_count,
)

TOP_CLAUSE_TYPES = 10


@dataclass(frozen=True)
class StatsFigures:
    """Store-wide figures; the change counts cover the last ``days`` days."""

    tracked_platforms: int
    #: M of the prevalence figures: tracked platforms with a document that is not
    #: stale (captured within two years of the latest capture in the store).
    counted_platforms: int
    current_provisions: int
    classified_provisions: int
    failing_documents: int
    days: int
    since: datetime
    documented_changes: int
    new_versions: int
    platforms_changed: int
    most_prevalent: tuple[Prevalence, ...]


def stats_figures(
    session: Session,
    *,
    days: int = WINDOW_DAYS,
    now: datetime | None = None,
    top: int = TOP_CLAUSE_TYPES,
) -> StatsFigures:
    """Compute the store-wide figures that ``clausewatch stats`` prints.

    A documented change is counted as in ``recent_activity``: a material change event
    of one provision, in the same window. ``platforms_changed`` counts platforms with
    at least one.
    """
    since = window_start(days, now=now)
    changes, platforms_changed = session.execute(
        select(func.count(), func.count(distinct(ChangeEvent.platform_id))).where(
            *documented_conditions(since)
        )
    ).one()
    new_versions = session.scalar(
        select(func.count()).where(
            ChangeEvent.kind == "version", ChangeEvent.occurred_at >= since
        )
    )
    return StatsFigures(
        tracked_platforms=tracked_platform_count(session),
        counted_platforms=counted_platform_count(session),
        current_provisions=session.scalar(
            select(func.count()).where(Provision.is_current.is_(True))
        )
        or 0,
        classified_provisions=session.scalar(
            select(func.count(distinct(CurrentClause.provision_id)))
        )
        or 0,
        failing_documents=session.scalar(
            select(func.count()).where(Document.last_error.is_not(None))
        )
        or 0,
        days=days,
        since=since,
        documented_changes=changes or 0,
        new_versions=new_versions or 0,
        platforms_changed=platforms_changed or 0,
        most_prevalent=tuple(prevalence_of_all(session)[:top]),
    )
