"""CSV and JSONL encodings of export rows, one chunk of text per batch of rows.

CSV cells that a spreadsheet would read as a formula are neutralised as OWASP's
"CSV Injection" page recommends: a cell starting with =, +, -, @, a tab or a carriage
return gets a leading single quote, so the cell shows as text and runs nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from pydantic import TypeAdapter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Rows encoded per chunk of text handed to the writer or the HTTP response.
CHUNK_ROWS = 200


def neutralise_cell(value: object) -> object:
    """Prefix a text cell that starts like a formula with a single quote.

    Numbers, booleans and None pass unchanged, because a spreadsheet reads them as
    values, never as formulas.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_chunks(
    header: Sequence[str],
    rows: Iterable[Any],
    to_cells: Callable[[Any], Sequence[object]],
) -> Iterator[str]:
    """Encode rows as CSV text: the header row first, then chunks of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([neutralise_cell(cell) for cell in to_cells(row)])
        count += 1
        if count % CHUNK_ROWS == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def jsonl_chunks(rows: Iterable[Any], adapter: TypeAdapter[Any]) -> Iterator[str]:
    """Encode rows as JSON Lines, one object per line, as the JSON API writes them."""
    lines: list[str] = []
    for row in rows:
        lines.append(adapter.dump_json(row).decode("utf-8"))
        if len(lines) == CHUNK_ROWS:
            yield "\n".join(lines) + "\n"
            lines = []
    if lines:
        yield "\n".join(lines) + "\n"


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
