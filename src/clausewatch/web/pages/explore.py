"""Pages across platforms: changes, search, clause types and the methodology."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from clausewatch.analysis import modifier_table
from clausewatch.errors import NotFoundError
from clausewatch.figures import records
from clausewatch.figures.changes import (
    CHANGE_KINDS,
    SEVERITIES,
    InvalidFilterError,
    check_filter_records,
    list_changes,
)
from clausewatch.figures.prevalence import (
    RARITY_CUTOFFS,
    prevalence,
    prevalence_of_all,
)
from clausewatch.figures.prevalence_history import prevalence_over_time
from clausewatch.figures.stability import COUNTED_KINDS
from clausewatch.taxonomy import ClauseType, default_taxonomy, render_template
from clausewatch.web.api.schemas import MAX_INTEGER
from clausewatch.web.context import db_session, web_context
from clausewatch.web.filters import change_filter, parse_since
from clausewatch.web.methodology import (
    available_documents,
    classifier_accuracy,
    method_document,
)
from clausewatch.web.queries.clause_types import provisions_of_type
from clausewatch.web.queries.search import (
    InvalidSearchError,
    SearchHit,
    search_provisions,
)
from clausewatch.web.rendering import render

logger = logging.getLogger(__name__)
router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
SessionDep = Annotated[Session, Depends(db_session)]
PAGE_SIZE = 50
SEARCH_PAGE_SIZE = 20


@router.get("/changes")
def changes(
    request: Request,
    session: SessionDep,
    platform: str = "",
    clause_type: str = "",
    severity: str = "",
    material: bool = False,
    kind: str = "",
    since: str = "",
    documented: bool = False,
    offset: Annotated[int, Query(ge=0, le=MAX_INTEGER)] = 0,
) -> HTMLResponse:
    taxonomy = default_taxonomy()
    values: dict[str, Any] = {
        "changes": [],
        "total": 0,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "form": {
            "platform": platform,
            "clause_type": clause_type,
            "severity": severity,
            "material": material,
            "kind": kind,
            "since": since.strip(),
            "documented": documented,
        },
        "platforms": records.list_platforms(session),
        "clause_types": sorted(
            taxonomy.clause_types.values(), key=lambda item: item.name
        ),
        "severities": SEVERITIES,
        "kinds": CHANGE_KINDS,
        "error": None,
    }
    # The form stays on the page with the message, so the reader can correct the value.
    try:
        filters = change_filter(
            platform=platform,
            clause_type=clause_type,
            severity=severity,
            material=material,
            kind=kind,
            since=parse_since(since),
            documented=documented,
        )
        check_filter_records(session, filters)
    except InvalidFilterError as error:
        logger.info("changes page filter rejected: %s", error)
        values["error"] = str(error)
        return render(request, "changes.html", values, status_code=422)
    except NotFoundError as error:
        logger.info("changes page filter rejected: %s", error)
        values["error"] = str(error)
        return render(request, "changes.html", values, status_code=404)
    found = list_changes(session, filters, limit=PAGE_SIZE, offset=offset)
    values.update(changes=found.items, total=found.total)
    return render(request, "changes.html", values)


@router.get("/search")
def search(
    request: Request,
    session: SessionDep,
    q: str = "",
    platform: str = "",
    offset: Annotated[int, Query(ge=0, le=MAX_INTEGER)] = 0,
) -> HTMLResponse:
    hits: list[SearchHit] = []
    total = 0
    error = None
    status_code = 200
    if q.strip():
        try:
            hits, total = search_provisions(
                session,
                q,
                platform_id=platform or None,
                limit=SEARCH_PAGE_SIZE,
                offset=offset,
            )
        except InvalidSearchError as invalid:
            error = str(invalid)
            status_code = 422
        except NotFoundError as unknown:
            error = str(unknown)
            status_code = 404
    return render(
        request,
        "search.html",
        {
            "query": q,
            "platform": platform,
            "hits": hits,
            "total": total,
            "offset": offset,
            "page_size": SEARCH_PAGE_SIZE,
            "platforms": records.list_platforms(session),
            "error": error,
        },
        status_code=status_code,
    )


@router.get("/clause-types")
def clause_types(request: Request, session: SessionDep) -> HTMLResponse:
    taxonomy = default_taxonomy()
    found = {item.clause_type_id: item for item in prevalence_of_all(session)}
    return render(
        request,
        "clause_types.html",
        {"taxonomy": taxonomy, "prevalence": found},
    )


@router.get("/clause-types/{clause_type_id}")
def clause_type(
    request: Request, clause_type_id: str, session: SessionDep
) -> HTMLResponse:
    taxonomy = default_taxonomy()
    if clause_type_id not in taxonomy.clause_types:
        raise NotFoundError(
            f"clause type {clause_type_id!r} not found; the list of clause types is "
            "at /clause-types"
        )
    entry = taxonomy.clause_types[clause_type_id]
    return render(
        request,
        "clause_type.html",
        {
            "clause_type": entry,
            "prevalence": prevalence(session, clause_type_id),
            "history": prevalence_over_time(session, clause_type_id),
            "provisions": provisions_of_type(session, clause_type_id),
            "regulations": taxonomy.regulations_for(entry),
            "agencies": taxonomy.agencies_for(entry),
            "related": taxonomy.related_to(entry),
            "texts": general_texts(entry),
        },
    )


def general_texts(entry: ClauseType) -> dict[str, str]:
    """Render the clause type's explanations for platforms in general."""
    values = {
        "platform": "a platform",
        "document": "terms",
        "subject": entry.subject_default,
    }
    return {
        "why_it_matters": render_template(entry.why_it_matters, **values),
        "consumer_impact": render_template(entry.consumer_impact, **values),
    }


@router.get("/methodology")
def methodology(request: Request) -> HTMLResponse:
    settings = web_context(request).settings
    return render(
        request,
        "methodology.html",
        {
            "rarity_cutoffs": RARITY_CUTOFFS,
            "counted_kinds": COUNTED_KINDS,
            "modifiers": modifier_table(),
            "accuracy": classifier_accuracy(settings.model_dir),
            "documents": available_documents(),
            "taxonomy": default_taxonomy(),
        },
    )


@router.get("/methodology/{name}")
def methodology_document(request: Request, name: str) -> HTMLResponse:
    document = method_document(name)
    if document is None:
        raise NotFoundError(
            f"methodology document {name!r} not found; the methodology page at "
            "/methodology links the documents this installation has"
        )
    return render(request, "method_document.html", {"document": document})
