"""Read models of stored objects: platforms, documents, versions and provisions.

Pages, the JSON API and the CLI show what these functions return and compute nothing
themselves.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clausewatch.db.models import (
    Analysis,
    Document,
    Platform,
    Provision,
    ProvisionText,
    Snapshot,
    SuspectCapture,
    Version,
    VersionSnapshot,
)
from clausewatch.db.record_ids import parse_record_id
from clausewatch.errors import NotFoundError, quote_value
from clausewatch.figures.numbering import (
    PROVISION_NUMBER_HELP,
    VERSION_NUMBER_HELP,
    described,
    provision_number,
)
from clausewatch.figures.staleness import Staleness, staleness
from clausewatch.suggestions import close_matches


def to_jsonable(value: Any) -> Any:
    """Convert dataclasses, dates and tuples into JSON-ready values."""
    if hasattr(value, "__dataclass_fields__"):
        return {key: to_jsonable(item) for key, item in asdict(value).items()}
    if isinstance(value, dict):
        return {key: to_jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


STALE_HELP = (
    "True when {subject} no capture within two years of the latest capture in the "
    "store, so {effect}."
)


@dataclass(frozen=True)
class PlatformSummary:
    id: str
    name: str
    category: str | None
    documents: int
    failing_documents: int
    last_verified_at: datetime | None
    stale: bool = field(
        default=False,
        metadata=described(
            STALE_HELP.format(
                subject="none of its documents has",
                effect="prevalence figures leave the platform out",
            )
        ),
    )


@dataclass(frozen=True)
class DocumentSummary:
    record_id: str
    platform_id: str
    platform_name: str
    terms_type: str
    source_urls: tuple[str, ...]
    versions: int
    current_provisions: int
    first_tracked_at: datetime | None
    last_verified_at: datetime | None
    latest_version_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    suspect_captures: int
    stale: bool = field(
        default=False,
        metadata=described(
            STALE_HELP.format(
                subject="the document has",
                effect="prevalence figures leave its provisions out",
            )
        ),
    )


@dataclass(frozen=True)
class VersionSummary:
    document_record_id: str
    number: int = field(metadata=described(VERSION_NUMBER_HELP))
    captured_at: datetime
    text_sha256: str
    stated_date: date | None
    reverts_to_number: int | None
    provisions: int
    snapshot_sha256s: tuple[str, ...]


@dataclass(frozen=True)
class ProvisionLabel:
    """One clause type assigned to a provision text, with its severity."""

    clause_type_id: str
    confidence: float
    severity: str
    severity_reason: str
    model_version: str
    #: "affirms" or "denies" the practice (``clausewatch.analysis.stance``).
    stance: str = "affirms"


@dataclass(frozen=True)
class ProvisionSummary:
    record_id: str
    document_record_id: str
    number: int = field(metadata=described(PROVISION_NUMBER_HELP))
    heading_path: tuple[str, ...]
    kind: str
    text: str
    is_current: bool
    first_version: int
    last_version: int
    labels: tuple[ProvisionLabel, ...] = ()


def list_platforms(session: Session) -> list[PlatformSummary]:
    stale = staleness(session).stale_platforms
    rows = session.execute(
        select(
            Platform,
            func.count(Document.id),
            func.count(Document.last_error),
            func.max(Document.last_verified_at),
        )
        .outerjoin(Document, Document.platform_id == Platform.id)
        .group_by(Platform.id)
        .order_by(Platform.name)
    ).all()
    return [
        PlatformSummary(
            id=platform.id,
            name=platform.name,
            category=platform.category,
            documents=documents,
            failing_documents=failing,
            last_verified_at=_aware(last_verified),
            stale=platform.id in stale,
        )
        for platform, documents, failing, last_verified in rows
    ]


#: Most platform ids that an unknown platform's error suggests.
MAX_SUGGESTIONS = 5


def get_platform(session: Session, platform_id: str) -> Platform:
    platform = session.get(Platform, platform_id)
    if platform is not None:
        return platform
    names = dict(session.execute(select(Platform.id, Platform.name)).tuples().all())
    quoted = quote_value(platform_id)
    if not names:
        raise NotFoundError(
            f"platform {quoted} is not tracked; no platform is tracked yet, so run "
            "clausewatch import or clausewatch track first"
        )
    suggestions = _similar_platforms(platform_id, names)
    listing = f"{_tracked(len(names))} at /platforms or with clausewatch platforms"
    if suggestions:
        raise NotFoundError(
            f"platform {quoted} is not tracked; did you mean: "
            f"{', '.join(suggestions)}? See {listing}"
        )
    raise NotFoundError(f"platform {quoted} is not tracked; see {listing}")


#: Shortest request that is looked up inside platform ids and names. Shorter ones,
#: such as "a", occur in most names.
MIN_CONTAINED_CHARS = 3


def _similar_platforms(platform_id: str, names: dict[str, str]) -> list[str]:
    """Return ids of platforms that the unknown ``platform_id`` likely means.

    These are ids or display names that contain the request ("chatgpt" finds
    "openai", named "OpenAI (ChatGPT)"), then ids and names it is a close mistyping
    of ("opnai").
    """
    requested = platform_id.strip().lower()
    contained = [
        known
        for known, name in names.items()
        if len(requested) >= MIN_CONTAINED_CHARS
        and (requested in name.lower() or requested in known)
    ]
    # An id that equals another platform's name means its own platform.
    platform_of = {name: known for known, name in names.items()}
    platform_of.update({known: known for known in names})
    mistyped = [platform_of[match] for match in close_matches(platform_id, platform_of)]
    return list(dict.fromkeys(contained + mistyped))[:MAX_SUGGESTIONS]


def _tracked(count: int) -> str:
    return "the tracked platform" if count == 1 else f"the {count} tracked platforms"


def find_document(session: Session, platform_id: str, document: str) -> Document:
    """Find a document by record ID, or by terms type within a platform (any case)."""
    found = session.execute(
        select(Document).where(Document.record_id == document.upper())
    ).scalar_one_or_none()
    if found is not None:
        if found.platform_id != platform_id:
            raise NotFoundError(
                f"document {found.record_id} belongs to platform "
                f"{found.platform_id!r}, not {quote_value(platform_id)}; run "
                f"clausewatch show {found.platform_id} {found.record_id}"
            )
        return found
    get_platform(session, platform_id)
    candidates = session.scalars(
        select(Document).where(Document.platform_id == platform_id)
    ).all()
    for candidate in candidates:
        if candidate.terms_type.lower() == document.lower():
            return candidate
    names = ", ".join(candidate.terms_type for candidate in candidates) or "none"
    raise NotFoundError(
        f"platform {platform_id!r} has no document {quote_value(document)}. Give a "
        f"record ID or one of its terms types: {names}"
    )


def get_document_by_record(session: Session, record_id: str) -> Document:
    """Return the document with this record ID; raise NotFoundError naming why not."""
    requested = record_id.strip().upper()
    found = session.execute(
        select(Document).where(Document.record_id == requested)
    ).scalar_one_or_none()
    if found is not None:
        return found
    hint = ""
    if parse_record_id(requested) is None:
        hint = (
            ": it is not a well-formed record ID (like D-00001Y), so check it for a "
            "mistyped or swapped character"
        )
    raise NotFoundError(f"no document with record ID {quote_value(record_id)}{hint}")


def summarize_document(
    session: Session, document: Document, *, documents: Staleness | None = None
) -> DocumentSummary:
    """Summarize one document; ``documents`` saves reading staleness again."""
    documents = documents or staleness(session)
    versions, latest = session.execute(
        select(func.count(Version.id), func.max(Version.captured_at)).where(
            Version.document_id == document.id
        )
    ).one()
    current = session.scalar(
        select(func.count(Provision.id)).where(
            Provision.document_id == document.id, Provision.is_current.is_(True)
        )
    )
    suspects = session.scalar(
        select(func.count(SuspectCapture.id)).where(
            SuspectCapture.document_id == document.id
        )
    )
    declaration = document.declaration or {}
    urls = tuple(page["url"] for page in declaration.get("pages", []))
    return DocumentSummary(
        record_id=document.record_id,
        platform_id=document.platform_id,
        platform_name=document.platform.name,
        terms_type=document.terms_type,
        source_urls=urls,
        versions=versions,
        current_provisions=current or 0,
        first_tracked_at=document.first_tracked_at,
        last_verified_at=document.last_verified_at,
        latest_version_at=_aware(latest),
        last_error=document.last_error,
        last_error_at=document.last_error_at,
        suspect_captures=suspects or 0,
        stale=documents.is_stale(document.id),
    )


def list_documents(session: Session, platform_id: str) -> list[DocumentSummary]:
    get_platform(session, platform_id)
    documents = session.scalars(
        select(Document)
        .where(Document.platform_id == platform_id)
        .order_by(Document.terms_type)
    ).all()
    current = staleness(session)
    return [
        summarize_document(session, document, documents=current)
        for document in documents
    ]


def list_versions(session: Session, document: Document) -> list[VersionSummary]:
    counts = dict(
        session.execute(
            select(ProvisionText.version_id, func.count(ProvisionText.id))
            .join(Version, Version.id == ProvisionText.version_id)
            .where(Version.document_id == document.id)
            .group_by(ProvisionText.version_id)
        ).all()
    )
    hashes: dict[int, list[str]] = {}
    for version_id, sha in session.execute(
        select(VersionSnapshot.version_id, Snapshot.sha256)
        .join(Snapshot, Snapshot.id == VersionSnapshot.snapshot_id)
        .join(Version, Version.id == VersionSnapshot.version_id)
        .where(Version.document_id == document.id)
        .order_by(Snapshot.fetched_at)
    ):
        if sha not in hashes.setdefault(version_id, []):
            hashes[version_id].append(sha)
    versions = session.scalars(
        select(Version)
        .where(Version.document_id == document.id)
        .order_by(Version.number)
    ).all()
    return [
        VersionSummary(
            document_record_id=document.record_id,
            number=version.number,
            captured_at=version.captured_at,
            text_sha256=version.text_sha256,
            stated_date=version.stated_date,
            reverts_to_number=version.reverts_to_number,
            provisions=counts.get(version.id, 0),
            snapshot_sha256s=tuple(hashes.get(version.id, [])),
        )
        for version in versions
    ]


def get_version(session: Session, document: Document, number: int | None) -> Version:
    query = select(Version).where(Version.document_id == document.id)
    if number is None:
        query = query.order_by(Version.number.desc()).limit(1)
    else:
        query = query.where(Version.number == number)
    version = session.execute(query).scalar_one_or_none()
    if version is None:
        wanted = "versions yet" if number is None else f"version {number}"
        raise NotFoundError(f"document {document.record_id} has no {wanted}")
    return version


def list_provisions(session: Session, version: Version) -> list[ProvisionSummary]:
    first = Version.__table__.alias("first_version")
    last = Version.__table__.alias("last_version")
    rows = session.execute(
        select(ProvisionText, Provision, first.c.number, last.c.number)
        .join(Provision, Provision.id == ProvisionText.provision_id)
        .join(first, first.c.id == Provision.first_version_id)
        .join(last, last.c.id == Provision.last_version_id)
        .where(ProvisionText.version_id == version.id)
        .order_by(ProvisionText.position)
    ).all()
    record = version.document.record_id
    labels = _labels_by_text(session, [text.id for text, _, _, _ in rows])
    return [
        ProvisionSummary(
            record_id=provision.record_id,
            document_record_id=record,
            number=provision_number(text.position),
            heading_path=tuple(text.heading_path),
            kind=text.kind,
            text=text.text,
            is_current=provision.is_current,
            first_version=first_number,
            last_version=last_number,
            labels=tuple(labels.get(text.id, [])),
        )
        for text, provision, first_number, last_number in rows
    ]


def _labels_by_text(
    session: Session, text_ids: list[int]
) -> dict[int, list[ProvisionLabel]]:
    labels: dict[int, list[ProvisionLabel]] = {}
    for start in range(0, len(text_ids), 500):
        rows = session.scalars(
            select(Analysis)
            .where(Analysis.provision_text_id.in_(text_ids[start : start + 500]))
            .order_by(Analysis.confidence.desc())
        )
        for row in rows:
            labels.setdefault(row.provision_text_id, []).append(
                ProvisionLabel(
                    clause_type_id=row.clause_type_id,
                    confidence=row.confidence,
                    severity=row.severity,
                    severity_reason=row.severity_reason,
                    model_version=row.model_version,
                    stance=row.stance,
                )
            )
    return labels


def _aware(value: datetime | None) -> datetime | None:
    # Aggregates bypass the column type, so SQLite returns naive UTC (or a string).
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value
