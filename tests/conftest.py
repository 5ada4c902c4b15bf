"""Shared fixtures: temporary data directories and the real test data sets."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]


def find_shared_dir() -> Path:
    """Locate the real data sets (policy histories, labelled clauses, declarations).

    They live in a folder named ``shared`` beside the repository. A clone made
    elsewhere (``git clone REPO /tmp/copy``) looks beside the repository it was cloned
    from. CLAUSEWATCH_TEST_DATA overrides both.
    """
    if "CLAUSEWATCH_TEST_DATA" in os.environ:
        return Path(os.environ["CLAUSEWATCH_TEST_DATA"])
    beside = REPOSITORY.parent / "shared"
    if beside.exists():
        return beside
    origin = subprocess.run(
        ["git", "-C", str(REPOSITORY), "config", "--get", "remote.origin.url"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if origin and Path(origin).is_dir():
        return Path(origin).resolve().parent / "shared"
    return beside


# Tests that need the data sets skip where they are absent, except in CI.
SHARED_DIR = find_shared_dir()


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
