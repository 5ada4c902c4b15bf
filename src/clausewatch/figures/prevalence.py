"""Prevalence of a clause type across tracked platforms.

N is the number of platforms with at least one current provision of the clause type
that affirms its practice; M is the number of platforms with at least one stored
version. Both leave out stale documents (no capture within two years of the latest
capture in the store, see ``staleness.py``), whose text may have changed since; a
platform whose every document is stale is left out of M. A provision that denies the
practice ("we do not sell your personal information", see
``clausewatch.analysis.stance``) does not count towards N. Platforms
whose current provisions of the type all deny it are counted apart, as D: "D platforms
state they do not". The figure K of other provisions counts affirming provisions too.
The rarity label is a function of the share N/M:

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
document that was current then (its latest version captured before the month ended),
and ends with the time of the request.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clausewatch.analysis.stance import DENIES
from clausewatch.db.models import CurrentClause
from clausewatch.figures.freshness import cached_figure
from clausewatch.figures.staleness import STALE_AFTER_DAYS, staleness

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
    #: D: platforms whose current provisions of the type only deny the practice.
    platforms_denying: int = 0
    #: Tracked platforms left out of M because every one of their documents is stale.
    platforms_left_out: int = 0

    @property
    def phrase(self) -> str:
        """The figure as shown on pages: "N of M platforms"."""
        return f"{self.platforms_with} of {self.platforms_total} platforms"

    @property
    def denial_phrase(self) -> str | None:
        """ "D platforms state they do not", or None when no platform denies it."""
        if not self.platforms_denying:
            return None
        subject = (
            "platform states" if self.platforms_denying == 1 else "platforms state"
        )
        return f"{self.platforms_denying} {subject} they do not"

    @property
    def left_out_phrase(self) -> str | None:
        """Why M is smaller than the number of tracked platforms, or None."""
        if not self.platforms_left_out:
            return None
        subject = "platform" if self.platforms_left_out == 1 else "platforms"
        return (
            f"{self.platforms_left_out} tracked {subject} with no capture within "
            f"{STALE_AFTER_DAYS // 365} years of the latest capture left out"
        )


@dataclass(frozen=True)
class _TypeCounts:
    """Current provisions of one clause type: in all, and per platform.

    ``provisions`` and ``by_platform`` count provisions that affirm the practice;
    ``denials_by_platform`` counts those that deny it, for platforms with no
    affirming one.
    """

    provisions: int
    by_platform: dict[str, int]
    denials_by_platform: dict[str, int]


@dataclass(frozen=True)
class _CountTable:
    platforms_total: int
    platforms_left_out: int
    types: dict[str, _TypeCounts]


def _count_table(session: Session) -> _CountTable:
    """Count current provisions per clause type and platform, cached per store state.

    One grouped scan of the (clause type, platform) index serves every prevalence and
    K figure until the store changes, so a page costs dictionary lookups, not scans.
    A successful capture can end a document's staleness without a new version, so the
    table is cached until the next capture.
    """

    def compute() -> _CountTable:
        documents = staleness(session)
        stale = documents.stale_documents
        rows = session.execute(
            select(
                CurrentClause.clause_type_id,
                CurrentClause.platform_id,
                CurrentClause.stance,
                CurrentClause.document_id,
                func.count(),
            ).group_by(
                CurrentClause.clause_type_id,
                CurrentClause.platform_id,
                CurrentClause.stance,
                CurrentClause.document_id,
            )
        )
        affirming: dict[str, dict[str, int]] = {}
        denying: dict[str, dict[str, int]] = {}
        for clause_type_id, platform_id, stance, document_id, count in rows:
            if document_id in stale:
                continue
            target = denying if stance == DENIES else affirming
            by_platform = target.setdefault(clause_type_id, {})
            by_platform[platform_id] = by_platform.get(platform_id, 0) + count
        types = {
            clause_type_id: _TypeCounts(
                sum(affirming.get(clause_type_id, {}).values()),
                affirming.get(clause_type_id, {}),
                {
                    platform_id: count
                    for platform_id, count in denying.get(clause_type_id, {}).items()
                    if platform_id not in affirming.get(clause_type_id, {})
                },
            )
            for clause_type_id in affirming.keys() | denying.keys()
        }
        return _CountTable(
            len(documents.current_platforms), len(documents.stale_platforms), types
        )

    return cached_figure(session, "prevalence-counts", compute, captures=True)


def tracked_platform_count(session: Session) -> int:
    """Count the platforms with at least one stored version, stale or not."""
    table = _count_table(session)
    return table.platforms_total + table.platforms_left_out


def counted_platform_count(session: Session) -> int:
    """M: platforms with at least one stored version of a document that is not stale."""
    return _count_table(session).platforms_total


def prevalence(
    session: Session, clause_type_id: str, *, platforms_total: int | None = None
) -> Prevalence:
    """N of M platforms with a current provision of this clause type."""
    table = _count_table(session)
    total = table.platforms_total if platforms_total is None else platforms_total
    counts = table.types.get(clause_type_id)
    with_type = len(counts.by_platform) if counts else 0
    denying = len(counts.denials_by_platform) if counts else 0
    return Prevalence(
        clause_type_id,
        with_type,
        total,
        rarity_label(with_type, total),
        denying,
        table.platforms_left_out,
    )


def prevalence_of_all(session: Session) -> list[Prevalence]:
    """Prevalence of every clause type found at least once, most common first.

    A clause type found only in denials is listed with N = 0.
    """
    table = _count_table(session)
    total = table.platforms_total
    found = [
        Prevalence(
            clause_type_id,
            len(counts.by_platform),
            total,
            rarity_label(len(counts.by_platform), total),
            len(counts.denials_by_platform),
            table.platforms_left_out,
        )
        for clause_type_id, counts in table.types.items()
    ]
    return sorted(found, key=lambda item: (-item.platforms_with, item.clause_type_id))


def other_platform_provisions(
    session: Session, clause_type_id: str, *, excluding_platform: str
) -> int:
    """K: current provisions of this clause type on platforms other than this one."""
    counts = _count_table(session).types.get(clause_type_id)
    if counts is None:
        return 0
    return counts.provisions - counts.by_platform.get(excluding_platform, 0)


def platforms_with_type(session: Session, clause_type_id: str) -> list[tuple[str, int]]:
    """Return every platform with a current provision affirming this type, and count."""
    counts = _count_table(session).types.get(clause_type_id)
    if counts is None:
        return []
    return sorted(counts.by_platform.items(), key=lambda item: (-item[1], item[0]))


def platforms_denying_type(
    session: Session, clause_type_id: str
) -> list[tuple[str, int]]:
    """Return the platforms whose current provisions of this type only deny it."""
    counts = _count_table(session).types.get(clause_type_id)
    if counts is None:
        return []
    return sorted(
        counts.denials_by_platform.items(), key=lambda item: (-item[1], item[0])
    )
