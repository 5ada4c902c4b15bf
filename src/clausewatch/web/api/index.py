"""The API root: its name, version and links to the OpenAPI document and collections."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from clausewatch.web.errors import ERROR_RESPONSES

API_ROOT = "/api/v1"
#: The collections a client starts from; every other operation is linked from these
#: or described in the OpenAPI document.
COLLECTIONS = {
    "platforms": f"{API_ROOT}/platforms",
    "changes": f"{API_ROOT}/changes",
    "search": f"{API_ROOT}/search",
    "clause_types": f"{API_ROOT}/clause-types",
}

router = APIRouter(tags=["index"], responses=ERROR_RESPONSES)


class ApiIndex(BaseModel):
    """The entry points a client needs to start using the API."""

    name: str
    version: str
    openapi: str = Field(description="Path of the OpenAPI document.")
    collections: dict[str, str] = Field(
        description="Paths of the main collections, by name."
    )


@router.get(API_ROOT, response_model=ApiIndex)
def api_index(request: Request) -> ApiIndex:
    """Name the API and link its OpenAPI document and main collections."""
    return ApiIndex(
        name=request.app.title,
        version=request.app.version,
        openapi=request.app.openapi_url,
        collections=COLLECTIONS,
    )


# Clients and tools look for the schema at the site root first. The redirect is
# temporary (307) because the root names the current API version's schema.
@router.get("/openapi.json", include_in_schema=False)
def openapi_at_root(request: Request) -> RedirectResponse:
    """Redirect to the OpenAPI document of the current API version."""
    return RedirectResponse(request.app.openapi_url, status_code=307)
