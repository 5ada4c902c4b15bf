"""One error shape over HTTP: JSON for the API and feeds' callers, a page for browsers.

Every error body of the JSON API is ``{"error": {"status", "code", "message"}}``, for a
missing record (404), an invalid parameter (422) and anything in between.

Pages and the API use the same statuses. A parameter value that is malformed, not one
of the allowed values, or impossible together with another parameter is a 422; a
parameter naming a record that does not exist is a 404. The changes and search pages
respond with their form and the message, so the reader can correct the value.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from clausewatch.errors import ClausewatchError, NotFoundError, quote_value
from clausewatch.figures.changes import InvalidFilterError
from clausewatch.web.rendering import render_error_page

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


class InvalidParameterError(ClausewatchError):
    """A request parameter is invalid, or two parameters do not fit together."""


class ErrorDetail(BaseModel):
    """Description of a failure: HTTP status, stable machine-readable code, message."""

    status: int
    code: str
    message: str


class ErrorBody(BaseModel):
    """The body of every error response of the JSON API."""

    error: ErrorDetail


#: The documented error responses of every API operation.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorBody, "description": "The request cannot be served as sent."},
    404: {"model": ErrorBody, "description": "The record does not exist."},
    422: {"model": ErrorBody, "description": "A parameter is invalid."},
}


def status_code_name(status: int) -> str:
    """Return a snake_case code for an HTTP status (404 -> "not_found")."""
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


#: A parameter pattern that requires a letter or digit somewhere in the value.
WORD_PATTERN = r"\w"
#: Message of a search query without a word, after the quoted query.
NO_WORD_EXPLANATION = (
    "contains no word to look for; type one or more words, such as: delete account"
)

# Wording of a pattern mismatch, by pattern. The validator's own message names the
# regular expression, which readers cannot act on.
PATTERN_EXPLANATIONS = {WORD_PATTERN: NO_WORD_EXPLANATION}


def describe_validation(error: RequestValidationError) -> str:
    """Summarize validation errors as "query parameter limit: Input should be ..."."""
    parts = []
    for item in error.errors():
        location = [str(part) for part in item.get("loc", ())]
        where = location[0] if location else "request"
        name = ".".join(location[1:])
        label = f"{where} parameter {name}" if name else where
        parts.append(f"{label}: {_message_of(item)}")
    detail = "; ".join(parts) or "invalid request"
    return f"invalid request: {detail}; correct the value and retry"


def _message_of(item: Mapping[str, Any]) -> str:
    pattern = (item.get("ctx") or {}).get("pattern")
    explanation = PATTERN_EXPLANATIONS.get(pattern) if pattern else None
    if item.get("type") == "string_pattern_mismatch" and explanation:
        return f"{quote_value(str(item.get('input', '')))} {explanation}"
    return str(item.get("msg", "invalid value"))


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every error into the one shape."""

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, error: NotFoundError) -> Response:
        return await _respond(request, 404, "not_found", str(error))

    @app.exception_handler(InvalidParameterError)
    @app.exception_handler(InvalidFilterError)
    async def _invalid_value(request: Request, error: ClausewatchError) -> Response:
        return await _respond(request, 422, "invalid_parameter", str(error))

    @app.exception_handler(ClausewatchError)
    async def _clausewatch(request: Request, error: ClausewatchError) -> Response:
        return await _respond(request, 400, "bad_request", str(error))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        return await _respond(
            request, 422, "invalid_parameter", describe_validation(error)
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        message = str(error.detail)
        if error.status_code == 404 and message == "Not Found":
            message = (
                f"no page at {request.url.path}; start from the home page or "
                "/api/v1/openapi.json"
            )
        elif error.status_code == 405:
            message = f"method {request.method} is not allowed on {request.url.path}"
        return await _respond(
            request,
            error.status_code,
            status_code_name(error.status_code),
            message,
            headers=getattr(error, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return await _respond(
            request,
            500,
            "internal_error",
            "the server failed to handle this request; the error is logged, "
            "retry later or report it with the time of the request",
        )


async def _respond(
    request: Request,
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
) -> Response:
    if _wants_json(request):
        body = ErrorBody(error=ErrorDetail(status=status, code=code, message=message))
        return JSONResponse(body.model_dump(), status_code=status, headers=headers)
    return render_error_page(request, status, message, headers=headers)


def _wants_json(request: Request) -> bool:
    if request.url.path.startswith(API_PREFIX):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept
