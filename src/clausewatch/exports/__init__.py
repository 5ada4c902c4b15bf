"""Bulk exports of current provisions and of changes, as CSV or JSON Lines.

``export_chunks`` is the one entry point of the CLI and the API: it reads rows in
batches and yields the encoded text chunk by chunk, so neither keeps the whole export
in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import TypeAdapter

from clausewatch.errors import ClausewatchError
from clausewatch.exports.formats import csv_chunks, jsonl_chunks, neutralise_cell
from clausewatch.exports.tables import (
    CHANGE_COLUMNS,
    PROVISION_COLUMNS,
    change_cells,
    provision_cells,
)
from clausewatch.figures.changes import ChangeItem
from clausewatch.figures.export_rows import (
    ProvisionExportRow,
    SessionOpener,
    iter_change_rows,
    iter_provision_rows,
)

EXPORT_KINDS = ("provisions", "changes")
EXPORT_FORMATS = ("csv", "jsonl")
MEDIA_TYPES = {"csv": "text/csv", "jsonl": "application/x-ndjson"}


class InvalidExportError(ClausewatchError):
    """An export names an unknown kind of rows or an unknown format."""

    exit_code = 2


def export_chunks(
    open_session: SessionOpener,
    kind: str,
    format_name: str,
    *,
    platform_id: str | None = None,
) -> Iterator[str]:
    """Yield the text of an export in chunks, the header or first rows first.

    Raises InvalidExportError for an unknown kind or format and NotFoundError for an
    unknown platform, both before the first chunk.
    """
    if kind not in EXPORT_KINDS:
        raise InvalidExportError(
            f"unknown export {kind!r}: use one of {', '.join(EXPORT_KINDS)}"
        )
    if format_name not in EXPORT_FORMATS:
        raise InvalidExportError(
            f"unknown export format {format_name!r}: use one of "
            f"{', '.join(EXPORT_FORMATS)}"
        )
    rows: Iterator[Any]
    if kind == "provisions":
        rows = iter_provision_rows(open_session, platform_id=platform_id)
    else:
        rows = iter_change_rows(open_session, platform_id=platform_id)
    # Reading the first row runs the platform check, so an unknown platform is an
    # error before any output, never a file with a header alone.
    first = next(rows, None)
    rows = _chain(first, rows)
    if format_name == "jsonl":
        return jsonl_chunks(rows, _ADAPTERS[kind])
    if kind == "provisions":
        return csv_chunks(PROVISION_COLUMNS, rows, provision_cells)
    return csv_chunks(CHANGE_COLUMNS, rows, change_cells)


_ADAPTERS: dict[str, TypeAdapter[Any]] = {
    "provisions": TypeAdapter(ProvisionExportRow),
    "changes": TypeAdapter(ChangeItem),
}


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    if first is None:
        return
    yield first
    yield from rest


__all__ = [
    "EXPORT_FORMATS",
    "EXPORT_KINDS",
    "MEDIA_TYPES",
    "InvalidExportError",
    "export_chunks",
    "neutralise_cell",
]
