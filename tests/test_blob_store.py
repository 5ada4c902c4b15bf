"""The content-addressed blob store: stored once, atomic writes, verification."""

from __future__ import annotations

import os
import time
from pathlib import Path

from clausewatch.snapshot import BlobStore, sha256_hex


def test_blob_stored_once(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    first = store.put(b"policy text")
    second = store.put(b"policy text")
    assert first == second == sha256_hex(b"policy text")
    assert list(tmp_path.rglob("*")) == [
        store.path_for(first).parent,
        store.path_for(first),
    ]
    assert store.get(first) == b"policy text"


def test_verify_reports_missing_and_altered(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    intact = store.put(b"one")
    missing = store.put(b"two")
    altered = store.put(b"three")
    store.path_for(missing).unlink()
    store.path_for(altered).write_bytes(b"changed")

    problems = {
        sha: problem for sha, problem in store.verify([intact, missing, altered])
    }
    assert problems[intact] is None
    assert problems[missing].problem == "missing"
    assert problems[altered].problem == "mismatch"
    assert problems[altered].actual_sha256 == sha256_hex(b"changed")
    assert "altered blob" in problems[altered].describe()


def test_stale_temporary_files_removed(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    digest = store.put(b"kept")
    leftover = store.path_for(digest).parent / ".tmp-crashed"
    leftover.write_bytes(b"partial")
    assert store.remove_stale_temporaries() == 0, (
        "a fresh file may be a write in progress"
    )
    old = time.time() - 7200
    os.utime(leftover, (old, old))
    assert store.remove_stale_temporaries() == 1
    assert not leftover.exists()
    assert store.exists(digest)


def test_restore_leaves_intact_blob(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    digest = store.put(b"policy text")
    before = store.path_for(digest).stat().st_mtime_ns

    assert store.restore(b"policy text") is None
    assert store.path_for(digest).stat().st_mtime_ns == before


def test_restore_writes_missing_blob(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    digest = store.put(b"policy text")
    store.path_for(digest).unlink()

    problem = store.restore(b"policy text")

    assert problem is not None
    assert problem.problem == "missing"
    assert store.check(digest) is None


def test_restore_replaces_altered_blob(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    digest = store.put(b"policy text")
    store.path_for(digest).write_bytes(b"tampered")

    problem = store.restore(b"policy text")

    assert problem is not None
    assert problem.problem == "mismatch"
    assert problem.actual_sha256 == sha256_hex(b"tampered")
    assert store.get(digest) == b"policy text"
    assert [path.name for path in store.path_for(digest).parent.iterdir()] == [digest]


def test_put_repairs_altered_blob(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    digest = store.put(b"policy text")
    store.path_for(digest).write_bytes(b"tampered")

    assert store.put(b"policy text") == digest
    assert store.check(digest) is None
