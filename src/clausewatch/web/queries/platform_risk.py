"""Classified current provisions of a platform, for its risk summary and report."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from clausewatch.db.models import CurrentClause, Document, Provision, ProvisionText
from clausewatch.figures.provision_page import excerpt
from clausewatch.taxonomy import Taxonomy

SEVERITY_LEVELS = ("Critical", "High", "Medium", "Low")


@dataclass(frozen=True)
class RiskItem:
    """One current provision of a platform with one clause type and its severity."""

    record_id: str
    document_record_id: str
    terms_type: str
    clause_type_id: str
    clause_type_name: str
    severity: str
    excerpt: str


@dataclass(frozen=True)
class RiskSummary:
    """A platform's classified current provisions, most severe first, with counts."""

    items: tuple[RiskItem, ...]
    counts: dict[str, int]


def platform_risks(
    session: Session, platform_id: str, taxonomy: Taxonomy
) -> RiskSummary:
    """Read every classified current provision of a platform, most severe first."""
    rows = session.execute(
        select(
            Provision.record_id,
            Document.record_id,
            Document.terms_type,
            CurrentClause.clause_type_id,
            CurrentClause.severity,
            ProvisionText.text,
        )
        .join(Provision, Provision.id == CurrentClause.provision_id)
        .join(Document, Document.id == CurrentClause.document_id)
        .join(ProvisionText, ProvisionText.id == CurrentClause.provision_text_id)
        .where(CurrentClause.platform_id == platform_id)
    ).all()
    items = [
        RiskItem(
            record_id=record_id,
            document_record_id=document_id,
            terms_type=terms_type,
            clause_type_id=clause_type_id,
            clause_type_name=_name(taxonomy, clause_type_id),
            severity=severity,
            excerpt=excerpt(text),
        )
        for record_id, document_id, terms_type, clause_type_id, severity, text in rows
    ]
    rank = {level: index for index, level in enumerate(SEVERITY_LEVELS)}
    items.sort(key=lambda item: (rank.get(item.severity, 9), item.clause_type_name))
    counts = {level: 0 for level in SEVERITY_LEVELS}
    for item in items:
        counts[item.severity] = counts.get(item.severity, 0) + 1
    return RiskSummary(items=tuple(items), counts=counts)


def _name(taxonomy: Taxonomy, clause_type_id: str) -> str:
    found = taxonomy.clause_types.get(clause_type_id)
    return found.name if found else clause_type_id
