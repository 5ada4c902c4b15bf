"""Classified current provisions grouped by severity: a platform's and a document's.

A provision with several clause types counts once, under the highest severity among
them, so the counts add up to the number of classified current provisions. A clause
type whose practice the provision denies ("we do not sell") is listed apart, in
``denied_clause_type_ids``; its severity is Low.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clausewatch.analysis.stance import DENIES
from clausewatch.db.models import CurrentClause, Document, Provision, ProvisionText

SEVERITY_RANK = {"Low": 0, "Medium": 1, "High": 2, "Critical": 3}
EXCERPT_CHARS = 240


@dataclass(frozen=True)
class RiskItem:
    """One classified current provision, under the highest severity of its types."""

    record_id: str
    document_record_id: str
    terms_type: str
    clause_type_ids: tuple[str, ...]
    severity: str
    excerpt: str
    denied_clause_type_ids: tuple[str, ...] = ()


@dataclass
class _Grouped:
    document_record_id: str
    terms_type: str
    severity: str
    text: str
    position: int
    # Clause type id -> severity, for affirmed and denied practices.
    types: dict[str, str] = field(default_factory=dict)
    denied: dict[str, str] = field(default_factory=dict)

    def item(self, record_id: str) -> RiskItem:
        return RiskItem(
            record_id=record_id,
            document_record_id=self.document_record_id,
            terms_type=self.terms_type,
            clause_type_ids=_by_severity(self.types),
            severity=self.severity,
            excerpt=excerpt(self.text),
            denied_clause_type_ids=_by_severity(self.denied),
        )


@dataclass(frozen=True)
class RiskSummary:
    """Counts of a platform's current provisions by severity, highest first."""

    platform_id: str
    by_severity: dict[str, int]
    provisions: tuple[RiskItem, ...]

    @property
    def classified(self) -> int:
        """Number of current provisions with at least one clause type."""
        return sum(self.by_severity.values())


def platform_risk_summary(
    session: Session, platform_id: str, *, limit: int = 200
) -> RiskSummary:
    """Group a platform's current provisions by their highest severity.

    ``provisions`` lists at most ``limit`` of them, most severe first; the counts
    always cover all of them.
    """
    items = classified_provisions(session, CurrentClause.platform_id == platform_id)
    by_severity = {level: 0 for level in reversed(SEVERITY_RANK)}
    for item in items:
        by_severity[item.severity] = by_severity.get(item.severity, 0) + 1
    return RiskSummary(platform_id, by_severity, tuple(items[:limit]))


def classified_provisions(session: Session, *conditions: Any) -> list[RiskItem]:
    """List the classified current provisions that match conditions on CurrentClause.

    Each provision comes once, under the highest severity of its clause types, most
    severe first and then in document order.
    """
    rows = session.execute(
        select(
            Provision.record_id,
            Document.record_id,
            Document.terms_type,
            CurrentClause.clause_type_id,
            CurrentClause.severity,
            ProvisionText.text,
            ProvisionText.position,
            CurrentClause.stance,
        )
        .join(Provision, Provision.id == CurrentClause.provision_id)
        .join(Document, Document.id == CurrentClause.document_id)
        .join(ProvisionText, ProvisionText.id == CurrentClause.provision_text_id)
        .where(*conditions)
    ).all()
    grouped: dict[str, _Grouped] = {}
    for row in rows:
        record_id, document_id, terms_type, type_id, severity, text, position = row[:7]
        entry = grouped.get(record_id)
        if entry is None:
            entry = _Grouped(document_id, terms_type, severity, text, position)
            grouped[record_id] = entry
        (entry.denied if row.stance == DENIES else entry.types)[type_id] = severity
        if _rank(severity) > _rank(entry.severity):
            entry.severity = severity

    ordered = sorted(
        grouped.items(),
        key=lambda pair: (
            -_rank(pair[1].severity),
            pair[1].terms_type,
            pair[1].position,
        ),
    )
    return [entry.item(record_id) for record_id, entry in ordered]


def _rank(severity: str) -> int:
    return SEVERITY_RANK.get(severity, -1)


def _by_severity(types: dict[str, str]) -> tuple[str, ...]:
    """Clause type ids, highest severity first, then by id."""
    return tuple(sorted(types, key=lambda type_id: (-_rank(types[type_id]), type_id)))


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """Flatten whitespace and cut text at a word boundary to fit in limit characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rsplit(" ", 1)[0] + "…"
