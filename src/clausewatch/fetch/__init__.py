"""Fetch stage: download document pages safely, over HTTP or through chromium.

Every URL, redirect target and browser subrequest passes the SSRF guard; bodies are
decompressed under a size limit while streaming.
"""

from clausewatch.errors import BlockedURLError, FetchError
from clausewatch.fetch.errors import FetchStatusError
from clausewatch.fetch.fetcher import Fetcher
from clausewatch.fetch.guard import check_url_allowed
from clausewatch.fetch.result import FetchResult

__all__ = [
    "BlockedURLError",
    "FetchError",
    "FetchResult",
    "FetchStatusError",
    "Fetcher",
    "check_url_allowed",
]
