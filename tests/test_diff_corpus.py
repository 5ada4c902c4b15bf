"""Provision diffs over every consecutive pair of versions in the real corpus.

Paragraphs (blocks between blank lines) stand in for provisions. Keys come from a
simple matching: the same text keeps its key, and an unmatched paragraph takes the
key of the most similar unmatched old paragraph when they are at least 80% alike.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from clausewatch.diff import (
    MAX_SENTENCE_CHARS,
    ChangeKind,
    ProvisionChange,
    ProvisionState,
    diff_provisions,
    document_change_sentence,
)

SIMILARITY_CUTOFF = 80.0
HEADING = re.compile(r"^(#{1,6} .+|.+\n[=-]{3,})$")

# A keyword stand-in for the classifier, so that reclassifications occur.
KEYWORD_TYPES = {
    "arbitration": ("arbitration", "High"),
    "cookie": ("tracking", "Low"),
    "sell": ("data_sale", "High"),
    "retain": ("retention", "Medium"),
    "child": ("children", "Medium"),
    "train": ("ai_training", "Critical"),
}
SEVERITY_RANK = ["Low", "Medium", "High", "Critical"]


def split_paragraphs(text: str) -> list[str]:
    return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]


def classify(text: str) -> tuple[frozenset[str], str | None]:
    lower = text.lower()
    found = [value for word, value in KEYWORD_TYPES.items() if word in lower]
    if not found:
        return frozenset(), None
    severity = max((severity for _, severity in found), key=SEVERITY_RANK.index)
    return frozenset(clause_type for clause_type, _ in found), severity


def build_states(paragraphs: list[str], keys: list[str]) -> list[ProvisionState]:
    states = []
    heading: tuple[str, ...] = ()
    for position, (paragraph, key) in enumerate(zip(paragraphs, keys, strict=True)):
        if HEADING.match(paragraph):
            heading = (paragraph.splitlines()[0].lstrip("# "),)
        types, severity = classify(paragraph)
        states.append(
            ProvisionState(key, position, heading, paragraph, types, severity)
        )
    return states


def match_keys(
    old_paragraphs: list[str], old_keys: list[str], new_paragraphs: list[str]
) -> list[str | None]:
    unused: dict[str, list[str]] = defaultdict(list)
    for paragraph, key in zip(old_paragraphs, old_keys, strict=True):
        unused[paragraph].append(key)
    new_keys: list[str | None] = []
    for paragraph in new_paragraphs:
        same = unused.get(paragraph)
        new_keys.append(same.pop(0) if same else None)

    leftovers = {key: paragraph for paragraph, keys in unused.items() for key in keys}
    for index, paragraph in enumerate(new_paragraphs):
        if new_keys[index] is not None or not leftovers:
            continue
        best = process.extractOne(
            paragraph, leftovers, scorer=fuzz.ratio, score_cutoff=SIMILARITY_CUTOFF
        )
        if best is not None:
            key = best[2]
            new_keys[index] = key
            del leftovers[key]
    return new_keys


def history_states(versions: list[Path]) -> list[list[ProvisionState]]:
    """Read a document's versions and key their paragraphs across versions."""
    next_id = 0
    result: list[list[ProvisionState]] = []
    old_paragraphs: list[str] = []
    old_keys: list[str] = []
    for path in versions:
        paragraphs = split_paragraphs(path.read_text(encoding="utf-8"))
        keys = []
        for key in match_keys(old_paragraphs, old_keys, paragraphs):
            if key is None:
                next_id += 1
                key = f"P-{next_id:05d}"
            keys.append(key)
        result.append(build_states(paragraphs, keys))
        old_paragraphs, old_keys = paragraphs, keys
    return result


def check_change(change: ProvisionChange) -> list[str]:
    problems = []
    sentence = change.summary.sentence
    if not sentence or len(sentence) > MAX_SENTENCE_CHARS or "\n" in sentence:
        problems.append(f"{change.key} {change.kind.value}: bad sentence {sentence!r}")
    if change.kind is ChangeKind.MODIFIED:
        assert change.before is not None and change.after is not None
        diff = change.word_diff
        if diff is None or diff.old_text != change.before.text:
            problems.append(f"{change.key}: word diff does not rebuild the old text")
        elif diff.new_text != change.after.text:
            problems.append(f"{change.key}: word diff does not rebuild the new text")
    return problems


@pytest.mark.slow
def test_corpus_consecutive_versions(
    corpus_dir: Path, record_property: Callable[[str, object], None]
) -> None:
    documents = sorted(path.parent for path in corpus_dir.glob("*/*/*.md"))
    histories = {
        folder: sorted(folder.glob("*.md")) for folder in dict.fromkeys(documents)
    }
    problems: list[str] = []
    counts: dict[str, int] = defaultdict(int)
    pairs = 0
    elapsed = 0.0
    for folder, versions in histories.items():
        states = history_states(versions)
        for before, after in zip(states, states[1:], strict=False):
            start = time.process_time()
            changes = diff_provisions(before, after)
            elapsed += time.process_time() - start
            pairs += 1
            for change in changes:
                counts[change.kind.value] += 1
                counts["cosmetic"] += change.cosmetic
                problems.extend(f"{folder.name}: {p}" for p in check_change(change))
            event = document_change_sentence(
                changes, document=folder.name, platform=folder.parent.name
            )
            if not event.startswith(f"{folder.name} of {folder.parent.name}: "):
                problems.append(f"{folder}: bad document sentence {event!r}")

    record_property("pairs", pairs)
    record_property("diff_cpu_seconds", round(elapsed, 3))
    record_property("change_counts", dict(counts))
    print(f"diffed {pairs} version pairs in {elapsed:.2f} s of CPU: {dict(counts)}")
    assert pairs > 0, f"no document with two versions under {corpus_dir}"
    assert problems == []
    for kind in ChangeKind:
        assert counts[kind.value] > 0, f"no {kind.value} change in the whole corpus"


def test_corpus_quote_swap_is_cosmetic(corpus_dir: Path) -> None:
    folder = corpus_dir / "ChatGPT" / "Terms of Service"
    versions = [
        folder / "2026-06-29T10-30-01Z.md",
        folder / "2026-07-25T10-30-00Z.md",
    ]
    if not all(path.exists() for path in versions):
        pytest.skip(f"versions not found in {folder}")
    before, after = history_states(versions)
    changes = diff_provisions(before, after)
    assert changes, "expected the apostrophe change between these versions"
    assert all(change.cosmetic for change in changes)
