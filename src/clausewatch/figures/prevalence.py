"""How common a clause type is across tracked platforms.

N is the number of platforms with at least one current provision of the clause type;
M is the number of platforms with at least one stored version. The rarity label is a
function of the share N/M:

=============  ==================
share N/M      label
=============  ==================
below 10 %     Rare
10 % to 35 %   Uncommon
35 % to 70 %   Common
70 % or more   Widespread
=============  ==================

With M = 0 or N = 0 the label is "Not found".

Prevalence over time applies the same rule at each month end, to the version of each
document that was current then (its latest version captured before the month ended).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, exists, func, select
from sqlalchemy.orm import Session

from clausewatch.db.models import CurrentClause, Document, Version

RARITY_CUTOFFS: tuple[tuple[float, str], ...] = (
    (0.10, "Rare"),
    (0.35, "Uncommon"),
    (0.70, "Common"),
)


def rarity_label(platforms_with: int, platforms_total: int) -> str:
    """Return Rare, Uncommon, Common or Widespread for N of M platforms."""
    if platforms_total <= 0 or platforms_with <= 0:
        return "Not found"
    share = platforms_with / platforms_total
    for upper_bound, label in RARITY_CUTOFFS:
        if share < upper_bound:
            return label
    return "Widespread"


@dataclass(frozen=True)
class Prevalence:
    """N of M platforms have a current provision of one clause type."""

    clause_type_id: str
    platforms_with: int
    platforms_total: int
    rarity: str

    @property
    def phrase(self) -> str:
        """The figure as shown on pages: "N of M platforms"."""
        return f"{self.platforms_with} of {self.platforms_total} platforms"


def tracked_platform_count(session: Session) -> int:
    """M: platforms with at least one stored version."""
    # EXISTS probes the (document_id, captured_at) index once per document, where
    # IN over every version would read the whole versions table.
    has_version = exists().where(Version.document_id == Document.id)
    return (
        session.scalar(
            select(func.count(distinct(Document.platform_id))).where(has_version)
        )
        or 0
    )


def prevalence(
    session: Session, clause_type_id: str, *, platforms_total: int | None = None
) -> Prevalence:
    """N of M platforms with a current provision of this clause type."""
    total = (
        tracked_platform_count(session) if platforms_total is None else platforms_total
    )
    with_type = (
        session.scalar(
            select(func.count(distinct(CurrentClause.platform_id))).where(
                CurrentClause.clause_type_id == clause_type_id
            )
        )
        or 0
    )
    return Prevalence(clause_type_id, with_type, total, rarity_label(with_type, total))


def prevalence_of_all(session: Session) -> list[Prevalence]:
    """Prevalence of every clause type found at least once, most common first."""
    total = tracked_platform_count(session)
    rows = session.execute(
        select(
            CurrentClause.clause_type_id,
            func.count(distinct(CurrentClause.platform_id)),
        ).group_by(CurrentClause.clause_type_id)
    ).all()
    found = [
        Prevalence(clause_type, count, total, rarity_label(count, total))
        for clause_type, count in rows
    ]
    return sorted(found, key=lambda item: (-item.platforms_with, item.clause_type_id))


def other_platform_provisions(
    session: Session, clause_type_id: str, *, excluding_platform: str
) -> int:
    """K: current provisions of this clause type on platforms other than this one."""
    return (
        session.scalar(
            select(func.count()).where(
                CurrentClause.clause_type_id == clause_type_id,
                CurrentClause.platform_id != excluding_platform,
            )
        )
        or 0
    )


def platforms_with_type(session: Session, clause_type_id: str) -> list[tuple[str, int]]:
    """Every platform with a current provision of this type, with how many it has."""
    rows = session.execute(
        select(CurrentClause.platform_id, func.count())
        .where(CurrentClause.clause_type_id == clause_type_id)
        .group_by(CurrentClause.platform_id)
        .order_by(func.count().desc(), CurrentClause.platform_id)
    ).all()
    return [(platform_id, count) for platform_id, count in rows]
