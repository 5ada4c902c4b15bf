"""Change filters from query parameters, shared by the changes page, API and feeds."""

from __future__ import annotations

from clausewatch.figures.changes import ChangeFilter


def change_filter(
    *,
    platform: str = "",
    document: str = "",
    clause_type: str = "",
    severity: str = "",
    material: bool = False,
    kind: str = "",
) -> ChangeFilter:
    """Build a change filter from form values; an empty value means "any".

    Raises InvalidFilterError when severity or kind is not one of the allowed values.
    """
    return ChangeFilter(
        platform_id=platform.strip() or None,
        document_record_id=document.strip() or None,
        clause_type_id=clause_type.strip() or None,
        min_severity=severity or None,
        material_only=material,
        kind=kind or None,
    )
