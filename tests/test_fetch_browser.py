"""Rendering JavaScript pages in chromium, with every browser request guarded."""

from __future__ import annotations

import asyncio
import logging
import os
import select
import socket
from collections.abc import Iterator

import pytest

from clausewatch.fetch import Fetcher, FetchResult
from clausewatch.settings import Settings
from tests.test_fetch_support import (
    LOOPBACK,
    LocalServer,
    LoopbackOnlyTransport,
    Reply,
    fetch_once,
    make_settings,
)

pytestmark = pytest.mark.browser

HTML = {"Content-Type": "text/html; charset=utf-8"}
METADATA_URL = "http://169.254.169.254/latest/meta-data/iam"

JS_PAGE = b"""<!doctype html><html><head><title>Terms</title>
<script src="app.js"></script></head>
<body><main id="terms">Loading...</main>
<script>document.getElementById("terms").textContent += " " + rendered();</script>
</body></html>"""
JS_APP = b"function rendered() { return 'Terms written by JavaScript'; }"

PROBE_PAGE = b"""<!doctype html><html><head><title>Probe</title></head><body>
<img src="http://169.254.169.254/latest/meta-data/icon.png">
<p id="direct">waiting</p><p id="redirected">waiting</p>
<script>
function report(id, url) {
  return fetch(url).then(
    (r) => { document.getElementById(id).textContent = id + " got " + r.status; },
    () => { document.getElementById(id).textContent = id + " request blocked"; });
}
report("direct", "http://169.254.169.254/latest/meta-data/iam");
report("redirected", "/to-metadata");
</script></body></html>"""


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    yield local
    local.stop()


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = make_settings(tmp_path_factory.mktemp("browser"))
    if not settings.browser_executable.is_file():
        message = f"chromium not found at {settings.browser_executable}"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must install Debian's chromium package")
        pytest.skip(f"{message}; install Debian's chromium package to run this test")
    return settings


class SharedFetcher:
    """One Fetcher, and so one chromium, kept in its own event loop for a module."""

    def __init__(self, settings: Settings) -> None:
        self.transport = LoopbackOnlyTransport()
        self._loop = asyncio.new_event_loop()
        self._fetcher = Fetcher(settings, transport=self.transport)

    def fetch(self, url: str, *, browser: bool = True) -> FetchResult:
        return self._loop.run_until_complete(self._fetcher.fetch(url, browser=browser))

    def close(self) -> None:
        self._loop.run_until_complete(self._fetcher.aclose())
        self._loop.close()


@pytest.fixture(scope="module")
def shared(settings: Settings) -> Iterator[SharedFetcher]:
    fetcher = SharedFetcher(settings)
    yield fetcher
    fetcher.close()
    assert fetcher.transport.blocked == []


def test_browser_renders_javascript(server: LocalServer, shared: SharedFetcher) -> None:
    server.add(
        "/app.js", Reply(headers={"Content-Type": "text/javascript"}, body=JS_APP)
    )
    url = server.add("/terms", Reply(headers=HTML, body=JS_PAGE))

    result = shared.fetch(url)

    assert result.via_browser is True
    assert result.status == 200
    assert result.final_url == url
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert "Loading... Terms written by JavaScript" in result.text()
    assert "Terms written by JavaScript" not in JS_PAGE.decode()


def test_plain_fetch_does_not_run_scripts(
    server: LocalServer, shared: SharedFetcher
) -> None:
    url = server.add("/terms", Reply(headers=HTML, body=JS_PAGE))

    result = shared.fetch(url, browser=False)

    assert result.via_browser is False
    assert "Terms written by JavaScript" not in result.text()


def test_browser_follows_document_redirect(
    server: LocalServer, shared: SharedFetcher
) -> None:
    server.add(
        "/v2/app.js", Reply(headers={"Content-Type": "text/javascript"}, body=JS_APP)
    )
    final = server.add("/v2/terms", Reply(headers=HTML, body=JS_PAGE))
    start = server.add("/terms", Reply(301, headers={"Location": "/v2/terms"}))

    result = shared.fetch(start)

    assert result.final_url == final
    assert "Terms written by JavaScript" in result.text()
    assert "/v2/app.js" in server.requests


def test_browser_blocks_metadata_requests(
    server: LocalServer, shared: SharedFetcher, caplog: pytest.LogCaptureFixture
) -> None:
    server.add("/to-metadata", Reply(302, headers={"Location": METADATA_URL}))
    url = server.add("/probe", Reply(headers=HTML, body=PROBE_PAGE))
    with caplog.at_level(logging.WARNING, logger="clausewatch.fetch"):
        result = shared.fetch(url)

    text = result.text()
    assert '<p id="direct">direct request blocked</p>' in text
    assert '<p id="redirected">redirected request blocked</p>' in text
    assert shared.transport.blocked == []
    blocked = [
        r.getMessage() for r in caplog.records if "169.254.169.254" in r.getMessage()
    ]
    assert len(blocked) == 3
    assert all("cloud metadata address" in message for message in blocked)


def test_browser_skips_pdf(server: LocalServer, shared: SharedFetcher) -> None:
    pdf = b"%PDF-1.4\n%%EOF\n"
    url = server.add(
        "/policy.pdf", Reply(headers={"Content-Type": "application/pdf"}, body=pdf)
    )

    result = shared.fetch(url)

    assert result.via_browser is False
    assert result.content_type == "application/pdf"
    assert result.body == pdf


def test_one_fetcher_renders_twice(server: LocalServer, settings: Settings) -> None:
    server.add(
        "/app.js", Reply(headers={"Content-Type": "text/javascript"}, body=JS_APP)
    )
    first = server.add("/terms", Reply(headers=HTML, body=JS_PAGE))
    second = server.add("/privacy", Reply(headers=HTML, body=JS_PAGE))

    async def fetch_both() -> list[str]:
        async with Fetcher(settings) as fetcher:
            results = [
                await fetcher.fetch(first, browser=True),
                await fetcher.fetch(second, browser=True),
            ]
            return [result.text() for result in results]

    texts = asyncio.run(fetch_both())

    assert all("Terms written by JavaScript" in text for text in texts)


def test_browser_cannot_open_websocket(
    server: LocalServer, shared: SharedFetcher
) -> None:
    """WebSockets bypass request interception, so chromium's resolver must fail them."""
    with socket.create_server((LOOPBACK, 0)) as listener:
        port = listener.getsockname()[1]
        page = f"""<!doctype html><html><body><p id="state">connecting</p><script>
        const socket = new WebSocket("ws://{LOOPBACK}:{port}/socket");
        const state = document.getElementById("state");
        socket.onopen = () => {{ state.textContent = "socket open"; }};
        socket.onclose = () => {{ state.textContent = "socket closed"; }};
        </script></body></html>"""
        url = server.add("/live", Reply(headers=HTML, body=page.encode()))

        result = shared.fetch(url)

        # A connection attempt made before the socket closed waits in the backlog.
        readable, _, _ = select.select([listener], [], [], 0)
    assert '<p id="state">socket closed</p>' in result.text()
    assert readable == []


def test_browser_returns_busy_page(
    server: LocalServer, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """A page that polls forever never goes idle, so it is used as rendered."""
    page = b"""<!doctype html><html><body><p id="state">static</p><script>
    document.getElementById("state").textContent = "rendered";
    setInterval(() => fetch("/poll"), 100);
    </script></body></html>"""
    server.add("/poll", Reply(body=b"{}"))
    url = server.add("/busy", Reply(headers=HTML, body=page))
    quick = settings.model_copy(update={"browser_timeout": 2.0})

    with caplog.at_level(logging.WARNING, logger="clausewatch.fetch"):
        result = fetch_once(quick, url, browser=True)

    assert '<p id="state">rendered</p>' in result.text()
    assert any("still busy" in record.getMessage() for record in caplog.records)
