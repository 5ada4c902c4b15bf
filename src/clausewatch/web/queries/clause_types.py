"""Every current provision of a clause type, for the clause type page and API."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from clausewatch.db.models import (
    CurrentClause,
    Document,
    Platform,
    Provision,
    ProvisionText,
)
from clausewatch.figures.numbering import described
from clausewatch.figures.risk import excerpt
from clausewatch.figures.staleness import staleness


@dataclass(frozen=True)
class TypedProvision:
    """A current provision of one clause type."""

    record_id: str
    platform_id: str
    platform_name: str
    terms_type: str
    severity: str
    excerpt: str
    stance: str = "affirms"
    stale: bool = field(
        default=False,
        metadata=described(
            "True when its document has no capture within two years of the latest "
            "capture in the store; prevalence then leaves the provision out."
        ),
    )


def provisions_of_type(session: Session, clause_type_id: str) -> list[TypedProvision]:
    """List every current provision of a clause type, by platform name."""
    documents = staleness(session)
    rows = session.execute(
        select(
            Provision.record_id,
            Platform.id,
            Platform.name,
            Document.terms_type,
            CurrentClause.severity,
            ProvisionText.text,
            CurrentClause.stance,
            CurrentClause.document_id,
        )
        .join(Provision, Provision.id == CurrentClause.provision_id)
        .join(Document, Document.id == CurrentClause.document_id)
        .join(Platform, Platform.id == CurrentClause.platform_id)
        .join(ProvisionText, ProvisionText.id == CurrentClause.provision_text_id)
        .where(CurrentClause.clause_type_id == clause_type_id)
        .order_by(Platform.name, Document.terms_type, ProvisionText.position)
    ).all()
    return [
        TypedProvision(
            record_id=row.record_id,
            platform_id=row.id,
            platform_name=row.name,
            terms_type=row.terms_type,
            severity=row.severity,
            excerpt=excerpt(row.text),
            stance=row.stance,
            stale=documents.is_stale(row.document_id),
        )
        for row in rows
    ]
