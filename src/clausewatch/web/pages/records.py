"""Pages of stored records: home, platforms, documents, versions, provisions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from clausewatch.figures import records
from clausewatch.figures.activity import documented_totals, recent_activity
from clausewatch.figures.changes import ChangeFilter, list_changes
from clausewatch.figures.risk import platform_risk_summary
from clausewatch.taxonomy import default_taxonomy
from clausewatch.web.api.schemas import MAX_INTEGER
from clausewatch.web.context import db_session, web_context
from clausewatch.web.pdf import render_pdf
from clausewatch.web.rendering import render
from clausewatch.web.version_diff import compare_versions

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
SessionDep = Annotated[Session, Depends(db_session)]
TIMELINE_LENGTH = 100
HOME_CHANGES = 8


@router.get("/", summary="Home page")
def home(request: Request, session: SessionDep) -> HTMLResponse:
    counts = web_context(request).store.counts()
    platforms = records.list_platforms(session)
    recent = list_changes(session, ChangeFilter(kind="version"), limit=HOME_CHANGES)
    return render(
        request,
        "home.html",
        {
            "counts": counts,
            "totals": documented_totals(session),
            "platforms": platforms,
            "recent_changes": recent.items,
        },
    )


@router.get("/platforms", summary="Every tracked platform")
def platforms(request: Request, session: SessionDep) -> HTMLResponse:
    found = records.list_platforms(session)
    return render(request, "platforms.html", {"platforms": found})


@router.get("/documents/{record_id}/versions/{number}", summary="One version")
def version(
    request: Request,
    record_id: str,
    number: Annotated[int, Path(ge=1, le=MAX_INTEGER)],
    session: SessionDep,
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
    return render(request, "platform.html", platform_context(session, platform_id))


@router.get("/platforms/{platform_id}/report.pdf", summary="Platform report")
def platform_report(
    request: Request, platform_id: str, session: SessionDep
) -> Response:
    values = platform_context(session, platform_id)
    values["generated_at"] = datetime.now(UTC)
    html = render(request, "platform_report.html", values).body
    return Response(
        render_pdf(bytes(html).decode("utf-8")),
        media_type="application/pdf",
        headers={
            "Content-Disposition": (
                f'inline; filename="clausewatch-{_safe(platform_id)}-report.pdf"'
            )
        },
    )


def _safe(value: str) -> str:
    return "".join(c if c.isalnum() or c == "-" else "_" for c in value)


def platform_context(session: Session, platform_id: str) -> dict[str, object]:
    """Values of the platform page and its PDF report."""
    found = records.get_platform(session, platform_id)
    summary = next(
        item for item in records.list_platforms(session) if item.id == platform_id
    )
    timeline = list_changes(
        session,
        ChangeFilter(platform_id=platform_id, kind="version"),
        limit=TIMELINE_LENGTH,
    )
    taxonomy = default_taxonomy()
    return {
        "platform": found,
        "summary": summary,
        "documents": records.list_documents(session, platform_id),
        "risks": platform_risk_summary(session, platform_id),
        "type_names": {key: value.name for key, value in taxonomy.clause_types.items()},
        "activity": recent_activity(session, platform_id),
        "timeline": timeline.items,
        "timeline_total": timeline.total,
    }


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


@router.get("/documents/{record_id}/diff", summary="Two versions compared")
def diff(
    request: Request,
    record_id: str,
    session: SessionDep,
    old: Annotated[
        int | None,
        Query(alias="from", ge=1, le=MAX_INTEGER, description="Default: the previous."),
    ] = None,
    new: Annotated[
        int | None,
        Query(alias="to", ge=1, le=MAX_INTEGER, description="Default: the latest."),
    ] = None,
    view: Literal["side", "inline"] = "side",
) -> HTMLResponse:
    found = records.get_document_by_record(session, record_id)
    comparison = compare_versions(session, found, old, new)
    return render(
        request,
        "diff.html",
        {
            "document": records.summarize_document(session, found),
            "versions": records.list_versions(session, found),
            "comparison": comparison,
            "diff_from": comparison.old.number,
            "diff_to": comparison.new.number,
            "diff_view": view,
        },
    )
