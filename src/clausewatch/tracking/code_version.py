"""A digest of the code and data that turn a provision's text into stored analyses.

A stored analysis names the classifier that made it. The model file or the taxonomy's
examples identify the classifier's weights, but patterns, abstention rules, stance and
severity rules live in the code, and a change there changes the stored labels too. The
digest goes into the stored version so that analyses made by different code differ.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import clausewatch

# Packages whose files decide clause types, stance and severity. The segmenter is
# one of them because a list item's lead-in, which it finds, rules out clause types.
_PACKAGES = ("classify", "analysis", "taxonomy", "segment")
_SUFFIXES = frozenset({".py", ".yaml", ".yml"})


@cache
def analysis_code_digest() -> str:
    """Return the SHA-256 of the classifying packages' source and data files.

    Files are read in sorted relative-path order, each preceded by its path, so the
    digest does not depend on the file system's listing order or on where the
    package is installed.
    """
    root = Path(clausewatch.__file__).parent
    digest = hashlib.sha256()
    for package in _PACKAGES:
        files = sorted(
            path
            for path in (root / package).rglob("*")
            if path.suffix in _SUFFIXES and path.is_file()
        )
        for path in files:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()
