"""Content-Encoding decoders, media type sniffing and Retry-After parsing."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime

import brotli
import pytest

from clausewatch.errors import FetchError
from clausewatch.fetch.decoders import PIECE_SIZE, build_decoder
from clausewatch.fetch.mediatype import detect_media_type, parse_media_type
from clausewatch.fetch.retry import backoff_delay, parse_retry_after

TEXT = b"<p>Clause 4.2: we may share data with partners.</p>\n" * 20000


def decode(coding: str | None, blob: bytes, step: int = 4096) -> tuple[bytes, int]:
    """Feed ``blob`` in small chunks; return the output and its largest piece."""
    decoder = build_decoder(coding)
    output = bytearray()
    largest = 0
    chunks = [blob[start : start + step] for start in range(0, len(blob), step)]
    for piece in [p for chunk in chunks for p in decoder.feed(chunk)]:
        output += piece
        largest = max(largest, len(piece))
    for piece in decoder.flush():
        output += piece
        largest = max(largest, len(piece))
    return bytes(output), largest


@pytest.mark.parametrize(
    ("coding", "blob"),
    [
        (None, TEXT),
        ("identity", TEXT),
        ("gzip", gzip.compress(TEXT)),
        ("x-gzip", gzip.compress(TEXT)),
        ("gzip", gzip.compress(TEXT[:1000]) + gzip.compress(TEXT[1000:])),
        ("deflate", zlib.compress(TEXT)),
        ("deflate", zlib.compress(TEXT)[2:-4]),
        ("br", brotli.compress(TEXT)),
        ("gzip, br", brotli.compress(gzip.compress(TEXT))),
        ("GZIP", gzip.compress(TEXT)),
    ],
)
def test_decoder_restores_body(coding: str | None, blob: bytes) -> None:
    output, largest = decode(coding, blob)

    assert output == TEXT
    assert largest <= 2 * PIECE_SIZE


def test_decoder_ignores_trailing_garbage() -> None:
    output, _ = decode("gzip", gzip.compress(b"policy") + b"\x00\x00junk")

    assert output == b"policy"


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br"])
def test_decoder_rejects_corrupt_body(coding: str) -> None:
    with pytest.raises(FetchError, match=f"invalid {coding} compressed body"):
        decode(coding, b"\x1f\x8b\x08\x00 this is not compressed data at all" * 10)


def test_decoder_rejects_unknown_coding() -> None:
    with pytest.raises(FetchError, match="unsupported Content-Encoding 'compress'"):
        build_decoder("compress")


@pytest.mark.parametrize(
    ("header", "body", "expected"),
    [
        ("text/html; charset=utf-8", b"<p>x</p>", "text/html"),
        ("TEXT/HTML", b"<p>x</p>", "text/html"),
        ("application/pdf", b"%PDF-1.7\n", "application/pdf"),
        ("text/html", b"%PDF-1.7\n", "application/pdf"),
        ("text/plain", b"\n%PDF-1.5\n", "application/pdf"),
        ("application/octet-stream", b"%PDF-1.7\n", "application/pdf"),
        ("application/octet-stream", b"<!DOCTYPE html><html>", "text/html"),
        (None, b"  <html lang=en><body>", "text/html"),
        (None, b"<?xml version='1.0'?><html xmlns='x'>", "text/html"),
        (None, b"<?xml version='1.0'?><feed>", "application/xml"),
        (None, b"Plain terms of service.", "text/plain"),
        (None, b"\x00\x01\x02binary", "application/octet-stream"),
        (None, b"", "application/octet-stream"),
        ("text/markdown", b"# Terms", "text/markdown"),
    ],
)
def test_detect_media_type(header: str | None, body: bytes, expected: str) -> None:
    assert detect_media_type(header, body) == expected


def test_parse_media_type_drops_parameters() -> None:
    assert parse_media_type(' Text/HTML ; charset="utf-8"') == "text/html"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0.0),
        ("7", 7.0),
        ("Fri, 04 Dec 2026 12:00:30 GMT", 30.0),
        ("Fri, 04 Dec 2026 11:00:00 GMT", 0.0),
        ("soon", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    now = datetime(2026, 12, 4, 12, 0, 0, tzinfo=UTC)

    assert parse_retry_after(value, now) == expected


def test_backoff_doubles() -> None:
    assert [backoff_delay(attempt) for attempt in range(4)] == [0.5, 1.0, 2.0, 4.0]
