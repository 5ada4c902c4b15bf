"""The full record of one provision, assembled for its permanent page, API and exports.

``provision_record`` reads the stored provision itself (text, versions, snapshots,
analyses). ``provision_page`` adds the figures that other modules of this package
compute and the taxonomy's explanations, so the page, the JSON API, the PDF and the
citation all show one set of values.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clausewatch.analysis import (
    Contact,
    Explanation,
    ResolvedAction,
    explain,
    extract_contacts,
    resolve_actions,
)
from clausewatch.analysis.stance import AFFIRMS, DENIES
from clausewatch.db.models import (
    Analysis,
    ClassificationRun,
    CurrentClause,
    Document,
    Platform,
    Provision,
    ProvisionText,
    Snapshot,
    Version,
    VersionSnapshot,
)
from clausewatch.db.models import Contact as StoredContact
from clausewatch.db.record_ids import parse_record_id
from clausewatch.errors import NotFoundError
from clausewatch.figures.activity import RecentActivity, recent_activity
from clausewatch.figures.dates import DocumentDates, document_dates
from clausewatch.figures.numbering import (
    LATEST_NUMBER_HELP,
    VERSION_NUMBER_HELP,
    described,
    provision_number,
)
from clausewatch.figures.prevalence import (
    Prevalence,
    counted_platform_count,
    other_platform_provisions,
    platforms_denying_type,
    platforms_with_type,
    prevalence,
)
from clausewatch.figures.risk import classified_provisions
from clausewatch.figures.similar import SimilarProvision, similar_provisions
from clausewatch.figures.stability import Stability, provision_stability
from clausewatch.taxonomy import (
    Agency,
    Article,
    ClauseType,
    Regulation,
    Taxonomy,
    default_taxonomy,
)

SEVERITY_RANK = {"Low": 0, "Medium": 1, "High": 2, "Critical": 3}
MAX_OTHER_RISKS = 30
MAX_SIMILAR = 3


@dataclass(frozen=True)
class VersionRef:
    """A document version named by its number and capture time."""

    number: int = field(metadata=described(VERSION_NUMBER_HELP))
    captured_at: datetime


@dataclass(frozen=True)
class SnapshotEvidence:
    """One stored capture behind the version a provision text comes from."""

    sha256: str
    url: str
    final_url: str
    status: int
    content_type: str
    size: int
    fetched_at: datetime
    origin: str


@dataclass(frozen=True)
class ClauseLabel:
    """One clause type assigned to the provision text, with its severity."""

    clause_type_id: str
    confidence: float
    source: str
    severity: str
    severity_reason: str
    model_version: str
    analyzed_at: datetime
    #: "affirms" or "denies" the practice (``clausewatch.analysis.stance``).
    stance: str = "affirms"

    @classmethod
    def from_row(cls, row: Any) -> ClauseLabel:
        """Build the label from a query row that selects the fields by name."""
        return cls(
            clause_type_id=row.clause_type_id,
            confidence=row.confidence,
            source=row.source,
            severity=row.severity,
            severity_reason=row.severity_reason,
            model_version=row.model_version,
            analyzed_at=row.analyzed_at,
            stance=row.stance,
        )


@dataclass(frozen=True)
class ClassificationInfo:
    """Classification run of the provision text: language, abstention, model version."""

    language: str
    abstained: bool
    model_version: str
    analyzed_at: datetime


@dataclass(frozen=True)
class ProvisionRecord:
    """A provision as stored: its latest text, where it sits and what backs it."""

    record_id: str
    document_record_id: str
    platform_id: str
    platform_name: str
    terms_type: str
    source_urls: tuple[str, ...]
    number: int = field(metadata=described(LATEST_NUMBER_HELP))
    heading_path: tuple[str, ...]
    kind: str
    text: str
    text_sha256: str
    is_current: bool
    first_version: VersionRef
    last_version: VersionRef
    version_numbers: tuple[int, ...] = field(
        metadata=described(
            "Every version that holds the provision, in order; a gap means it was "
            "removed and later restored."
        )
    )
    snapshots: tuple[SnapshotEvidence, ...]
    labels: tuple[ClauseLabel, ...]
    classification: ClassificationInfo | None

    @property
    def primary_label(self) -> ClauseLabel | None:
        """The label the page leads with: highest severity, then highest confidence."""
        if not self.labels:
            return None
        return self.labels[0]


def provision_record(session: Session, record_id: str) -> ProvisionRecord:
    """Read one provision by record ID, with the text of the latest version holding it.

    Raises NotFoundError when no provision has this record ID.
    """
    return _record_of(session, _find_provision(session, record_id))


def _record_of(session: Session, provision: Provision) -> ProvisionRecord:
    document = session.get(Document, provision.document_id)
    assert document is not None
    platform = session.get(Platform, document.platform_id)
    assert platform is not None
    first = session.get(Version, provision.first_version_id)
    last = session.get(Version, provision.last_version_id)
    assert first is not None and last is not None
    text = session.execute(
        select(ProvisionText).where(
            ProvisionText.provision_id == provision.id,
            ProvisionText.version_id == last.id,
        )
    ).scalar_one()
    declaration = document.declaration or {}

    return ProvisionRecord(
        record_id=provision.record_id,
        document_record_id=document.record_id,
        platform_id=platform.id,
        platform_name=platform.name,
        terms_type=document.terms_type,
        source_urls=tuple(page["url"] for page in declaration.get("pages", [])),
        number=provision_number(text.position),
        heading_path=tuple(text.heading_path),
        kind=text.kind,
        text=text.text,
        text_sha256=text.text_sha256,
        is_current=provision.is_current,
        first_version=VersionRef(first.number, first.captured_at),
        last_version=VersionRef(last.number, last.captured_at),
        version_numbers=tuple(
            session.scalars(
                select(Version.number)
                .join(ProvisionText, ProvisionText.version_id == Version.id)
                .where(ProvisionText.provision_id == provision.id)
                .order_by(Version.number)
            )
        ),
        snapshots=_snapshots_of(session, last.id),
        labels=_labels_of(session, text.id),
        classification=_classification_of(session, text.id),
    )


def _find_provision(session: Session, record_id: str) -> Provision:
    wanted = record_id.strip().upper()
    provision = session.execute(
        select(Provision).where(Provision.record_id == wanted)
    ).scalar_one_or_none()
    if provision is not None:
        return provision
    if parse_record_id(wanted) is None:
        hint = (
            "it is not a well-formed record ID (like P-0001Z0): check it for a "
            "mistyped or swapped character"
        )
    else:
        hint = "no stored provision has it; search the provisions to find the clause"
    raise NotFoundError(f"provision {record_id!r} not found: {hint}")


def _snapshots_of(session: Session, version_id: int) -> tuple[SnapshotEvidence, ...]:
    rows = session.scalars(
        select(Snapshot)
        .join(VersionSnapshot, VersionSnapshot.snapshot_id == Snapshot.id)
        .where(VersionSnapshot.version_id == version_id)
        .order_by(Snapshot.fetched_at, Snapshot.id)
    ).all()
    return tuple(
        SnapshotEvidence(
            sha256=row.sha256,
            url=row.url,
            final_url=row.final_url,
            status=row.status,
            content_type=row.content_type,
            size=row.size,
            fetched_at=row.fetched_at,
            origin=row.origin,
        )
        for row in rows
    )


def _labels_of(session: Session, text_id: int) -> tuple[ClauseLabel, ...]:
    rows = session.scalars(
        select(Analysis).where(Analysis.provision_text_id == text_id)
    ).all()
    labels = [ClauseLabel.from_row(row) for row in rows]
    labels.sort(
        key=lambda label: (-SEVERITY_RANK.get(label.severity, -1), -label.confidence)
    )
    return tuple(labels)


def _classification_of(session: Session, text_id: int) -> ClassificationInfo | None:
    run = session.get(ClassificationRun, text_id)
    if run is None:
        return None
    return ClassificationInfo(
        language=run.language,
        abstained=run.abstained,
        model_version=run.model_version,
        analyzed_at=run.analyzed_at,
    )


# -- the page: the record plus figures, explanations and references ------------------


@dataclass(frozen=True)
class ClauseTypeInfo:
    """The taxonomy entry a provision is classified as."""

    id: str
    name: str
    category: str
    default_severity: str
    severity_reason: str


@dataclass(frozen=True)
class RiskClauseType:
    """One clause type of another provision, and whether it affirms or denies it."""

    clause_type_id: str
    clause_type_name: str
    stance: str


@dataclass(frozen=True)
class OtherRisk:
    """Another classified current provision of the same document.

    Each provision comes once, under the highest severity of its clause types, as in
    the platform risk summary.
    """

    record_id: str
    severity: str
    clause_types: tuple[RiskClauseType, ...] = field(
        metadata=described(
            "The provision's clause types: those it affirms, highest severity first, "
            "then those it denies."
        )
    )
    excerpt: str


@dataclass(frozen=True)
class RelatedType:
    """A related clause type and how common it is."""

    clause_type: ClauseTypeInfo
    prevalence: Prevalence


@dataclass(frozen=True)
class PlatformCount:
    """A platform with current provisions of one clause type, and how many."""

    platform_id: str
    platform_name: str
    provisions: int


@dataclass(frozen=True)
class RegulationBearing:
    """A regulation of the clause type and the articles the taxonomy names for it.

    ``articles`` is empty where the taxonomy names none, because the regulation
    bears on the clause type as a whole.
    """

    regulation_id: str
    short_name: str
    jurisdiction: str
    url: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class ProvisionPage:
    """Everything the provision page shows, section by section.

    Fields are None or empty where the provision has no clause type, which happens
    when classification has not run or abstained.
    """

    record: ProvisionRecord
    clause_type: ClauseTypeInfo | None
    severity: str | None
    severity_reason: str | None
    stance: str | None
    prevalence: Prevalence | None
    activity: RecentActivity
    explanation: Explanation | None
    stability: Stability
    other_platform_provisions: int | None
    actions: tuple[ResolvedAction, ...]
    similar: tuple[SimilarProvision, ...]
    regulations: tuple[Regulation, ...]
    institutional: tuple[RegulationBearing, ...]
    agencies: tuple[Agency, ...]
    dates: DocumentDates
    other_risks: tuple[OtherRisk, ...] = field(
        metadata=described(
            f"The most severe other classified provisions of the document, at most "
            f"{MAX_OTHER_RISKS}, each once."
        )
    )
    other_risks_total: int = field(
        metadata=described(
            "Number of other classified current provisions of the document."
        )
    )
    related_types: tuple[RelatedType, ...]
    platforms_with_type: tuple[PlatformCount, ...]
    label_types: dict[str, ClauseTypeInfo]
    #: Platforms whose current provisions of the type only deny the practice.
    platforms_denying_type: tuple[PlatformCount, ...] = ()


def provision_page(
    session: Session,
    record_id: str,
    *,
    taxonomy: Taxonomy | None = None,
    now: datetime | None = None,
) -> ProvisionPage:
    """Assemble every section of the provision page from the figures functions.

    Raises NotFoundError when no provision has this record ID.
    """
    taxonomy = taxonomy or default_taxonomy()
    provision = _find_provision(session, record_id)
    record = _record_of(session, provision)
    document = session.get(Document, provision.document_id)
    assert document is not None
    label = record.primary_label
    clause_type = _clause_type(taxonomy, label.clause_type_id) if label else None
    other_risks = _other_risks(session, taxonomy, provision)
    platforms_total = counted_platform_count(session)
    explanation = (
        explain(
            clause_type,
            record.text,
            platform=record.platform_name,
            document=record.terms_type,
            stance="denies" if label and label.stance == "denies" else "affirms",
        )
        if clause_type
        else None
    )

    return ProvisionPage(
        record=record,
        clause_type=clause_type_info(clause_type) if clause_type else None,
        severity=label.severity if label else None,
        severity_reason=label.severity_reason if label else None,
        stance=label.stance if label else None,
        prevalence=(
            prevalence(session, label.clause_type_id, platforms_total=platforms_total)
            if label
            else None
        ),
        activity=recent_activity(session, record.platform_id, now=now),
        explanation=explanation,
        stability=provision_stability(session, provision),
        other_platform_provisions=(
            other_platform_provisions(
                session, label.clause_type_id, excluding_platform=record.platform_id
            )
            if label
            else None
        ),
        actions=_actions(session, clause_type, record, document),
        similar=_similar(session, record.record_id, label),
        regulations=taxonomy.regulations_for(clause_type) if clause_type else (),
        institutional=_bearings(taxonomy, clause_type) if clause_type else (),
        agencies=taxonomy.agencies_for(clause_type) if clause_type else (),
        dates=document_dates(session, document),
        other_risks=other_risks[:MAX_OTHER_RISKS],
        other_risks_total=len(other_risks),
        related_types=_related(session, taxonomy, clause_type, platforms_total),
        platforms_with_type=_platforms_with(session, label),
        platforms_denying_type=_platforms_with(session, label, denying=True),
        label_types={
            item.clause_type_id: clause_type_info(
                taxonomy.clause_types[item.clause_type_id]
            )
            for item in record.labels
            if item.clause_type_id in taxonomy.clause_types
        },
    )


def _clause_type(taxonomy: Taxonomy, clause_type_id: str) -> ClauseType | None:
    # An analysis stored by an older taxonomy may name a type that no longer exists.
    return taxonomy.clause_types.get(clause_type_id)


def clause_type_info(clause_type: ClauseType) -> ClauseTypeInfo:
    """Return the summary of a taxonomy entry that pages and the API show."""
    return ClauseTypeInfo(
        id=clause_type.id,
        name=clause_type.name,
        category=clause_type.category,
        default_severity=clause_type.severity.value,
        severity_reason=clause_type.severity_reason,
    )


def _actions(
    session: Session,
    clause_type: ClauseType | None,
    record: ProvisionRecord,
    document: Document,
) -> tuple[ResolvedAction, ...]:
    if clause_type is None:
        return ()
    contacts = platform_contacts(session, record.platform_id)
    label = record.primary_label
    denied = label is not None and label.stance == "denies"
    return tuple(
        resolve_actions(
            clause_type, contacts, platform=record.platform_name, denied=denied
        )
    )


def _other_risks(
    session: Session, taxonomy: Taxonomy, provision: Provision
) -> tuple[OtherRisk, ...]:
    items = classified_provisions(
        session,
        CurrentClause.document_id == provision.document_id,
        CurrentClause.provision_id != provision.id,
    )
    return tuple(
        OtherRisk(
            record_id=item.record_id,
            severity=item.severity,
            clause_types=tuple(
                RiskClauseType(type_id, _type_name(taxonomy, type_id), stance)
                for type_ids, stance in (
                    (item.clause_type_ids, AFFIRMS),
                    (item.denied_clause_type_ids, DENIES),
                )
                for type_id in type_ids
            ),
            excerpt=item.excerpt,
        )
        for item in items
    )


def _related(
    session: Session,
    taxonomy: Taxonomy,
    clause_type: ClauseType | None,
    total: int,
) -> tuple[RelatedType, ...]:
    if clause_type is None:
        return ()
    return tuple(
        RelatedType(
            clause_type=clause_type_info(related),
            prevalence=prevalence(session, related.id, platforms_total=total),
        )
        for related in taxonomy.related_to(clause_type)
    )


def _platforms_with(
    session: Session, label: ClauseLabel | None, *, denying: bool = False
) -> tuple[PlatformCount, ...]:
    if label is None:
        return ()
    count_platforms = platforms_denying_type if denying else platforms_with_type
    counts = count_platforms(session, label.clause_type_id)
    names = dict(
        session.execute(
            select(Platform.id, Platform.name).where(
                Platform.id.in_([platform_id for platform_id, _ in counts])
            )
        ).all()
    )
    return tuple(
        PlatformCount(platform_id, names.get(platform_id, platform_id), count)
        for platform_id, count in counts
    )


def _type_name(taxonomy: Taxonomy, clause_type_id: str) -> str:
    found = taxonomy.clause_types.get(clause_type_id)
    return found.name if found else clause_type_id


def _bearings(
    taxonomy: Taxonomy, clause_type: ClauseType
) -> tuple[RegulationBearing, ...]:
    """List each regulation of the clause type with the articles the taxonomy names."""
    return tuple(
        RegulationBearing(
            regulation_id=regulation.id,
            short_name=regulation.short_name,
            jurisdiction=regulation.jurisdiction,
            url=regulation.url,
            articles=taxonomy.articles_for(clause_type, regulation),
        )
        for regulation in taxonomy.regulations_for(clause_type)
    )


def _similar(
    session: Session, record_id: str, label: ClauseLabel | None
) -> tuple[SimilarProvision, ...]:
    if label is None:
        return ()
    return tuple(
        similar_provisions(
            session,
            record_id,
            limit=MAX_SIMILAR,
            clause_type_id=label.clause_type_id,
        )
    )


# Contacts change only when a platform gets a new version, so they are cached under the
# ids of the latest versions they were extracted from.
_CONTACT_CACHE: dict[tuple[int, ...], tuple[Contact, ...]] = {}
_CONTACT_CACHE_SIZE = 256
_CONTACT_LOCK = threading.Lock()


def platform_contacts(session: Session, platform_id: str) -> tuple[Contact, ...]:
    """Contact points (privacy e-mail, deletion page, ...) from a platform's documents.

    Stored contacts are used when tracking recorded them; otherwise they are extracted
    from the latest version of each of the platform's documents.
    """
    stored = session.scalars(
        select(StoredContact)
        .where(StoredContact.platform_id == platform_id)
        .order_by(StoredContact.rank, StoredContact.id)
    ).all()
    if stored:
        return tuple(Contact(row.kind, row.value, row.context) for row in stored)

    latest = (
        select(Version.document_id, func.max(Version.number).label("number"))
        .join(Document, Document.id == Version.document_id)
        .where(Document.platform_id == platform_id)
        .group_by(Version.document_id)
        .subquery()
    )
    version_ids = tuple(
        session.scalars(
            select(Version.id)
            .join(
                latest,
                (latest.c.document_id == Version.document_id)
                & (latest.c.number == Version.number),
            )
            .order_by(Version.id)
        ).all()
    )
    with _CONTACT_LOCK:
        cached = _CONTACT_CACHE.get(version_ids)
    if cached is not None:
        return cached

    found: list[Contact] = []
    for version_id in version_ids:
        markdown = session.scalar(
            select(Version.markdown).where(Version.id == version_id)
        )
        found.extend(extract_contacts(markdown or ""))
    result = tuple(dict.fromkeys(found))
    with _CONTACT_LOCK:
        if len(_CONTACT_CACHE) >= _CONTACT_CACHE_SIZE:
            _CONTACT_CACHE.clear()
        _CONTACT_CACHE[version_ids] = result
    return result
