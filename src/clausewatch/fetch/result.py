"""The value one fetch returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clausewatch.fetch.charset import decode_body, resolve_charset
from clausewatch.fetch.mediatype import HTML, is_text


@dataclass(frozen=True)
class FetchResult:
    """A fetched document page: the bytes to hash and store, and where they came from.

    ``body`` is the content after Content-Encoding decompression. ``charset`` is the
    Python codec name of a text body (declared or detected) and None for other bodies.
    """

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    via_browser: bool

    def text(self) -> str:
        """Decode the body; bytes that are invalid in its charset become U+FFFD."""
        charset = self.charset
        if charset is None and is_text(self.content_type):
            charset = resolve_charset(
                self.body, self.headers.get("content-type"), self.content_type == HTML
            )
        return decode_body(self.body, charset)
