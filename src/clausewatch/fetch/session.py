"""HTTP requests with the guard, retries, manual redirects and a streamed size limit."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import httpx

from clausewatch.errors import FetchError
from clausewatch.fetch.decoders import ACCEPT_ENCODING, build_decoder
from clausewatch.fetch.guard import (
    AllowList,
    ascii_host,
    effective_port,
    parse_checked_url,
    resolve_allowed,
)
from clausewatch.fetch.retry import (
    IDEMPOTENT_METHODS,
    MAX_RETRY_AFTER_SECONDS,
    RETRY_ERRORS,
    RETRY_STATUSES,
    backoff_delay,
    describe_error,
    is_permanent,
    parse_retry_after,
)
from clausewatch.fetch.transport import GuardedTransport
from clausewatch.settings import Settings

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

DEFAULT_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,application/pdf;q=0.9,"
    "*/*;q=0.8"
)


@dataclass(frozen=True)
class RawResponse:
    """The final response of a request, its body decompressed."""

    final_url: str
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes


class HTTPSession:
    """One httpx client shared by all fetches of a ``Fetcher``."""

    def __init__(
        self, settings: Settings, transport: httpx.AsyncBaseTransport | None
    ) -> None:
        self._settings = settings
        self._allow = AllowList.from_settings(settings)
        if transport is None:
            transport = GuardedTransport(
                self._allow,
                timeout=settings.fetch_timeout,
                max_connections=settings.fetch_concurrency
                * settings.fetch_per_host_concurrency,
            )
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(settings.fetch_timeout),
            headers={
                "User-Agent": settings.user_agent,
                "Accept": DEFAULT_ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            follow_redirects=False,
            # Proxy variables and .netrc would bypass the address checks.
            trust_env=False,
        )
        self._host_limits: dict[str, asyncio.Semaphore] = {}

    async def aclose(self) -> None:
        await self._client.aclose()

    async def check_url(self, url: str) -> httpx.URL:
        """Parse a URL and check it and every address of its host against the guard."""
        parsed = parse_checked_url(url)
        try:
            await asyncio.wait_for(
                asyncio.to_thread(
                    resolve_allowed,
                    ascii_host(parsed),
                    effective_port(parsed),
                    self._allow,
                    url,
                ),
                self._settings.fetch_timeout,
            )
        except TimeoutError:
            raise FetchError(
                f"resolving the host of {url} took more than "
                f"{self._settings.fetch_timeout} s; check the host name and DNS"
            ) from None
        return parsed

    async def request(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
    ) -> RawResponse:
        """Send a request, following redirects through the guard, to its final response.

        Error statuses are returned, not raised. Raises BlockedURLError for a URL or
        redirect target the guard rejects and FetchError for network failures,
        redirect loops, too many redirects and bodies over the size limit.
        """
        target = await self.check_url(url)
        # A URL may come up again after a redirect set a cookie (consent pages do
        # this), so it is a loop only if no cookie was set since its last visit.
        cookies_set = 0
        visited = {str(target.copy_with(fragment=None)): cookies_set}
        redirects = 0
        while True:
            response = await self._send_with_retries(target, method, headers, content)
            location = response.headers.get("location")
            if response.status not in REDIRECT_STATUSES or not location:
                return response

            next_url = self._redirect_target(target, location)
            if "set-cookie" in response.headers:
                cookies_set += 1
            if visited.get(next_url) == cookies_set:
                raise FetchError(
                    f"redirect loop at {next_url} while fetching {url}: the server "
                    "redirected back to a URL already visited, so fix the document "
                    "URL or report the problem to the site"
                )
            if redirects >= self._settings.fetch_max_redirects:
                raise FetchError(
                    f"more than {self._settings.fetch_max_redirects} redirects from "
                    f"{url} (the last one to {next_url}); use the final URL as the "
                    "document URL or raise CLAUSEWATCH_FETCH_MAX_REDIRECTS"
                )
            redirects += 1
            previous, target = target, await self.check_url(next_url)
            visited[next_url] = cookies_set
            if headers and _origin(previous) != _origin(target):
                headers = _without_credentials(headers)
            if response.status == 303 or (
                response.status in (301, 302) and method not in ("GET", "HEAD")
            ):
                method, content = "GET", None

    @staticmethod
    def _redirect_target(current: httpx.URL, location: str) -> str:
        try:
            return str(current.join(location).copy_with(fragment=None))
        except httpx.InvalidURL as error:
            raise FetchError(
                f"invalid redirect from {current} to {location!r}: {error}"
            ) from None

    async def _send_with_retries(
        self,
        url: httpx.URL,
        method: str,
        headers: dict[str, str] | None,
        content: bytes | None,
    ) -> RawResponse:
        attempts = 1 + (
            self._settings.fetch_retries if method in IDEMPOTENT_METHODS else 0
        )
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = await self._send_once(url, method, headers, content)
            except RETRY_ERRORS as error:
                if last or is_permanent(error):
                    raise FetchError(
                        f"could not fetch {url} after {attempt + 1} attempt(s): "
                        f"{describe_error(error)}; check that the site is reachable, "
                        "or raise CLAUSEWATCH_FETCH_TIMEOUT or "
                        "CLAUSEWATCH_FETCH_RETRIES"
                    ) from error
                delay, cause = backoff_delay(attempt), describe_error(error)
            except httpx.HTTPError as error:
                raise FetchError(
                    f"could not fetch {url}: {describe_error(error)}; check the URL "
                    "and that the site speaks HTTP/1.1 over http or https"
                ) from error
            else:
                if response.status not in RETRY_STATUSES or last:
                    return response
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                if retry_after is not None and retry_after > MAX_RETRY_AFTER_SECONDS:
                    return response
                delay = backoff_delay(attempt) if retry_after is None else retry_after
                cause = f"HTTP {response.status}"
            logger.warning(
                "retrying %s in %.1f s after %s (attempt %d of %d)",
                url,
                delay,
                cause,
                attempt + 2,
                attempts,
            )
            await asyncio.sleep(delay)
        raise AssertionError("the last attempt returns or raises")

    def _host_limit(self, url: httpx.URL) -> asyncio.Semaphore:
        host = url.host
        if host not in self._host_limits:
            self._host_limits[host] = asyncio.Semaphore(
                self._settings.fetch_per_host_concurrency
            )
        return self._host_limits[host]

    async def _send_once(
        self,
        url: httpx.URL,
        method: str,
        headers: dict[str, str] | None,
        content: bytes | None,
    ) -> RawResponse:
        async with self._host_limit(url), asyncio.timeout(self._settings.fetch_timeout):
            request = self._client.build_request(
                method, url, headers=headers, content=content
            )
            response = await self._client.send(request, stream=True)
            try:
                # Bodies of redirects and of responses about to be retried are skipped.
                skip = response.status_code in RETRY_STATUSES or (
                    response.status_code in REDIRECT_STATUSES
                    and "location" in response.headers
                )
                body = b"" if skip else await self._read_body(response, url)
            finally:
                await response.aclose()
        return RawResponse(
            final_url=str(url),
            status=response.status_code,
            reason=response.reason_phrase,
            # NOTE: httpx joins repeated headers with ", ", which garbles Set-Cookie
            # values that contain dates; the cookie jar itself still gets them right.
            headers={name.lower(): value for name, value in response.headers.items()},
            body=body,
        )

    async def _read_body(self, response: httpx.Response, url: httpx.URL) -> bytes:
        limit = self._settings.fetch_max_bytes
        encoding = response.headers.get("content-encoding")
        declared = response.headers.get("content-length", "")
        if not encoding and declared.isdigit() and int(declared) > limit:
            raise self._too_large(url, limit, f" (Content-Length is {declared})")

        decoder = build_decoder(encoding)
        body = bytearray()
        async for chunk in response.aiter_raw():
            for piece in decoder.feed(chunk):
                body += piece
                if len(body) > limit:
                    raise self._too_large(url, limit)
        for piece in decoder.flush():
            body += piece
            if len(body) > limit:
                raise self._too_large(url, limit)
        return bytes(body)

    @staticmethod
    def _too_large(url: httpx.URL, limit: int, detail: str = "") -> FetchError:
        return FetchError(
            f"response from {url} is larger than the limit of {limit} bytes after "
            f"decompression{detail}; the download was stopped. Raise "
            "CLAUSEWATCH_FETCH_MAX_BYTES if the document is really that large"
        )


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


def _without_credentials(headers: dict[str, str]) -> dict[str, str]:
    # Credentials given for one origin must not follow a redirect to another.
    return {
        name: value
        for name, value in headers.items()
        if name.lower() not in ("authorization", "cookie", "proxy-authorization")
    }
