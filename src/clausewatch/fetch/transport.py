"""An httpx transport that connects only to addresses the SSRF guard has checked.

Checking a URL and then letting the HTTP library resolve the host again leaves a gap:
a hostile DNS server can answer with a public address for the check and a private one
for the connection (DNS rebinding). Here the network backend itself resolves, checks
and connects to the checked address, while TLS still verifies the certificate and
sends SNI for the host name of the URL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from contextlib import contextmanager

import httpcore
import httpx

from clausewatch.errors import FetchError
from clausewatch.fetch.guard import AllowList, resolve_allowed

SocketOption = (
    tuple[int, int, int]
    | tuple[int, int, bytes | bytearray]
    | tuple[int, int, None, int]
)


@contextmanager
def translate_httpcore_errors() -> Iterator[None]:
    """Re-raise httpcore's exceptions as the httpx exceptions of the same name."""
    try:
        yield
    except (
        httpcore.TimeoutException,
        httpcore.NetworkError,
        httpcore.ProtocolError,
        httpcore.UnsupportedProtocol,
    ) as error:
        raise _httpx_error(error) from error


def _httpx_error(error: Exception) -> httpx.TransportError:
    for cls in type(error).__mro__:
        counterpart = getattr(httpx, cls.__name__, None)
        if isinstance(counterpart, type) and issubclass(
            counterpart, httpx.TransportError
        ):
            return counterpart(str(error))
    return httpx.TransportError(str(error))


class _ResponseStream(httpx.AsyncByteStream):
    def __init__(self, stream: AsyncIterable[bytes]) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with translate_httpcore_errors():
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        close = getattr(self._stream, "aclose", None)
        if close is not None:
            await close()


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """A network backend that resolves host names itself and rejects forbidden ones."""

    def __init__(self, allow: AllowList, resolve_timeout: float) -> None:
        self._allow = allow
        self._resolve_timeout = resolve_timeout
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await asyncio.wait_for(
                asyncio.to_thread(
                    resolve_allowed, host, port, self._allow, f"host {host}:{port}"
                ),
                self._resolve_timeout,
            )
        except TimeoutError:
            raise httpcore.ConnectTimeout(
                f"resolving {host!r} took more than {self._resolve_timeout} s"
            ) from None

        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last_error = error
        assert last_error is not None, "resolve_allowed returns at least one address"
        raise last_error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise FetchError(
            f"rejected a connection to the Unix socket {path!r}: "
            "the fetcher only connects over TCP"
        )

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncBaseTransport):
    """An HTTP/1.1 connection pool on top of ``GuardedNetworkBackend``."""

    def __init__(self, allow: AllowList, timeout: float, max_connections: int) -> None:
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=5.0,
            network_backend=GuardedNetworkBackend(allow, timeout),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with translate_httpcore_errors():
            core_response = await self._pool.handle_async_request(core_request)
        assert isinstance(core_response.stream, AsyncIterable)
        return httpx.Response(
            status_code=core_response.status,
            headers=core_response.headers,
            stream=_ResponseStream(core_response.stream),
            extensions=core_response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()
