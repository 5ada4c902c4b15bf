"""Where a clause type occurs: current provisions and its prevalence over time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clausewatch.db.models import (
    Analysis,
    CurrentClause,
    Document,
    Platform,
    Provision,
    ProvisionText,
    Version,
)
from clausewatch.figures.prevalence import rarity_label
from clausewatch.figures.provision_page import excerpt


@dataclass(frozen=True)
class TypedProvision:
    """A current provision of one clause type."""

    record_id: str
    platform_id: str
    platform_name: str
    terms_type: str
    severity: str
    excerpt: str


@dataclass(frozen=True)
class PrevalencePoint:
    """N of M platforms with the clause type in the versions current at one date."""

    at: datetime
    platforms_with: int
    platforms_total: int
    rarity: str


def provisions_of_type(session: Session, clause_type_id: str) -> list[TypedProvision]:
    """Every current provision of a clause type, by platform name."""
    rows = session.execute(
        select(
            Provision.record_id,
            Platform.id,
            Platform.name,
            Document.terms_type,
            CurrentClause.severity,
            ProvisionText.text,
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
            record_id=record_id,
            platform_id=platform_id,
            platform_name=platform_name,
            terms_type=terms_type,
            severity=severity,
            excerpt=excerpt(text),
        )
        for record_id, platform_id, platform_name, terms_type, severity, text in rows
    ]


def prevalence_history(
    session: Session, clause_type_id: str, *, now: datetime | None = None
) -> list[PrevalencePoint]:
    """N of M platforms at the end of each year since the first version, and now.

    At a date, a document's current version is its latest version captured by then; a
    platform counts in M once one of its documents has a version, and in N when one
    of those current versions has a provision text of the clause type.
    """
    # NOTE: this figure is computed here until clausewatch.figures offers it, with the
    # same N and M definitions as figures.prevalence.
    versions = session.execute(
        select(
            Version.id, Version.document_id, Version.captured_at, Document.platform_id
        )
        .join(Document, Document.id == Version.document_id)
        .order_by(Version.captured_at)
    ).all()
    if not versions:
        return []
    typed = set(
        session.scalars(
            select(ProvisionText.version_id)
            .join(Analysis, Analysis.provision_text_id == ProvisionText.id)
            .where(Analysis.clause_type_id == clause_type_id)
            .distinct()
        )
    )
    end = now or datetime.now(UTC)
    dates = [
        datetime(year, 12, 31, 23, 59, 59, tzinfo=UTC)
        for year in range(versions[0].captured_at.year, end.year)
    ]
    dates.append(end)
    return [_point(at, versions, typed) for at in dates]


def _point(
    at: datetime, versions: list[tuple[int, int, datetime, str]], typed: set[int]
) -> PrevalencePoint:
    current: dict[int, tuple[int, str]] = {}
    for version_id, document_id, captured_at, platform_id in versions:
        if captured_at > at:
            break
        current[document_id] = (version_id, platform_id)
    platforms = {platform_id for _, platform_id in current.values()}
    with_type = {
        platform_id
        for version_id, platform_id in current.values()
        if version_id in typed
    }
    return PrevalencePoint(
        at=at,
        platforms_with=len(with_type),
        platforms_total=len(platforms),
        rarity=rarity_label(len(with_type), len(platforms)),
    )
