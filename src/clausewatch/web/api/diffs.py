"""API of the diff between two versions of a document, the same as the diff page's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.orm import Session

from clausewatch.figures import records
from clausewatch.figures.diff_record import VersionDiffRecord, version_diff_record
from clausewatch.web.api.schemas import MAX_INTEGER
from clausewatch.web.context import db_session
from clausewatch.web.errors import ERROR_RESPONSES
from clausewatch.web.version_diff import checked_version_diff

router = APIRouter(prefix="/api/v1", tags=["records"], responses=ERROR_RESPONSES)
SessionDep = Annotated[Session, Depends(db_session)]


@router.get("/documents/{record_id}/diff", response_model=VersionDiffRecord)
def get_version_diff(
    record_id: Annotated[str, Path(description="Document record ID, e.g. D-00001Y.")],
    session: SessionDep,
    old: Annotated[
        int | None,
        Query(
            alias="from",
            ge=1,
            le=MAX_INTEGER,
            description="Older version number (default: the one before to).",
        ),
    ] = None,
    new: Annotated[
        int | None,
        Query(
            alias="to",
            ge=1,
            le=MAX_INTEGER,
            description="Newer version number (default: the latest).",
        ),
    ] = None,
    material: Annotated[bool, Query(description="Leave out cosmetic changes.")] = False,
) -> VersionDiffRecord:
    """Compare two versions of a document provision by provision, by default the
    last two, as the document's diff page and ``clausewatch diff --json`` do.

    A version that does not exist is a 404; the same version twice is a 422.
    """
    document = records.get_document_by_record(session, record_id)
    found = checked_version_diff(session, document, old, new)
    return version_diff_record(session, found, material_only=material)
