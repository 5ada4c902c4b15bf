"""Errors of the fetch stage that carry more than a message."""

from __future__ import annotations

from clausewatch.errors import FetchError


class FetchStatusError(FetchError):
    """The server returned an HTTP error status (4xx or 5xx) after any retries."""

    def __init__(self, message: str, *, url: str, status: int) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
