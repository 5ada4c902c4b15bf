"""Pages of stored records: home, platforms, documents, versions, provisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from clausewatch.figures import records
from clausewatch.web.context import db_session, web_context
from clausewatch.web.rendering import render

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
SessionDep = Annotated[Session, Depends(db_session)]


@router.get("/", summary="Home page")
def home(request: Request, session: SessionDep) -> HTMLResponse:
    counts = web_context(request).store.counts()
    platforms = records.list_platforms(session)
    return render(request, "home.html", {"counts": counts, "platforms": platforms})


@router.get("/platforms", summary="Every tracked platform")
def platforms(request: Request, session: SessionDep) -> HTMLResponse:
    found = records.list_platforms(session)
    return render(request, "platforms.html", {"platforms": found})


@router.get("/documents/{record_id}/versions/{number}", summary="One version")
def version(
    request: Request, record_id: str, number: int, session: SessionDep
) -> HTMLResponse:
    document = records.get_document_by_record(session, record_id)
    summary = records.summarize_document(session, document)
    found = records.get_version(session, document, number)
    versions = {item.number: item for item in records.list_versions(session, document)}
    provisions = records.list_provisions(session, found)
    return render(
        request,
        "version.html",
        {
            "document": summary,
            "version": versions[found.number],
            "provisions": provisions,
        },
    )


@router.get("/platforms/{platform_id}", summary="One platform")
def platform(request: Request, platform_id: str, session: SessionDep) -> HTMLResponse:
    found = records.get_platform(session, platform_id)
    documents = records.list_documents(session, platform_id)
    return render(request, "platform.html", {"platform": found, "documents": documents})


@router.get("/documents/{record_id}", summary="One document")
def document(request: Request, record_id: str, session: SessionDep) -> HTMLResponse:
    found = records.get_document_by_record(session, record_id)
    summary = records.summarize_document(session, found)
    versions = records.list_versions(session, found)
    provisions = (
        records.list_provisions(session, records.get_version(session, found, None))
        if versions
        else []
    )
    return render(
        request,
        "document.html",
        {"document": summary, "versions": versions, "provisions": provisions},
    )
