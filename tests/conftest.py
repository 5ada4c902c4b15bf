"""Shared fixtures: temporary data directories and the real test data sets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The real data sets (policy histories, labelled clauses, declarations) live beside the
# repository. Tests that need them skip where they are absent, except in CI.
DEFAULT_SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
SHARED_DIR = Path(os.environ.get("CLAUSEWATCH_TEST_DATA", DEFAULT_SHARED_DIR))


def require_shared(*parts: str) -> Path:
    """Return a path inside the test data; skip (or fail in CI) when it is absent."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        message = (
            f"test data not found at {path}; "
            "set CLAUSEWATCH_TEST_DATA to the folder that holds it"
        )
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
