"""API of the full provision record, the same values as its permanent page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from clausewatch.figures.numbering import VERSION_NUMBER_HELP
from clausewatch.figures.provision_page import ProvisionPage
from clausewatch.web.context import db_session, web_context
from clausewatch.web.errors import ERROR_RESPONSES
from clausewatch.web.provision_view import EvidenceItem, build_view

router = APIRouter(prefix="/api/v1", tags=["provisions"], responses=ERROR_RESPONSES)
SessionDep = Annotated[Session, Depends(db_session)]


class CitationOut(BaseModel):
    """The citation record of a provision; exports are linked from ``exports``."""

    title: str
    entity: str
    document: str
    record_id: str
    document_record_id: str
    provision_number: int = Field(
        description=(
            "Provision number within the version version_number, counting from 1, "
            "as the note and the page give it."
        )
    )
    version_number: int = Field(description=VERSION_NUMBER_HELP)
    captured_at: datetime
    sha256: str | None
    permanent_url: str
    accessed: date
    note: str
    exports: dict[str, str]


class ProvisionOut(BaseModel):
    """A provision with every figure of its page, its evidence and its citation."""

    page: ProvisionPage
    evidence: list[EvidenceItem]
    citation: CitationOut


@router.get("/provisions/{record_id}", response_model=ProvisionOut)
def get_provision(
    request: Request,
    record_id: Annotated[str, Path(description="Provision record ID, e.g. P-00012V.")],
    session: SessionDep,
) -> ProvisionOut:
    """Show one provision by its permanent record ID, with every section's values."""
    view = build_view(web_context(request), session, record_id)
    citation = view.citation
    base = view.share.permanent_url
    return ProvisionOut(
        page=view.page,
        evidence=list(view.evidence),
        citation=CitationOut(
            title=citation.title,
            entity=citation.entity,
            document=citation.document,
            record_id=citation.record_id,
            document_record_id=citation.document_record_id,
            provision_number=citation.provision_number,
            version_number=citation.version_number,
            captured_at=citation.captured_at,
            sha256=citation.sha256,
            permanent_url=citation.permanent_url,
            accessed=citation.accessed,
            note=citation.note,
            exports={
                "bibtex": f"{base}/cite.bib",
                "ris": f"{base}/cite.ris",
                "csl_json": f"{base}/cite.json",
                "pdf": f"{base}.pdf",
            },
        ),
    )
