"""Content-Encoding decoders whose output comes in bounded pieces.

httpx's own decoders inflate each network chunk in one call, so a 64 KiB chunk of a
compression bomb can become tens of megabytes (or far more with brotli) before any
size check runs. These decoders return pieces of at most ``PIECE_SIZE`` bytes
(brotli's may be up to about 1.5 times that, as its output buffer grows in steps), so
the caller can stop a bomb one piece past its limit.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from types import ModuleType
from typing import Protocol

from clausewatch.errors import FetchError

brotli: ModuleType | None
try:
    import brotli  # type: ignore[no-redef]
except ImportError:  # brotli is optional: without it, br is not advertised
    brotli = None

PIECE_SIZE = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"

# Bounded brotli output needs Decompressor.process(output_buffer_limit=...), which
# the brotli package has from version 1.2.0 on (with can_accept_more_data).
BROTLI_SUPPORTED = brotli is not None and hasattr(
    brotli.Decompressor, "can_accept_more_data"
)

# Codings advertised in Accept-Encoding; zstd is left out because Python 3.11 has no
# standard decoder for it.
ACCEPT_ENCODING = "gzip, deflate, br" if BROTLI_SUPPORTED else "gzip, deflate"


class ContentDecoder(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...

    def flush(self) -> Iterator[bytes]: ...


class IdentityDecoder:
    def feed(self, data: bytes) -> Iterator[bytes]:
        for start in range(0, len(data), PIECE_SIZE):
            yield data[start : start + PIECE_SIZE]

    def flush(self) -> Iterator[bytes]:
        return iter(())


class ZlibDecoder:
    """gzip (possibly multi-member) or deflate, with or without the zlib wrapper."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._gzip = coding in ("gzip", "x-gzip")
        self._started = False
        self._finished = False
        self._inflater = self._new_inflater(zlib.MAX_WBITS)

    def _new_inflater(self, wbits: int) -> zlib._Decompress:
        return zlib.decompressobj(16 + zlib.MAX_WBITS if self._gzip else wbits)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if not self._started and data and not self._gzip:
            self._started = True
            # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
            if data[0] & 0x0F != 8:
                self._inflater = self._new_inflater(-zlib.MAX_WBITS)
        try:
            yield from self._inflate(data)
        except zlib.error as error:
            raise FetchError(
                f"invalid {self._coding} compressed body: {error}; the server sent a "
                "corrupt response, so try again later"
            ) from None

    def _inflate(self, data: bytes) -> Iterator[bytes]:
        while not self._finished:
            piece = self._inflater.decompress(data, PIECE_SIZE)
            data = self._inflater.unconsumed_tail
            if piece:
                yield piece
            if self._inflater.eof:
                rest = self._inflater.unused_data + data
                if self._gzip and rest.startswith(GZIP_MAGIC):
                    # A gzip body may hold several members one after the other.
                    self._inflater = self._new_inflater(zlib.MAX_WBITS)
                    data = rest
                    continue
                # Browsers ignore bytes after the end of the stream, and keeping them
                # would let a server grow memory without bound.
                self._finished = True
            elif not piece and not data:
                return

    def flush(self) -> Iterator[bytes]:
        yield from self.feed(b"")


class BrotliDecoder:
    def __init__(self) -> None:
        assert brotli is not None, "build_decoder checks BROTLI_SUPPORTED first"
        self._decompressor = brotli.Decompressor()
        self._error: type[Exception] = brotli.error

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            piece = self._decompressor.process(data, output_buffer_limit=PIECE_SIZE)
            while True:
                if piece:
                    yield piece
                if self._decompressor.can_accept_more_data():
                    return
                piece = self._decompressor.process(b"", output_buffer_limit=PIECE_SIZE)
        except self._error as error:
            raise FetchError(
                f"invalid br compressed body: {error}; the server sent a corrupt "
                "response, so try again later"
            ) from None

    def flush(self) -> Iterator[bytes]:
        # Output can still be pending after the last input was accepted.
        while not self._decompressor.is_finished():
            piece = self._decompressor.process(b"", output_buffer_limit=PIECE_SIZE)
            if not piece:
                return
            yield piece


class ChainDecoder:
    """Codings applied in order by the server are undone in reverse order."""

    def __init__(self, decoders: list[ContentDecoder]) -> None:
        self._decoders = decoders

    def feed(self, data: bytes) -> Iterator[bytes]:
        return self._run(0, data, flush=False)

    def flush(self) -> Iterator[bytes]:
        return self._run(0, b"", flush=True)

    def _run(self, index: int, data: bytes, *, flush: bool) -> Iterator[bytes]:
        if index == len(self._decoders):
            if data:
                yield data
            return
        decoder = self._decoders[index]
        for piece in decoder.feed(data):
            yield from self._run(index + 1, piece, flush=False)
        if flush:
            for piece in decoder.flush():
                yield from self._run(index + 1, piece, flush=False)
            yield from self._run(index + 1, b"", flush=True)


def build_decoder(content_encoding: str | None) -> ContentDecoder:
    """Return a decoder for a Content-Encoding header value (None means identity)."""
    codings = [
        coding.strip().lower()
        for coding in (content_encoding or "").split(",")
        if coding.strip() and coding.strip().lower() != "identity"
    ]
    decoders: list[ContentDecoder] = []
    for coding in reversed(codings):
        if coding in ("gzip", "x-gzip", "deflate"):
            decoders.append(ZlibDecoder(coding))
        elif coding == "br" and BROTLI_SUPPORTED:
            decoders.append(BrotliDecoder())
        else:
            raise FetchError(
                f"unsupported Content-Encoding {coding!r}; the fetcher accepts "
                f"{ACCEPT_ENCODING}, so the server ignored the Accept-Encoding header"
            )
    if not decoders:
        return IdentityDecoder()
    if len(decoders) == 1:
        return decoders[0]
    return ChainDecoder(decoders)
