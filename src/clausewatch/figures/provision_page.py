"""The full record of one provision, assembled for its permanent page, API and exports.

``provision_record`` reads the stored provision itself (text, versions, snapshots,
analyses). ``provision_page`` adds the figures that other modules of this package
compute, so the page, the JSON API, the PDF and the citation all show one set of values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clausewatch.db.models import (
    Analysis,
    ClassificationRun,
    Document,
    Platform,
    Provision,
    ProvisionText,
    Snapshot,
    Version,
    VersionSnapshot,
)
from clausewatch.db.record_ids import parse_record_id
from clausewatch.errors import NotFoundError

SEVERITY_RANK = {"Low": 0, "Medium": 1, "High": 2, "Critical": 3}


@dataclass(frozen=True)
class VersionRef:
    """A document version named by its number and capture time."""

    number: int
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


@dataclass(frozen=True)
class ClassificationInfo:
    """How the provision text was classified: language, abstention, model version."""

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
    position: int
    heading_path: tuple[str, ...]
    kind: str
    text: str
    text_sha256: str
    is_current: bool
    first_version: VersionRef
    last_version: VersionRef
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
    provision = _find_provision(session, record_id)
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
        position=text.position,
        heading_path=tuple(text.heading_path),
        kind=text.kind,
        text=text.text,
        text_sha256=text.text_sha256,
        is_current=provision.is_current,
        first_version=VersionRef(first.number, first.captured_at),
        last_version=VersionRef(last.number, last.captured_at),
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
            "it is not a well-formed record ID (like P-0001Z7): check it for a "
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
    labels = [
        ClauseLabel(
            clause_type_id=row.clause_type_id,
            confidence=row.confidence,
            source=row.source,
            severity=row.severity,
            severity_reason=row.severity_reason,
            model_version=row.model_version,
            analyzed_at=row.analyzed_at,
        )
        for row in rows
    ]
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
