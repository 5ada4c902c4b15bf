"""Change filters from query parameters, shared by the changes page, API and feeds."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from clausewatch.errors import quote_value
from clausewatch.figures.changes import ChangeFilter, InvalidFilterError

# The one accepted form of a day: ISO 8601's extended calendar date. Python's
# date.fromisoformat also reads 20260131 and 2026-W05-6, which the API schema's
# "format: date" (RFC 3339 full-date) does not allow.
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def change_filter(
    *,
    platform: str = "",
    document: str = "",
    clause_type: str = "",
    severity: str = "",
    material: bool = False,
    kind: str = "",
    since: date | None = None,
    documented: bool = False,
) -> ChangeFilter:
    """Build a change filter from form values; an empty value means "any".

    ``since`` keeps changes captured on or after the start of that day, in UTC.
    ``documented`` keeps the changes that "documented changes" figures count:
    material changes of provisions, without new-version events.
    Raises InvalidFilterError when severity or kind is not one of the allowed values.
    """
    return ChangeFilter(
        platform_id=platform.strip() or None,
        document_record_id=document.strip() or None,
        clause_type_id=clause_type.strip() or None,
        min_severity=severity or None,
        material_only=material or documented,
        kind=kind or None,
        provisions_only=documented,
        since=None if since is None else datetime.combine(since, time(), tzinfo=UTC),
    )


def parse_since(value: str) -> date | None:
    """Parse the ``since`` form value, a day such as 2026-01-31; "" means any.

    Raises InvalidFilterError naming the value when it is not a YYYY-MM-DD day.
    """
    value = value.strip()
    if not value:
        return None
    return parse_day(value, "since")


def parse_day(value: str, parameter: str) -> date:
    """Parse a day written YYYY-MM-DD, the only form the changes filters accept.

    Raises InvalidFilterError naming the parameter and the value otherwise, with the
    same words on the changes page and in the API.
    """
    if _ISO_DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass  # A day that does not exist, such as 2026-02-30.
    raise InvalidFilterError(
        f"invalid date {quote_value(value)} for {parameter}: use YYYY-MM-DD, "
        "e.g. 2026-01-31"
    )
