"""Change filters from query parameters, shared by the changes page, API and feeds."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from clausewatch.figures.changes import ChangeFilter, InvalidFilterError


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
