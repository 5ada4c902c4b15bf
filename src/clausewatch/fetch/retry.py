"""When a failed request is tried again, and after how long."""

from __future__ import annotations

import ssl
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

RETRY_STATUSES = frozenset({429, 502, 503, 504})

# Connection failures and responses cut short, so no complete response arrived.
RETRY_ERRORS: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.ReadError,
    httpx.ReadTimeout,
    httpx.RemoteProtocolError,
    TimeoutError,
)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

BACKOFF_BASE_SECONDS = 0.5

# A longer Retry-After is not waited for: the fetch fails and the next scheduled run
# tries again, so one slow site cannot hold a fetch slot for minutes.
MAX_RETRY_AFTER_SECONDS = 10.0


def backoff_delay(attempt: int) -> float:
    """Return the wait before retry number ``attempt + 1`` (0.5 s, 1 s, 2 s, ...)."""
    return BACKOFF_BASE_SECONDS * 2.0**attempt


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Return the delay in seconds that a Retry-After header requests."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def is_permanent(error: BaseException) -> bool:
    """Return whether a network error cannot go away by retrying (a bad certificate)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def describe_error(error: Exception) -> str:
    """Return a short description of a network error, with its type."""
    if isinstance(error, TimeoutError):
        return "the request timed out"
    detail = str(error) or "no detail"
    return f"{type(error).__name__}: {detail}"
