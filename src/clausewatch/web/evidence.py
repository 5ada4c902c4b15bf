"""Re-hash stored snapshot blobs, so "hash verified" on a page is checked."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from clausewatch.snapshot import BlobStore

#: Seconds a verification result is reused. Short, so that a blob altered or removed on
#: disk shows as unverified within seconds, while a burst of page views hashes it once.
CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class BlobCheck:
    """Outcome of re-reading one blob: present, and still hashing to its name."""

    sha256: str
    stored: bool
    verified: bool
    checked_at: float


class BlobVerifier:
    """Re-hashes blobs on request, reusing a result for at most ``ttl`` seconds."""

    def __init__(
        self,
        blobs: BlobStore,
        *,
        ttl: float = CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.blobs = blobs
        self.ttl = ttl
        self.clock = clock
        self._results: dict[str, BlobCheck] = {}
        self._lock = threading.Lock()

    def check(self, sha256: str) -> BlobCheck:
        now = self.clock()
        with self._lock:
            cached = self._results.get(sha256)
        if cached is not None and now - cached.checked_at < self.ttl:
            return cached

        result = self._rehash(sha256, now)
        with self._lock:
            if len(self._results) > 10_000:
                self._results.clear()
            self._results[sha256] = result
        return result

    def _rehash(self, sha256: str, now: float) -> BlobCheck:
        problem = self.blobs.check(sha256)
        if problem is None:
            return BlobCheck(sha256, stored=True, verified=True, checked_at=now)
        stored = problem.problem != "missing"
        return BlobCheck(sha256, stored=stored, verified=False, checked_at=now)
