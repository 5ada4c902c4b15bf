"""The fetcher: one object per tracker run that fetches document pages."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from types import TracebackType

import httpx

from clausewatch.fetch.browser import BrowserRenderer
from clausewatch.fetch.charset import resolve_charset
from clausewatch.fetch.errors import FetchStatusError
from clausewatch.fetch.mediatype import HTML, detect_media_type, is_text
from clausewatch.fetch.result import FetchResult
from clausewatch.fetch.session import HTTPSession, RawResponse
from clausewatch.settings import Settings

logger = logging.getLogger(__name__)

RENDERABLE_TYPES = frozenset({HTML, "application/xhtml+xml"})


class Fetcher:
    """Fetch document pages over HTTP, or render them in chromium when asked.

    ``transport`` replaces the guarded network transport, for example with
    ``httpx.MockTransport``. The URL checks before each request still apply, but
    connections are then no longer pinned to the checked addresses.
    """

    def __init__(
        self, settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._settings = settings
        self._session = HTTPSession(settings, transport)
        self._renderer = BrowserRenderer(settings, self._session)
        self._limit = asyncio.Semaphore(settings.fetch_concurrency)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the browser, if one was started, and the HTTP connections."""
        await self._renderer.aclose()
        await self._session.aclose()

    async def fetch(self, url: str, *, browser: bool = False) -> FetchResult:
        """Fetch one URL and return its final response.

        Raises BlockedURLError when the guard rejects the URL or a redirect target,
        FetchStatusError for an HTTP error status, and FetchError for every other
        failure (network, redirect loop, size limit, browser).
        """
        async with self._limit:
            started = time.monotonic()
            fetched_at = datetime.now(UTC)
            response = await self._session.request(url)
            raise_for_status(url, response)
            result = build_result(url, response, fetched_at)
            if browser and result.content_type in RENDERABLE_TYPES:
                result = await self._render(url, response, fetched_at)
            elif browser:
                logger.info(
                    "not rendering %s in the browser: it is %s, not HTML",
                    url,
                    result.content_type,
                )
        logger.info(
            "fetched %s: status %d, %d bytes, %.2f s%s",
            url,
            result.status,
            len(result.body),
            time.monotonic() - started,
            " (browser)" if result.via_browser else "",
        )
        return result

    async def _render(
        self, url: str, response: RawResponse, fetched_at: datetime
    ) -> FetchResult:
        html, final_url, status, headers = await self._renderer.render(response)
        return FetchResult(
            url=url,
            final_url=final_url,
            status=status,
            content_type=HTML,
            charset="utf-8",
            headers=headers,
            body=html.encode("utf-8"),
            fetched_at=fetched_at,
            via_browser=True,
        )


def raise_for_status(url: str, response: RawResponse) -> None:
    """Raise FetchStatusError for a 4xx or 5xx final response."""
    if response.status < 400:
        return
    retry_after = response.headers.get("retry-after")
    hint = (
        f"the server asked to retry after {retry_after}, so try again later"
        if retry_after
        else "check that the document URL in the declaration is still valid"
        if response.status < 500
        else "the site has a problem, so try again later"
    )
    raise FetchStatusError(
        f"HTTP {response.status} {response.reason} from {response.final_url} "
        f"(requested {url}); {hint}",
        url=url,
        status=response.status,
    )


def build_result(url: str, response: RawResponse, fetched_at: datetime) -> FetchResult:
    """Turn a final HTTP response into a FetchResult with media type and charset."""
    header = response.headers.get("content-type")
    content_type = detect_media_type(header, response.body)
    charset = (
        resolve_charset(response.body, header, html=content_type == HTML)
        if is_text(content_type)
        else None
    )
    return FetchResult(
        url=url,
        final_url=response.final_url,
        status=response.status,
        content_type=content_type,
        charset=charset,
        headers=dict(response.headers),
        body=response.body,
        fetched_at=fetched_at,
        via_browser=False,
    )
