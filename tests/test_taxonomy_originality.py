"""Example and background sentences are the team's own writing, not copied text.

The check looks for long word runs that an example shares with the real policy
corpus and the labelled data sets. A run of 12 or more words is treated as copied,
while shorter runs are ordinary legal phrasing ("for a particular purpose").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from clausewatch.classify.background import load_background_sentences
from clausewatch.taxonomy import default_taxonomy

SHINGLE = 8
MAX_SHARED_RUN = 11
WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def text_files(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in {".md", ".jsonl", ".txt", ".json"}:
                yield path


def longest_shared_runs(
    sentences: list[str], sources: Iterator[Path]
) -> dict[str, int]:
    """Return, per sentence, the longest word run it shares with any source file."""
    shingles: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for index, sentence in enumerate(sentences):
        tokens = words(sentence)
        for start in range(len(tokens) - SHINGLE + 1):
            key = tuple(tokens[start : start + SHINGLE])
            shingles.setdefault(key, []).append((index, start))

    covered: dict[int, set[int]] = {index: set() for index in range(len(sentences))}
    for path in sources:
        tokens = words(path.read_text(encoding="utf-8", errors="replace"))
        for start in range(len(tokens) - SHINGLE + 1):
            hits = shingles.get(tuple(tokens[start : start + SHINGLE]))
            for index, position in hits or ():
                covered[index].add(position)

    runs: dict[str, int] = {}
    for index, positions in covered.items():
        best = current = 0
        previous = -2
        for position in sorted(positions):
            current = current + 1 if position == previous + 1 else 1
            previous = position
            best = max(best, current)
        runs[sentences[index]] = best + SHINGLE - 1 if best else 0
    return runs


@pytest.mark.slow
def test_examples_not_copied(corpus_dir: Path, labels_dir: Path) -> None:
    sentences = sorted(
        {
            sentence
            for clause_type in default_taxonomy().clause_types.values()
            for sentence in clause_type.positive_examples
            + clause_type.negative_examples
        }
        | set(load_background_sentences())
    )

    runs = longest_shared_runs(sentences, text_files(corpus_dir, labels_dir))
    copied = {sentence: run for sentence, run in runs.items() if run > MAX_SHARED_RUN}

    assert copied == {}
