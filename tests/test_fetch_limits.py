"""Size limits, compression bombs and redirect chains are stopped with clear errors."""

from __future__ import annotations

import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import brotli
import pytest

from clausewatch.errors import FetchError
from tests.test_fetch_support import (
    LocalServer,
    Reply,
    fetch_once,
    make_settings,
    repeat,
)

MIB = 1024 * 1024
LIMIT = MIB
# Peak memory allowed during a fetch with a 1 MiB limit: the body plus a few pieces.
PEAK_BUDGET = 8 * MIB


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    yield local
    local.stop()


def gzip_bomb(total: int) -> Iterator[bytes]:
    """Yield a gzip stream of ``total`` zero bytes, made from one repeated block."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    first = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_SYNC_FLUSH)
    # Later blocks only refer back to zeros, so the same bytes can follow any block.
    block = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_SYNC_FLUSH)
    yield first
    for _ in range(total // MIB - 1):
        yield block


def brotli_bomb(total: int) -> Iterator[bytes]:
    """Yield a brotli stream of ``total`` zero bytes, compressed piece by piece."""
    compressor = brotli.Compressor(quality=5)
    zeros = bytes(MIB)
    for _ in range(total // MIB):
        piece = compressor.process(zeros)
        if piece:
            yield piece
    yield compressor.finish()


def fetch_measuring_peak(settings_path: Path, url: str) -> tuple[str, int]:
    """Fetch a URL that must fail; return the error message and peak traced memory."""
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as caught:
            fetch_once(make_settings(settings_path, fetch_max_bytes=LIMIT), url)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return str(caught.value), peak


def test_large_stream_aborted(server: LocalServer, tmp_path: Path) -> None:
    url = server.add(
        "/huge",
        Reply(
            headers={"Content-Type": "text/html"}, chunks=repeat(bytes(65536), 50 * MIB)
        ),
    )

    message, peak = fetch_measuring_peak(tmp_path, url)

    assert url in message
    assert f"limit of {LIMIT} bytes" in message
    assert "CLAUSEWATCH_FETCH_MAX_BYTES" in message
    assert peak < PEAK_BUDGET
    assert server.finished["/huge"].wait(timeout=10)
    assert server.bytes_sent["/huge"] < 20 * MIB


def test_large_content_length_rejected(server: LocalServer, tmp_path: Path) -> None:
    def declared(_request: BaseHTTPRequestHandler) -> Reply:
        return Reply(headers={"Content-Length": str(50 * MIB)}, chunks=lambda: [b"x"])

    url = server.add("/declared", declared)

    with pytest.raises(FetchError, match="Content-Length is 52428800"):
        fetch_once(make_settings(tmp_path, fetch_max_bytes=LIMIT), url)


@pytest.mark.parametrize(
    ("coding", "stream"),
    [("gzip", gzip_bomb), ("br", brotli_bomb)],
)
def test_compression_bomb_aborted(
    server: LocalServer,
    tmp_path: Path,
    coding: str,
    stream: Callable[[int], Iterator[bytes]],
) -> None:
    url = server.add(
        "/bomb",
        Reply(
            headers={"Content-Type": "text/html", "Content-Encoding": coding},
            chunks=lambda: stream(1024 * MIB),
        ),
    )

    message, peak = fetch_measuring_peak(tmp_path, url)

    assert url in message
    assert "after decompression" in message
    assert peak < PEAK_BUDGET


def test_body_at_limit_accepted(server: LocalServer, tmp_path: Path) -> None:
    url = server.add("/exact", Reply(chunks=repeat(b"a" * 1024, LIMIT)))

    result = fetch_once(make_settings(tmp_path, fetch_max_bytes=LIMIT), url)

    assert len(result.body) == LIMIT


@pytest.mark.parametrize(
    "chain",
    [
        {"/loop": "/loop"},
        {"/a": "/b", "/b": "/c", "/c": "/a"},
    ],
)
def test_redirect_loop_detected(
    server: LocalServer, tmp_path: Path, chain: dict[str, str]
) -> None:
    for source, target in chain.items():
        server.add(source, Reply(302, headers={"Location": target}))
    start = server.url(next(iter(chain)))

    with pytest.raises(FetchError) as caught:
        fetch_once(make_settings(tmp_path, fetch_max_redirects=10), start)

    assert f"redirect loop at {start}" in str(caught.value)
    assert len(server.requests) == len(chain)


def test_too_many_redirects(server: LocalServer, tmp_path: Path) -> None:
    def onwards(request: BaseHTTPRequestHandler) -> Reply:
        step = int(request.path.rsplit("=", 1)[1])
        return Reply(302, headers={"Location": f"/next?step={step + 1}"})

    server.add("/next", onwards)
    start = server.url("/next?step=0")

    with pytest.raises(FetchError) as caught:
        fetch_once(make_settings(tmp_path, fetch_max_redirects=3), start)

    assert f"more than 3 redirects from {start}" in str(caught.value)
    assert len(server.requests) == 4


def test_redirect_back_after_cookie(server: LocalServer, tmp_path: Path) -> None:
    """A consent page that sets a cookie and sends the client back is not a loop."""

    def page(request: BaseHTTPRequestHandler) -> Reply:
        if "consent=yes" in (request.headers.get("Cookie") or ""):
            return Reply(body=b"<p>policy</p>")
        return Reply(302, headers={"Location": "/consent"})

    def consent(_request: BaseHTTPRequestHandler) -> Reply:
        return Reply(302, headers={"Location": "/page", "Set-Cookie": "consent=yes"})

    url = server.add("/page", page)
    server.add("/consent", consent)

    result = fetch_once(make_settings(tmp_path), url)

    assert result.body == b"<p>policy</p>"
    assert server.requests == ["/page", "/consent", "/page"]
