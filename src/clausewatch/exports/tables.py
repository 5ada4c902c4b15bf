"""Columns of the CSV exports: one row per provision or per change.

A provision can have several clause types, so its CSV row lists them in one cell and
their confidence, severity and stance in three more cells, in the same order, joined
by LIST_SEPARATOR. JSONL keeps them as a list of objects instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from clausewatch.figures.changes import ChangeItem
from clausewatch.figures.export_rows import ProvisionExportRow

LIST_SEPARATOR = "; "
HEADING_SEPARATOR = " > "

PROVISION_COLUMNS = (
    "platform_id",
    "platform_name",
    "document_record_id",
    "terms_type",
    "record_id",
    "number",
    "heading_path",
    "kind",
    "text",
    "text_sha256",
    "clause_types",
    "confidences",
    "severities",
    "stances",
    "max_severity",
    "first_version",
    "first_seen",
    "last_version",
    "last_seen",
)

CHANGE_COLUMNS = (
    "id",
    "occurred_at",
    "platform_id",
    "platform_name",
    "document_record_id",
    "terms_type",
    "version_number",
    "previous_version_number",
    "provision_record_id",
    "kind",
    "material",
    "max_severity",
    "clause_types_before",
    "clause_types_after",
    "severity_before",
    "severity_after",
    "terms_added",
    "terms_removed",
    "sentence",
)


def timestamp(value: datetime) -> str:
    """Write a time as ISO 8601 UTC with a Z, as the JSON API does."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def provision_cells(row: ProvisionExportRow) -> Sequence[object]:
    """Return the CSV cells of one provision, in PROVISION_COLUMNS order."""
    labels = row.labels
    return (
        row.platform_id,
        row.platform_name,
        row.document_record_id,
        row.terms_type,
        row.record_id,
        row.number,
        HEADING_SEPARATOR.join(row.heading_path),
        row.kind,
        row.text,
        row.text_sha256,
        LIST_SEPARATOR.join(label.clause_type_id for label in labels),
        LIST_SEPARATOR.join(f"{label.confidence:.3f}" for label in labels),
        LIST_SEPARATOR.join(label.severity for label in labels),
        LIST_SEPARATOR.join(label.stance for label in labels),
        # Labels come highest severity first, as on the provision page.
        labels[0].severity if labels else "",
        row.first_version.number,
        timestamp(row.first_seen),
        row.last_version.number,
        timestamp(row.last_seen),
    )


def change_cells(item: ChangeItem) -> Sequence[object]:
    """Return the CSV cells of one change, in CHANGE_COLUMNS order."""
    summary: dict[str, Any] = item.summary
    return (
        item.id,
        timestamp(item.occurred_at),
        item.platform_id,
        item.platform_name,
        item.document_record_id,
        item.terms_type,
        item.version_number,
        item.previous_version_number,
        item.provision_record_id,
        item.kind,
        item.material,
        item.max_severity,
        LIST_SEPARATOR.join(summary.get("clause_types_before") or ()),
        LIST_SEPARATOR.join(summary.get("clause_types_after") or ()),
        summary.get("severity_before"),
        summary.get("severity_after"),
        LIST_SEPARATOR.join(summary.get("terms_added") or ()),
        LIST_SEPARATOR.join(summary.get("terms_removed") or ()),
        item.sentence,
    )
