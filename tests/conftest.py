"""Shared fixtures: temporary data directories and the real test data sets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The real data sets (policy histories, labelled clauses, declarations) live beside the
# repository. Tests that need them skip where they are absent, except in CI.
SHARED_DIR = Path(
    os.environ.get("CLAUSEWATCH_TEST_DATA", Path(__file__).resolve().parents[2] / "shared")
)


def require_shared(*parts: str) -> Path:
    """Return a path inside the shared test data, skipping (or failing in CI) if absent."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        message = f"test data not found at {path}; set CLAUSEWATCH_TEST_DATA to its folder"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def corpus_dir() -> Path:
    """Folder of Open Terms Archive version histories (`<service>/<type>/<time>.md`)."""
    return require_shared("corpus", "ota")


@pytest.fixture
def labels_dir() -> Path:
    """Folder of labelled clause datasets in JSONL."""
    return require_shared("labels")


@pytest.fixture
def declarations_dir() -> Path:
    """Folder of real Open Terms Archive declarations."""
    return require_shared("declarations")
