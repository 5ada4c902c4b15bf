"""API of stored records: platforms, documents, versions and provisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.orm import Session

from clausewatch.figures import records
from clausewatch.figures.activity import recent_activity
from clausewatch.figures.records import (
    DocumentSummary,
    PlatformSummary,
    ProvisionSummary,
    VersionSummary,
)
from clausewatch.figures.risk import platform_risk_summary
from clausewatch.web.api.schemas import (
    DEFAULT_LIMIT,
    MAX_INTEGER,
    MAX_LIMIT,
    Page,
    PlatformDetail,
    page_of,
)
from clausewatch.web.context import db_session
from clausewatch.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["records"], responses=ERROR_RESPONSES)

SessionDep = Annotated[Session, Depends(db_session)]
Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description="Largest number of items returned.")
]
Offset = Annotated[
    int, Query(ge=0, le=MAX_INTEGER, description="Number of items to skip.")
]
PlatformId = Annotated[str, Path(description="Platform id, e.g. chatgpt.")]
DocumentId = Annotated[str, Path(description="Document record ID, e.g. D-00001Y.")]
VersionNumber = Annotated[
    int, Path(ge=1, le=MAX_INTEGER, description="Version number, from 1.")
]


@router.get("/platforms", response_model=Page[PlatformSummary])
def list_platforms(
    session: SessionDep, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
) -> Page[PlatformSummary]:
    """List every tracked platform, by name."""
    return page_of(records.list_platforms(session), limit=limit, offset=offset)


@router.get("/platforms/{platform_id}", response_model=PlatformDetail)
def get_platform(platform_id: PlatformId, session: SessionDep) -> PlatformDetail:
    """Show one platform, its documents, its recent changes and its risk counts."""
    records.get_platform(session, platform_id)
    summary = next(
        item for item in records.list_platforms(session) if item.id == platform_id
    )
    documents = records.list_documents(session, platform_id)
    return PlatformDetail(
        platform=summary,
        documents=documents,
        recent_activity=recent_activity(session, platform_id),
        provisions_by_severity=platform_risk_summary(
            session, platform_id, limit=0
        ).by_severity,
    )


@router.get("/platforms/{platform_id}/documents", response_model=Page[DocumentSummary])
def list_documents(
    platform_id: PlatformId,
    session: SessionDep,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> Page[DocumentSummary]:
    """List a platform's documents, with their last error if the last fetch failed."""
    documents = records.list_documents(session, platform_id)
    return page_of(documents, limit=limit, offset=offset)


@router.get("/documents/{record_id}", response_model=DocumentSummary)
def get_document(record_id: DocumentId, session: SessionDep) -> DocumentSummary:
    """Show one document by record ID."""
    document = records.get_document_by_record(session, record_id)
    return records.summarize_document(session, document)


@router.get("/documents/{record_id}/versions", response_model=Page[VersionSummary])
def list_versions(
    record_id: DocumentId,
    session: SessionDep,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> Page[VersionSummary]:
    """List a document's versions, oldest first, with their snapshots' SHA-256."""
    document = records.get_document_by_record(session, record_id)
    versions = records.list_versions(session, document)
    return page_of(versions, limit=limit, offset=offset)


@router.get("/documents/{record_id}/versions/{number}", response_model=VersionSummary)
def get_version(
    record_id: DocumentId, number: VersionNumber, session: SessionDep
) -> VersionSummary:
    """Show one version of a document."""
    document = records.get_document_by_record(session, record_id)
    found = records.get_version(session, document, number)
    return next(
        item
        for item in records.list_versions(session, document)
        if item.number == found.number
    )


@router.get(
    "/documents/{record_id}/versions/{number}/provisions",
    response_model=Page[ProvisionSummary],
)
def list_version_provisions(
    record_id: DocumentId,
    number: VersionNumber,
    session: SessionDep,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> Page[ProvisionSummary]:
    """List the provisions of one version in document order, with record IDs."""
    document = records.get_document_by_record(session, record_id)
    found = records.get_version(session, document, number)
    provisions = records.list_provisions(session, found)
    return page_of(provisions, limit=limit, offset=offset)
