"""API of the bulk exports: current provisions and changes, streamed as CSV or JSONL."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse

from clausewatch.exports import MEDIA_TYPES, export_chunks
from clausewatch.web.context import web_context
from clausewatch.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["exports"], responses=ERROR_RESPONSES)

STREAMED_TEXT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": (
            "The export, streamed: CSV with a header row, or JSON Lines with one "
            "object per line. Both are UTF-8."
        ),
        "content": {
            MEDIA_TYPES["csv"]: {"schema": {"type": "string"}},
            MEDIA_TYPES["jsonl"]: {"schema": {"type": "string"}},
        },
    }
}


@router.get(
    "/exports/{kind}",
    response_class=StreamingResponse,
    responses=STREAMED_TEXT,
)
def export(
    request: Request,
    kind: Annotated[
        Literal["provisions", "changes"],
        Path(description="provisions (the current ones) or changes (every one)."),
    ],
    format: Annotated[
        Literal["csv", "jsonl"], Query(description="csv or jsonl.")
    ] = "csv",
    platform: Annotated[str, Query(description="Only this platform id.")] = "",
) -> StreamingResponse:
    """Download every current provision or every documented change in one file.

    Rows are read from the store in batches while the response is sent, so a large
    store takes no more memory than a small one. Provisions come with their clause
    types (confidence, severity, stance) and first and last seen times; JSONL rows
    have the fields of the provision record and of the changes list. CSV cells that
    start like a spreadsheet formula (=, +, -, @) are prefixed with a single quote.
    An unknown platform is a 404.
    """
    store = web_context(request).store
    chunks = export_chunks(store.session, kind, format, platform_id=platform or None)
    suffix = f"-{platform}" if platform else ""
    filename = f"clausewatch-{kind}{suffix}.{format}"
    return StreamingResponse(
        (chunk.encode("utf-8") for chunk in chunks),
        media_type=f"{MEDIA_TYPES[format]}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
