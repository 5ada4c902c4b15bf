"""API across platforms: changes, full-text search and clause types."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, WithJsonSchema
from sqlalchemy.orm import Session

from clausewatch.errors import NotFoundError
from clausewatch.figures.changes import (
    CHANGE_KINDS,
    SEVERITIES,
    ChangeItem,
    check_filter_records,
    list_changes,
)
from clausewatch.figures.prevalence import Prevalence, prevalence, prevalence_of_all
from clausewatch.figures.prevalence_history import (
    PrevalencePoint,
    prevalence_over_time,
)
from clausewatch.figures.provision_page import ClauseTypeInfo, clause_type_info
from clausewatch.taxonomy import default_taxonomy
from clausewatch.web.api.schemas import DEFAULT_LIMIT, MAX_INTEGER, MAX_LIMIT, Page
from clausewatch.web.context import db_session
from clausewatch.web.errors import ERROR_RESPONSES, WORD_PATTERN
from clausewatch.web.filters import change_filter, parse_day
from clausewatch.web.queries.clause_types import TypedProvision, provisions_of_type
from clausewatch.web.queries.search import SearchHit, search_provisions

router = APIRouter(prefix="/api/v1", tags=["explore"], responses=ERROR_RESPONSES)
SessionDep = Annotated[Session, Depends(db_session)]
Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description="Largest number of items returned.")
]
Offset = Annotated[
    int, Query(ge=0, le=MAX_INTEGER, description="Number of items to skip.")
]
# Plain strings documented with their allowed values, so the change filter checks them
# and the API and the changes page reject a value with the same message. An empty
# value means "any".
SeverityParam = Annotated[
    str,
    Query(
        description="Lowest severity to include; empty means any.",
        json_schema_extra={"enum": ["", *SEVERITIES]},
    ),
]
KindParam = Annotated[
    str,
    Query(
        description="Kind of change; empty means any.",
        json_schema_extra={"enum": ["", *CHANGE_KINDS]},
    ),
]
# A day is read as text and parsed by parse_day, so that the API rejects what the
# changes page rejects (0, 2026, 20260131) with the same message. The schema still
# states "format: date" for clients.
DayText = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]


class ClauseTypeOut(BaseModel):
    """A clause type with its prevalence across tracked platforms."""

    clause_type: ClauseTypeInfo
    prevalence: Prevalence


class ClauseTypeDetail(ClauseTypeOut):
    """A clause type, its current provisions and its prevalence over time."""

    provisions: list[TypedProvision]
    history: list[PrevalencePoint]


@router.get("/changes", response_model=Page[ChangeItem])
def get_changes(
    session: SessionDep,
    platform: Annotated[str, Query(description="Platform id.")] = "",
    document: Annotated[str, Query(description="Document record ID.")] = "",
    clause_type: Annotated[str, Query(description="Clause type id.")] = "",
    severity: SeverityParam = "",
    material: Annotated[bool, Query(description="Only material changes.")] = False,
    kind: KindParam = "",
    since: Annotated[
        DayText | None,
        Query(
            description="Only changes captured on or after this UTC day, written "
            "YYYY-MM-DD."
        ),
    ] = None,
    documented: Annotated[
        bool,
        Query(
            description=(
                "Only documented changes, the ones the recent_activity figures "
                "count: material changes of provisions, without new-version events."
            )
        ),
    ] = False,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> Page[ChangeItem]:
    """List documented changes, newest first, filtered by any of the parameters.

    An unknown platform, document or clause type is a 404, not an empty list; a
    severity or kind outside the listed values is a 422.
    """
    filters = change_filter(
        platform=platform,
        document=document,
        clause_type=clause_type,
        severity=severity,
        material=material,
        kind=kind,
        since=None if since is None else parse_day(since, "since"),
        documented=documented,
    )
    check_filter_records(session, filters)
    found = list_changes(session, filters, limit=limit, offset=offset)
    return Page(
        items=list(found.items),
        total=found.total,
        limit=limit,
        offset=offset,
    )


@router.get("/search", response_model=Page[SearchHit])
def search(
    session: SessionDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            # At least one letter or digit: punctuation alone has no word to find.
            # The schema states it so that clients know the rule, and the error
            # handler words the mismatch (see PATTERN_EXPLANATIONS).
            pattern=WORD_PATTERN,
            description="Words to find; every word must occur in the provision.",
        ),
    ],
    platform: Annotated[str, Query(description="Platform id.")] = "",
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[SearchHit]:
    """Find current provision texts containing every word of ``q``, best first.

    ``snippet_html`` is escaped HTML in which matches are wrapped in ``<mark>``.
    """
    hits, total = search_provisions(
        session, q, platform_id=platform or None, limit=limit, offset=offset
    )
    return Page(items=hits, total=total, limit=limit, offset=offset)


@router.get("/clause-types", response_model=list[ClauseTypeOut])
def list_clause_types(session: SessionDep) -> list[ClauseTypeOut]:
    """List every clause type of the taxonomy with its prevalence."""
    taxonomy = default_taxonomy()
    found = {item.clause_type_id: item for item in prevalence_of_all(session)}
    total = next(iter(found.values())).platforms_total if found else None
    result = []
    for entry in taxonomy.clause_types.values():
        known = found.get(entry.id) or prevalence(
            session, entry.id, platforms_total=total
        )
        result.append(
            ClauseTypeOut(clause_type=clause_type_info(entry), prevalence=known)
        )
    return result


@router.get("/clause-types/{clause_type_id}", response_model=ClauseTypeDetail)
def get_clause_type(
    clause_type_id: Annotated[str, Path(description="Clause type id.")],
    session: SessionDep,
) -> ClauseTypeDetail:
    """Show a clause type with every current provision of it and its history."""
    entry = default_taxonomy().clause_types.get(clause_type_id)
    if entry is None:
        raise NotFoundError(
            f"clause type {clause_type_id!r} not found; list them at "
            "/api/v1/clause-types"
        )
    return ClauseTypeDetail(
        clause_type=clause_type_info(entry),
        prevalence=prevalence(session, entry.id),
        provisions=provisions_of_type(session, entry.id),
        history=prevalence_over_time(session, entry.id),
    )
