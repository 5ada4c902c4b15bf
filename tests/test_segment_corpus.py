"""Segmentation and matching on real Open Terms Archive version histories."""

from __future__ import annotations

import functools
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from clausewatch.extract import normalize_markdown
from clausewatch.match import Match, match_provisions
from clausewatch.segment import segment_markdown


@dataclass(frozen=True)
class Version:
    name: str  # "<service>/<terms type>/<timestamp>.md"
    markdown: str  # normalized
    provisions: tuple[str, ...]


@functools.cache
def load_histories(corpus: Path) -> tuple[tuple[Version, ...], ...]:
    """Read, normalize and segment every version, one history per document."""
    histories = []
    for document in sorted(path for path in corpus.glob("*/*") if path.is_dir()):
        versions = []
        for file in sorted(document.glob("*.md")):
            markdown = normalize_markdown(file.read_text(encoding="utf-8"))
            provisions = tuple(s.text for s in segment_markdown(markdown))
            name = str(file.relative_to(corpus))
            versions.append(Version(name, markdown, provisions))
        histories.append(tuple(versions))
    return tuple(histories)


@functools.cache
def match_histories(corpus: Path) -> tuple[tuple[Version, Version, list[Match]], ...]:
    """Match each version's provisions to the previous version's."""
    return tuple(
        (previous, current, match_provisions(previous.provisions, current.provisions))
        for history in load_histories(corpus)
        for previous, current in zip(history, history[1:], strict=False)
    )


def test_corpus_has_histories(corpus_dir: Path) -> None:
    histories = load_histories(corpus_dir)

    assert len(histories) >= 20
    assert sum(len(history) for history in histories) >= 100


def test_corpus_versions_normalized_once(corpus_dir: Path) -> None:
    unstable = [
        version.name
        for history in load_histories(corpus_dir)
        for version in history
        if normalize_markdown(version.markdown) != version.markdown
    ]

    assert unstable == []


def test_corpus_every_version_has_provisions(corpus_dir: Path) -> None:
    empty = [
        version.name
        for history in load_histories(corpus_dir)
        for version in history
        if not version.provisions
    ]

    assert empty == []


def unfound_provisions(version: Version) -> list[str]:
    """Return the provisions not found in the version, searching in order."""
    unfound = []
    position = 0
    for text in version.provisions:
        found = version.markdown.find(text, position)
        if found < 0:
            unfound.append(text)
        else:
            position = found + 1
    return unfound


def test_corpus_provisions_are_substrings(corpus_dir: Path) -> None:
    missing = [
        (version.name, text[:80])
        for history in load_histories(corpus_dir)
        for version in history
        for text in unfound_provisions(version)
    ]

    assert missing == []


def test_corpus_identical_versions_match_identity(corpus_dir: Path) -> None:
    identical = [
        (previous, current, matches)
        for previous, current, matches in match_histories(corpus_dir)
        if previous.markdown == current.markdown
    ]
    broken = [
        current.name
        for _, current, matches in identical
        if any(
            m.previous_index != m.current_index or m.similarity != 1.0 for m in matches
        )
    ]

    assert identical, "the corpus should contain versions equal after normalization"
    assert broken == []


def test_corpus_changed_versions_mostly_match(corpus_dir: Path) -> None:
    shares = [
        sum(m.previous_index is not None for m in matches) / len(matches)
        for previous, current, matches in match_histories(corpus_dir)
        if previous.markdown != current.markdown and matches
    ]

    # Measured on 76 Open Terms Archive histories (508 versions): a median share of
    # 0.98 and 92% of the changed pairs at least half matched. The rest are rewrites,
    # language switches and pages that changed shape.
    assert len(shares) >= 50
    assert statistics.median(shares) >= 0.9
    assert sum(share >= 0.5 for share in shares) / len(shares) >= 0.85


def test_corpus_largest_pair_matches_fast(corpus_dir: Path) -> None:
    previous, current, _ = max(
        match_histories(corpus_dir),
        key=lambda pair: len(pair[0].provisions) * len(pair[1].provisions),
    )

    started = time.perf_counter()
    match_provisions(previous.provisions, current.provisions)
    elapsed = time.perf_counter() - started

    assert len(current.provisions) >= 500
    assert elapsed < 1.0
