"""Helpers shared by the benchmark scripts: test data paths, memory and CPU time."""

from __future__ import annotations

import resource
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]


def shared_data_path(*parts: str) -> Path | None:
    """Return a path inside the test data the test suite uses, or None when absent."""
    sys.path.insert(0, str(REPOSITORY))
    try:
        from tests.conftest import SHARED_DIR
    except ImportError:
        return None
    finally:
        sys.path.remove(str(REPOSITORY))
    path = SHARED_DIR.joinpath(*parts)
    return path if path.exists() else None


def peak_memory_mb() -> float:
    """Return the peak resident memory of this process in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds(scope: int = resource.RUSAGE_SELF) -> float:
    """Return user plus system CPU time of this process (RUSAGE_SELF) or of its
    waited-for children (RUSAGE_CHILDREN)."""
    usage = resource.getrusage(scope)
    return usage.ru_utime + usage.ru_stime
