"""Change filters from query parameters, shared by the changes page, API and feeds."""

from __future__ import annotations

from clausewatch.errors import ClausewatchError
from clausewatch.web.queries.changes import CHANGE_KINDS, SEVERITIES, ChangeFilter


class InvalidFilterError(ClausewatchError):
    """A filter parameter has a value outside its allowed set."""


def change_filter(
    *,
    platform: str = "",
    document: str = "",
    clause_type: str = "",
    severity: str = "",
    material: bool = False,
    kind: str = "",
) -> ChangeFilter:
    """Build a change filter; an empty value means "any".

    Raises InvalidFilterError when severity or kind is not one of the allowed values.
    """
    if severity and severity not in SEVERITIES:
        raise InvalidFilterError(
            f"invalid severity {severity!r}; use one of {', '.join(SEVERITIES)} "
            "or leave it empty for any"
        )
    if kind and kind not in CHANGE_KINDS:
        raise InvalidFilterError(
            f"invalid change kind {kind!r}; use one of {', '.join(CHANGE_KINDS)} "
            "or leave it empty for any"
        )
    return ChangeFilter(
        platform_id=platform.strip() or None,
        document_record_id=document.strip() or None,
        clause_type_id=clause_type.strip() or None,
        min_severity=severity or None,
        material_only=material,
        kind=kind or None,
    )
