"""Fetching pages over HTTP from a local server: results, redirects, retries, errors."""

from __future__ import annotations

import asyncio
import gzip
import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from clausewatch.errors import FetchError
from clausewatch.fetch import Fetcher, FetchResult, FetchStatusError
from tests.test_fetch_support import LocalServer, Reply, fetch_once, make_settings

PAGE = (
    b"<!doctype html><html><head><title>Terms</title></head><body>Hello</body></html>"
)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    yield local
    local.stop()


def test_fetch_normal_page(server: LocalServer, tmp_path: Path) -> None:
    url = server.add(
        "/terms",
        Reply(
            headers={"Content-Type": "text/html; charset=UTF-8", "X-Policy": "v1"},
            body=PAGE,
        ),
    )
    result = fetch_once(make_settings(tmp_path), url)

    assert result.url == url
    assert result.final_url == url
    assert result.status == 200
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.body == PAGE
    assert result.headers["x-policy"] == "v1"
    assert result.headers["content-type"] == "text/html; charset=UTF-8"
    assert result.fetched_at.tzinfo == UTC
    assert result.via_browser is False
    assert "Hello" in result.text()


def test_fetch_sends_user_agent(server: LocalServer, tmp_path: Path) -> None:
    url = server.add("/terms", Reply(body=PAGE))
    settings = make_settings(tmp_path, user_agent="polite-bot/2.0 (+contact)")

    fetch_once(settings, url)

    assert server.request_headers[0]["user-agent"] == "polite-bot/2.0 (+contact)"
    assert "gzip" in server.request_headers[0]["accept-encoding"]


def test_fetch_follows_redirects(server: LocalServer, tmp_path: Path) -> None:
    final = server.add(
        "/policy/v2", Reply(headers={"Content-Type": "text/html"}, body=PAGE)
    )
    start = server.add("/policy", Reply(301, headers={"Location": "/policy/v1"}))
    server.add("/policy/v1", Reply(302, headers={"Location": final}))

    result = fetch_once(make_settings(tmp_path), start)

    assert result.url == start
    assert result.final_url == final
    assert result.body == PAGE
    assert server.requests == ["/policy", "/policy/v1", "/policy/v2"]


def test_fetch_decompresses_gzip(server: LocalServer, tmp_path: Path) -> None:
    url = server.add(
        "/gz",
        Reply(
            headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
            body=gzip.compress(PAGE),
        ),
    )
    result = fetch_once(make_settings(tmp_path), url)

    assert result.body == PAGE


def test_fetch_retries_after_503(
    server: LocalServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[int] = []

    def flaky(_request: BaseHTTPRequestHandler) -> Reply:
        calls.append(1)
        if len(calls) == 1:
            return Reply(503, headers={"Retry-After": "0"}, body=b"busy")
        return Reply(headers={"Content-Type": "text/html"}, body=PAGE)

    url = server.add("/flaky", flaky)
    with caplog.at_level(logging.INFO, logger="clausewatch.fetch"):
        result = fetch_once(make_settings(tmp_path), url)

    assert result.status == 200
    assert result.body == PAGE
    assert len(calls) == 2
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "HTTP 503" in warnings[0].getMessage()
    infos = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert any(url in message and "status 200" in message for message in infos)


def test_fetch_gives_up_after_retries(server: LocalServer, tmp_path: Path) -> None:
    url = server.add("/down", Reply(503, headers={"Retry-After": "0"}, body=b"busy"))

    with pytest.raises(FetchStatusError) as caught:
        fetch_once(make_settings(tmp_path, fetch_retries=2), url)

    assert caught.value.status == 503
    assert caught.value.url == url
    assert "HTTP 503" in str(caught.value)
    assert len(server.requests) == 3


def test_fetch_long_retry_after_not_waited(server: LocalServer, tmp_path: Path) -> None:
    url = server.add("/later", Reply(429, headers={"Retry-After": "3600"}))

    with pytest.raises(FetchStatusError, match="retry after 3600"):
        fetch_once(make_settings(tmp_path), url)

    assert len(server.requests) == 1


@pytest.mark.parametrize("status", [400, 403, 404, 410, 500])
def test_fetch_error_status_raises(
    server: LocalServer, tmp_path: Path, status: int
) -> None:
    url = server.add("/missing", Reply(status, body=b"nope"))

    with pytest.raises(FetchStatusError) as caught:
        fetch_once(make_settings(tmp_path), url)

    assert caught.value.status == status
    assert url in str(caught.value)
    assert f"HTTP {status}" in str(caught.value)


def test_fetch_connection_refused(server: LocalServer, tmp_path: Path) -> None:
    url = server.url("/gone")
    server.stop()

    with pytest.raises(FetchError, match="after 2 attempt"):
        fetch_once(make_settings(tmp_path, fetch_retries=1), url)


def test_fetch_empty_page(server: LocalServer, tmp_path: Path) -> None:
    url = server.add("/empty", Reply(headers={"Content-Type": "text/html"}))

    result = fetch_once(make_settings(tmp_path), url)

    assert result.status == 200
    assert result.body == b""
    assert result.content_type == "text/html"
    assert result.text() == ""


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.mark.parametrize(
    "header", ["text/html; charset=utf-8", "application/octet-stream", None]
)
def test_fetch_sniffs_pdf(
    server: LocalServer, tmp_path: Path, header: str | None
) -> None:
    headers = {"Content-Type": header} if header else {}
    url = server.add("/doc", Reply(headers=headers, body=PDF))

    result = fetch_once(make_settings(tmp_path), url)

    assert result.content_type == "application/pdf"
    assert result.charset is None
    assert result.body == PDF


def test_fetch_sniffs_html_without_header(server: LocalServer, tmp_path: Path) -> None:
    url = server.add("/page", Reply(body=b"\n  " + PAGE))

    result = fetch_once(make_settings(tmp_path), url)

    assert result.content_type == "text/html"


def test_per_host_concurrency_limit(server: LocalServer, tmp_path: Path) -> None:
    state = threading.Condition()
    in_flight = [0]
    release = threading.Event()

    def held(_request: BaseHTTPRequestHandler) -> Reply:
        with state:
            in_flight[0] += 1
            state.notify_all()
        release.wait(timeout=10)
        with state:
            in_flight[0] -= 1
        return Reply(body=b"ok")

    server.add("/held", held)
    urls = [server.url(f"/held?n={n}") for n in range(4)]
    settings = make_settings(tmp_path, fetch_per_host_concurrency=2)

    async def fetch_all() -> list[FetchResult]:
        async with Fetcher(settings) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(url) for url in urls))

    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(asyncio.run, fetch_all())
        try:
            with state:
                assert state.wait_for(lambda: in_flight[0] >= 2, timeout=10)
                # A third request would arrive within this window if the limit failed.
                assert not state.wait_for(lambda: in_flight[0] > 2, timeout=0.3)
        finally:
            release.set()
        results = future.result(timeout=30)

    assert [result.body for result in results] == [b"ok"] * 4
