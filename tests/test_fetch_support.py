"""Local test servers and transports shared by the fetch tests (this file has no tests).

``LocalServer`` is a threaded ``http.server`` on 127.0.0.1 with an ephemeral port.
``LoopbackOnlyTransport`` forwards requests for 127.0.0.1 and records, without sending,
any other request, so a guard failure in a test never puts traffic on the network.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from clausewatch.fetch import Fetcher, FetchResult
from clausewatch.settings import Settings

LOOPBACK = "127.0.0.1"


@dataclass
class Reply:
    """A response for the local server; ``chunks`` streams a body without a length."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    chunks: Callable[[], Iterable[bytes]] | None = None


Route = Callable[[BaseHTTPRequestHandler], Reply]


class LocalServer:
    """An HTTP/1.0 server that serves each path from ``routes``."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.request_headers: list[dict[str, str]] = []
        self.bytes_sent: dict[str, int] = {}
        self.finished: dict[str, threading.Event] = {}
        self._server = ThreadingHTTPServer((LOOPBACK, 0), self._handler_class())
        self._server.daemon_threads = True
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._scheme = "https" if tls is not None else "http"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            daemon=True,
        )

    @property
    def base(self) -> str:
        return f"{self._scheme}://{LOOPBACK}:{self.port}"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, reply: Reply | Route) -> str:
        """Serve ``path`` with a fixed reply or a function of the request."""
        self.routes[path] = reply if callable(reply) else (lambda _request: reply)
        self.finished[path] = threading.Event()
        return self.url(path)

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                server._answer(self)

            def do_POST(self) -> None:  # noqa: N802
                server._answer(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        self.requests.append(handler.path)
        self.request_headers.append({k.lower(): v for k, v in handler.headers.items()})
        route = self.routes.get(path)
        reply = route(handler) if route else Reply(404, body=b"not found")
        sent = 0
        try:
            handler.send_response(reply.status)
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            if reply.chunks is None:
                handler.send_header("Content-Length", str(len(reply.body)))
            handler.end_headers()
            for chunk in reply.chunks() if reply.chunks else [reply.body]:
                handler.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading, which is what limit tests expect
        finally:
            self.bytes_sent[path] = self.bytes_sent.get(path, 0) + sent
            if path in self.finished:
                self.finished[path].set()


class LoopbackOnlyTransport(httpx.AsyncBaseTransport):
    """Forward requests for 127.0.0.1, and record any other request and return 599."""

    def __init__(self) -> None:
        self.blocked: list[str] = []
        self._inner = httpx.AsyncHTTPTransport(trust_env=False)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host != LOOPBACK:
            self.blocked.append(str(request.url))
            return httpx.Response(599, text="the test transport sent nothing")
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Return settings with small limits and 127.0.0.1 allowed."""
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "allowed_private_hosts": [LOOPBACK],
        "fetch_timeout": 5.0,
        "fetch_retries": 2,
        "fetch_max_redirects": 5,
        "browser_timeout": 15.0,
        "user_agent": "clausewatch-tests/1.0 (+local)",
    }
    values.update(overrides)
    return Settings(**values)


def fetch_once(
    settings: Settings,
    url: str,
    *,
    browser: bool = False,
    transport: httpx.AsyncBaseTransport | None = None,
) -> FetchResult:
    """Fetch one URL with a fresh Fetcher in a fresh event loop."""

    async def run() -> FetchResult:
        async with Fetcher(settings, transport=transport) as fetcher:
            return await fetcher.fetch(url, browser=browser)

    return asyncio.run(run())


def repeat(chunk: bytes, total: int) -> Callable[[], Iterator[bytes]]:
    """Return a body generator that sends ``chunk`` until ``total`` bytes are sent."""

    def generate() -> Iterator[bytes]:
        for _ in range(total // len(chunk)):
            yield chunk

    return generate
