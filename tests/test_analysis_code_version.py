"""The stored classifier version names the classifying code as well as the model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import clausewatch
from clausewatch.classify import Classifier
from clausewatch.settings import Settings
from clausewatch.taxonomy import default_taxonomy
from clausewatch.tracking import code_version
from clausewatch.tracking.analyze import Analyzer


def test_stored_version_includes_code(tmp_path: Path) -> None:
    taxonomy = default_taxonomy()
    classifier = Classifier.load(Settings(data_dir=tmp_path), taxonomy=taxonomy)

    version = Analyzer(classifier, taxonomy).model_version

    digest = code_version.analysis_code_digest()
    assert version == f"{classifier.version}+code-{digest[:8]}"
    assert len(version) <= 80  # the width of the stored column


def copy_package(destination: Path) -> Path:
    source = Path(clausewatch.__file__).parent
    for package in ("classify", "analysis", "taxonomy", "segment"):
        shutil.copytree(
            source / package,
            destination / package,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    return destination


def digest_of(root: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(clausewatch, "__file__", str(root / "__init__.py"))
    code_version.analysis_code_digest.cache_clear()
    try:
        return code_version.analysis_code_digest()
    finally:
        code_version.analysis_code_digest.cache_clear()


# The segmenter counts because the lead-in it gives a list item rules out types.
@pytest.mark.parametrize(
    "changed_file", ["classify/navigation.py", "segment/provisions.py"]
)
def test_code_digest_follows_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed_file: str
) -> None:
    root = copy_package(tmp_path / "clausewatch")
    before = digest_of(root, monkeypatch)
    again = digest_of(root, monkeypatch)
    source = root / changed_file
    source.write_text(source.read_text() + "\n# changed\n")
    after = digest_of(root, monkeypatch)

    assert again == before
    assert after != before


def test_code_digest_ignores_compiled_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_package(tmp_path / "clausewatch")
    before = digest_of(root, monkeypatch)
    (root / "classify" / "__pycache__").mkdir()
    (root / "classify" / "__pycache__" / "navigation.cpython-311.pyc").write_bytes(b"x")

    assert digest_of(root, monkeypatch) == before
