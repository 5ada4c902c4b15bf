"""Render JavaScript-built pages in Debian's chromium, driven by Playwright.

Chromium never reaches the network itself. Every request the page makes is intercepted
and fulfilled from the fetcher's own HTTP session, so the SSRF guard, the address
pinning, the size limit and the retries apply to each one, and requests the guard
rejects are aborted. Playwright does not intercept the second leg of a redirect, so
the session follows redirects itself and hands chromium the final response. As a
second wall, chromium's resolver fails every host name and IP literal, so a request
that escapes interception (a preconnect, a WebSocket) cannot connect anywhere.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from clausewatch.errors import BlockedURLError, FetchError
from clausewatch.fetch.session import HTTPSession, RawResponse
from clausewatch.settings import Settings

if TYPE_CHECKING:
    # Playwright is imported where a page is rendered, because most commands never
    # start the browser.
    from playwright.async_api import Browser, Page, Playwright, Request, Route

logger = logging.getLogger(__name__)

BROWSER_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)

# Starting chromium is not part of a page load, so browser_timeout does not bound it.
LAUNCH_TIMEOUT_SECONDS = 60.0

# Hop-by-hop headers and those that describe the body as sent over the wire, which the
# session has already decompressed. Cookies stay in the session's cookie jar.
DROPPED_RESPONSE_HEADERS = frozenset(
    {
        "connection",
        "content-encoding",
        "content-length",
        "keep-alive",
        "set-cookie",
        "transfer-encoding",
    }
)
DROPPED_REQUEST_HEADERS = frozenset(
    {"accept-encoding", "connection", "content-length", "host", "user-agent"}
)


class BrowserRenderer:
    """One chromium process, launched on first use and shared by all renders."""

    def __init__(self, settings: Settings, session: HTTPSession) -> None:
        self._settings = settings
        self._session = session
        self._lock = asyncio.Lock()
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None

    async def _ensure_browser(self) -> Browser:
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import async_playwright

        async with self._lock:
            if self._browser is not None:
                return self._browser
            executable = self._settings.browser_executable
            if not executable.is_file():
                raise FetchError(
                    f"browser not found at {executable}; install Debian's chromium "
                    "package or set CLAUSEWATCH_BROWSER_EXECUTABLE to a chromium binary"
                )
            self._playwright = await async_playwright().start()
            try:
                # Playwright gives each launch a fresh temporary profile directory
                # and deletes it on close. Its own browser download does not work
                # offline, hence the explicit executable.
                self._browser = await self._playwright.chromium.launch(
                    executable_path=str(executable),
                    args=list(BROWSER_ARGS),
                    headless=True,
                    timeout=LAUNCH_TIMEOUT_SECONDS * 1000,
                )
            except PlaywrightError as error:
                await self._playwright.stop()
                self._playwright = None
                raise FetchError(
                    f"could not start the browser {executable}: {error.message}; "
                    "check that it runs with --headless"
                ) from error
            return self._browser

    async def aclose(self) -> None:
        async with self._lock:
            if self._browser is not None:
                await self._browser.close()
                self._browser = None
            if self._playwright is not None:
                await self._playwright.stop()
                self._playwright = None

    async def render(
        self, document: RawResponse
    ) -> tuple[str, str, int, dict[str, str]]:
        """Load an already fetched HTML document in chromium and run its scripts.

        Returns the rendered HTML, the page URL, the status and the headers of the
        main response.
        """
        from playwright.async_api import Error as PlaywrightError

        browser = await self._ensure_browser()
        context = await browser.new_context(
            user_agent=self._settings.user_agent,
            service_workers="block",
            accept_downloads=False,
        )
        served = asyncio.Event()

        async def handle(route: Route) -> None:
            if not served.is_set() and _is_main_navigation(route.request):
                served.set()
                await _fulfill(route, document)
                return
            await self._serve(route)

        try:
            await context.route("**/*", handle)
            page = await context.new_page()
            deadline = time.monotonic() + self._settings.browser_timeout
            response = await page.goto(
                document.final_url,
                wait_until="load",
                timeout=self._settings.browser_timeout * 1000,
            )
            await self._wait_for_network_idle(page, deadline)
            html = await page.content()
            status = response.status if response is not None else document.status
            headers = await response.all_headers() if response is not None else {}
            return html, page.url, status, headers
        except PlaywrightError as error:
            raise FetchError(
                f"the browser could not render {document.final_url}: {error.message}; "
                "raise CLAUSEWATCH_BROWSER_TIMEOUT if the page is slow"
            ) from error
        finally:
            await context.close()

    async def _wait_for_network_idle(self, page: Page, deadline: float) -> None:
        from playwright.async_api import TimeoutError as PlaywrightTimeoutError

        # Playwright reads a timeout of 0 as "no timeout", so at least 1 ms is left.
        remaining_ms = max(1.0, (deadline - time.monotonic()) * 1000)
        try:
            await page.wait_for_load_state("networkidle", timeout=remaining_ms)
        except PlaywrightTimeoutError:
            # Pages that poll forever never go idle; what has rendered is still used.
            logger.warning(
                "network of %s still busy after %.1f s; using the page as rendered",
                page.url,
                self._settings.browser_timeout,
            )

    async def _serve(self, route: Route) -> None:
        request = route.request
        try:
            response = await self._session.request(
                request.url,
                method=request.method,
                headers=await _forwarded_headers(request),
                content=request.post_data_buffer,
            )
        except BlockedURLError as error:
            logger.warning("blocked a browser request: %s", error)
            await _abort(route, "blockedbyclient")
            return
        except FetchError as error:
            logger.info("browser request for %s failed: %s", request.url, error)
            await _abort(route, "failed")
            return
        await _fulfill(route, response)


def _is_main_navigation(request: Request) -> bool:
    from playwright.async_api import Error as PlaywrightError

    try:
        return request.is_navigation_request() and request.frame.parent_frame is None
    except PlaywrightError:
        return False


async def _forwarded_headers(request: Request) -> dict[str, str]:
    headers = await request.all_headers()
    return {
        name: value
        for name, value in headers.items()
        if name.lower() not in DROPPED_REQUEST_HEADERS and not name.startswith(":")
    }


async def _fulfill(route: Route, response: RawResponse) -> None:
    from playwright.async_api import Error as PlaywrightError

    headers = {
        name: value
        for name, value in response.headers.items()
        if name not in DROPPED_RESPONSE_HEADERS
    }
    try:
        await route.fulfill(status=response.status, headers=headers, body=response.body)
    except PlaywrightError as error:
        # The page may have been closed while the response was being fetched.
        logger.debug("could not hand %s to the browser: %s", route.request.url, error)


async def _abort(route: Route, reason: str) -> None:
    from playwright.async_api import Error as PlaywrightError

    try:
        await route.abort(reason)
    except PlaywrightError as error:
        logger.debug("could not abort %s: %s", route.request.url, error)
