"""The provision page at its permanent URL, its PDF and its citation exports."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from clausewatch.web import urls
from clausewatch.web.citations import to_bibtex, to_csl_json, to_ris
from clausewatch.web.context import db_session, web_context
from clausewatch.web.pdf import render_pdf
from clausewatch.web.provision_view import ProvisionView, build_view
from clausewatch.web.rendering import render

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
SessionDep = Annotated[Session, Depends(db_session)]


def _view(request: Request, session: Session, record_id: str) -> ProvisionView:
    return build_view(web_context(request), session, record_id)


def _download_name(view: ProvisionView, extension: str) -> str:
    safe = "".join(
        character if character.isalnum() or character == "-" else "_"
        for character in view.page.record.record_id
    )
    return f"clausewatch-{safe}.{extension}"


# The .pdf route comes before the page route, whose record ID would match "X.pdf".
@router.get("/provisions/{record_id}.pdf")
def provision_pdf(request: Request, record_id: str, session: SessionDep) -> Response:
    view = _view(request, session, record_id)
    html = render(
        request, "provision.html", {"view": view, "layout": "pdf_base.html"}
    ).body
    return Response(
        render_pdf(bytes(html).decode("utf-8")),
        media_type="application/pdf",
        headers={
            "Content-Disposition": (f'inline; filename="{_download_name(view, "pdf")}"')
        },
    )


@router.get("/provisions/{record_id}/cite.bib")
def cite_bibtex(request: Request, record_id: str, session: SessionDep) -> Response:
    view = _view(request, session, record_id)
    return _attachment(to_bibtex(view.citation), "application/x-bibtex", view, "bib")


@router.get("/provisions/{record_id}/cite.ris")
def cite_ris(request: Request, record_id: str, session: SessionDep) -> Response:
    view = _view(request, session, record_id)
    return _attachment(
        to_ris(view.citation), "application/x-research-info-systems", view, "ris"
    )


@router.get("/provisions/{record_id}/cite.json")
def cite_csl_json(request: Request, record_id: str, session: SessionDep) -> Response:
    view = _view(request, session, record_id)
    body = json.dumps(to_csl_json(view.citation), indent=2, ensure_ascii=False)
    return _attachment(
        body + "\n", "application/vnd.citationstyles.csl+json", view, "json"
    )


@router.get("/provisions/{record_id}")
def provision(request: Request, record_id: str, session: SessionDep) -> HTMLResponse:
    view = _view(request, session, record_id)
    canonical = urls.provision_path(view.page.record.record_id)
    return render(
        request,
        "provision.html",
        {"view": view, "canonical_path": canonical},
        headers={"Link": f'<{view.share.permanent_url}>; rel="canonical"'},
    )


def _attachment(
    body: str, media_type: str, view: ProvisionView, extension: str
) -> Response:
    return Response(
        body,
        media_type=f"{media_type}; charset=utf-8",
        headers={
            "Content-Disposition": (
                f'attachment; filename="{_download_name(view, extension)}"'
            )
        },
    )
