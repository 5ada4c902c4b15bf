"""Change filters from query parameters, shared by the changes page, API and feeds."""

from __future__ import annotations

import difflib
from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session

from clausewatch.errors import NotFoundError
from clausewatch.figures import records
from clausewatch.figures.changes import ChangeFilter, InvalidFilterError
from clausewatch.taxonomy import default_taxonomy


def change_filter(
    *,
    platform: str = "",
    document: str = "",
    clause_type: str = "",
    severity: str = "",
    material: bool = False,
    kind: str = "",
    since: date | None = None,
) -> ChangeFilter:
    """Build a change filter from form values; an empty value means "any".

    ``since`` keeps changes captured on or after the start of that day, in UTC.
    Raises InvalidFilterError when severity or kind is not one of the allowed values.
    """
    return ChangeFilter(
        platform_id=platform.strip() or None,
        document_record_id=document.strip() or None,
        clause_type_id=clause_type.strip() or None,
        min_severity=severity or None,
        material_only=material,
        kind=kind or None,
        since=None if since is None else datetime.combine(since, time(), tzinfo=UTC),
    )


def parse_since(value: str) -> date | None:
    """Parse the ``since`` form value, an ISO date such as 2026-01-31; "" means any.

    Raises InvalidFilterError naming the value when it is not an ISO date.
    """
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise InvalidFilterError(
            f"invalid date {value!r} for since: use YYYY-MM-DD, e.g. 2026-01-31"
        ) from error


def check_filter_records(session: Session, filters: ChangeFilter) -> None:
    """Check that the platform, document and clause type filtered on exist.

    Raises NotFoundError naming the unknown value, so a typo is not shown as "no
    change matches".
    """
    if filters.platform_id is not None:
        records.get_platform(session, filters.platform_id)
    if filters.document_record_id is not None:
        records.get_document_by_record(session, filters.document_record_id)
    if filters.clause_type_id is not None:
        _check_clause_type(filters.clause_type_id)


def _check_clause_type(clause_type_id: str) -> None:
    known = default_taxonomy().clause_types
    if clause_type_id in known:
        return
    close = difflib.get_close_matches(clause_type_id, list(known), n=3)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise NotFoundError(
        f"no clause type with id {clause_type_id!r}: {hint}use an id listed at "
        "/clause-types, or leave the clause type filter empty"
    )
