"""A platform's risk summary: its current provisions grouped by severity.

A provision with several clause types counts once, under the highest severity among
them, so the counts add up to the number of classified current provisions. A clause
type whose practice the provision denies ("we do not sell") is listed apart, in
``denied_clause_type_ids``; its severity is Low.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from clausewatch.db.models import CurrentClause, Document, Provision, ProvisionText

SEVERITY_RANK = {"Low": 0, "Medium": 1, "High": 2, "Critical": 3}
EXCERPT_CHARS = 240


@dataclass(frozen=True)
class RiskItem:
    """One classified current provision of a platform."""

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
    types: list[str]
    denied: list[str]
    severity: str
    text: str
    position: int


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
        .where(CurrentClause.platform_id == platform_id)
    ).all()
    grouped: dict[str, _Grouped] = {}
    for row in rows:
        record_id, document_id, terms_type, type_id, severity, text, position = row[:7]
        entry = grouped.get(record_id)
        if entry is None:
            entry = _Grouped(document_id, terms_type, [], [], severity, text, position)
            grouped[record_id] = entry
        (entry.denied if row.stance == "denies" else entry.types).append(type_id)
        if SEVERITY_RANK.get(severity, -1) > SEVERITY_RANK.get(entry.severity, -1):
            entry.severity = severity

    ordered = sorted(
        grouped.items(),
        key=lambda pair: (
            -SEVERITY_RANK.get(pair[1].severity, -1),
            pair[1].terms_type,
            pair[1].position,
        ),
    )
    by_severity = {level: 0 for level in reversed(SEVERITY_RANK)}
    for _, entry in ordered:
        by_severity[entry.severity] = by_severity.get(entry.severity, 0) + 1
    items = tuple(
        RiskItem(
            record_id=record_id,
            document_record_id=entry.document_record_id,
            terms_type=entry.terms_type,
            clause_type_ids=tuple(sorted(entry.types)),
            severity=entry.severity,
            excerpt=excerpt(entry.text),
            denied_clause_type_ids=tuple(sorted(entry.denied)),
        )
        for record_id, entry in ordered[:limit]
    )
    return RiskSummary(platform_id, by_severity, items)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """Flatten whitespace and cut text at a word boundary to fit in limit characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rsplit(" ", 1)[0] + "…"
