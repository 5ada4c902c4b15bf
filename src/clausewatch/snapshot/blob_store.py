"""A content-addressed blob store on disk.

Each blob lives at ``<root>/<first two hex digits>/<sha256>``. Writes go to a temporary
file in the same folder, are flushed to disk, then renamed into place, so a crash never
leaves a partial blob under its final name. A blob fetched many times is stored once,
and storing bytes whose blob is missing or altered writes them back.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK_SIZE = 1024 * 1024


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class BlobProblem:
    """A blob that is missing or whose bytes no longer hash to its name."""

    sha256: str
    path: Path
    problem: str  # "missing" or "mismatch"
    actual_sha256: str | None = None

    def describe(self) -> str:
        if self.problem == "missing":
            return f"missing blob {self.sha256} (expected at {self.path})"
        return (
            f"altered blob {self.sha256} at {self.path}: its bytes now hash to "
            f"{self.actual_sha256}"
        )


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Store bytes once and return their SHA-256.

        A blob already stored under that SHA-256 is re-hashed, and written again if it
        was altered, so storing the same bytes repairs a damaged copy.
        """
        digest = sha256_hex(data)
        self._write_unless_intact(digest, data)
        return digest

    def restore(self, data: bytes) -> BlobProblem | None:
        """Write bytes back if their blob is missing or altered.

        Returns the problem that was repaired, or None when the stored blob was
        already intact and nothing was written.
        """
        return self._write_unless_intact(sha256_hex(data), data)

    def _write_unless_intact(self, digest: str, data: bytes) -> BlobProblem | None:
        problem = self.check(digest)
        if problem is not None:
            self._write_atomically(self.path_for(digest), data)
        return problem

    def _write_atomically(self, target: Path, data: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            # The rename replaces an altered blob in one step, so a reader sees
            # either the old file or the complete new one.
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def hash_file(self, path: Path) -> str:
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK_SIZE):
                digest.update(chunk)
        return digest.hexdigest()

    def check(self, sha256: str) -> BlobProblem | None:
        """Re-hash one blob and return its problem, or None when it is intact."""
        path = self.path_for(sha256)
        if not path.is_file():
            return BlobProblem(sha256, path, "missing")
        actual = self.hash_file(path)
        if actual != sha256:
            return BlobProblem(sha256, path, "mismatch", actual)
        return None

    def verify(
        self, expected: Iterable[str]
    ) -> Iterator[tuple[str, BlobProblem | None]]:
        """Re-hash each expected blob, yielding (sha256, problem or None)."""
        for sha256 in expected:
            yield sha256, self.check(sha256)

    def remove_stale_temporaries(self, *, older_than: float = 3600.0) -> int:
        """Delete temporary files left by interrupted writes; return how many.

        Only files untouched for `older_than` seconds go, so a write in progress in
        another process (a tracking run while the web server starts) is not broken.
        """
        removed = 0
        if not self.root.exists():
            return 0
        cutoff = time.time() - older_than
        for path in self.root.glob("*/.tmp-*"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed
