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
    """Peak resident memory of this process in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    """User plus system CPU time of this process, or of its waited-for children."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime
