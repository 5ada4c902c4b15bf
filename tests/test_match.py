"""Matching provisions between two versions of a document."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clausewatch.match import Match, comparison_key, match_provisions

PREVIOUS = [
    "We collect your name and e-mail address when you sign up.",
    "We use cookies to remember your language and to measure traffic.",
    "We keep your data for as long as your account is open.",
    "You can ask us to delete your data at any time.",
    "We may change this policy and will tell you by e-mail.",
]


def pairs(matches: list[Match]) -> list[int | None]:
    return [match.previous_index for match in matches]


def test_match_identical_versions() -> None:
    matches = match_provisions(PREVIOUS, list(PREVIOUS))

    assert pairs(matches) == [0, 1, 2, 3, 4]
    assert [match.similarity for match in matches] == [1.0] * 5
    assert [match.current_index for match in matches] == [0, 1, 2, 3, 4]


def test_match_edited_clause_keeps_identity() -> None:
    current = list(PREVIOUS)
    current[2] = "We keep your data for as long as your account is open, plus 30 days."

    matches = match_provisions(PREVIOUS, current)

    assert pairs(matches) == [0, 1, 2, 3, 4]
    assert 0.6 <= matches[2].similarity < 1.0


def test_match_moved_clause() -> None:
    current = [PREVIOUS[3], PREVIOUS[0], PREVIOUS[1], PREVIOUS[2], PREVIOUS[4]]

    assert pairs(match_provisions(PREVIOUS, current)) == [3, 0, 1, 2, 4]


def test_match_moved_and_edited_clause() -> None:
    current = [
        PREVIOUS[0],
        PREVIOUS[1],
        PREVIOUS[2],
        PREVIOUS[4],
        "You can ask us to delete your personal data at any time.",
    ]

    assert pairs(match_provisions(PREVIOUS, current)) == [0, 1, 2, 4, 3]


def test_match_added_and_removed() -> None:
    current = [
        PREVIOUS[0],
        "We train our models on the conversations you have with our assistant.",
        PREVIOUS[2],
        PREVIOUS[3],
        PREVIOUS[4],
    ]

    matches = match_provisions(PREVIOUS, current)

    assert pairs(matches) == [0, None, 2, 3, 4]
    assert matches[1].similarity == 0.0


def test_match_repeated_text_by_position() -> None:
    previous = ["Intro.", "Learn more.", "Cookies clause.", "Learn more.", "End."]
    current = [
        "Intro.",
        "New clause here.",
        "Learn more.",
        "Cookies clause.",
        "Learn more.",
    ]

    assert pairs(match_provisions(previous, current)) == [0, None, 1, 2, 3]


def test_match_formatting_change() -> None:
    previous = ["*   **Account data:** your name and e-mail address."]
    current = ["- **Account data:** your name and e-mail address."]

    matches = match_provisions(previous, current)

    assert pairs(matches) == [0]
    assert 0.9 < matches[0].similarity < 1.0


def test_match_unrelated_below_threshold() -> None:
    previous = ["We sell your data to advertisers."]
    current = ["Arbitration takes place in Delaware under its law."]

    assert pairs(match_provisions(previous, current)) == [None]


def test_match_threshold_out_of_range() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        match_provisions(PREVIOUS, PREVIOUS, threshold=60)


def test_match_empty_sides() -> None:
    assert match_provisions([], []) == []
    assert pairs(match_provisions([], PREVIOUS[:2])) == [None, None]
    assert match_provisions(PREVIOUS, []) == []


def test_comparison_key_ignores_formatting() -> None:
    assert comparison_key("*   **We  sell**\u00a0data") == comparison_key(
        "- we sell data"
    )


def synthetic_version(size: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = (
        "data account service we you your share collect partners cookies law "
        "delete request consent process provide third parties rights notice terms"
    ).split()
    return [
        f"{n}. " + " ".join(rng.choice(words) for _ in range(rng.randint(8, 60)))
        for n in range(size)
    ]


def edit_version(previous: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    current = []
    for text in previous:
        roll = rng.random()
        if roll < 0.05:
            continue
        if roll < 0.2:
            text = text + " unless the law requires otherwise"
        current.append(text)
        if roll > 0.97:
            current.append("A new clause about artificial intelligence training data.")
    rng.shuffle(current[:50])
    return current


def best_seconds(previous: list[str], current: list[str]) -> float:
    """Time matching three times and keep the fastest, to discount machine load."""
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        match_provisions(previous, current)
        timings.append(time.perf_counter() - started)
    return min(timings)


@pytest.mark.parametrize("size", [1000, 1500])
def test_match_speed_large_versions(size: int) -> None:
    previous = synthetic_version(size, seed=1)
    current = edit_version(previous, seed=2)
    unrelated = synthetic_version(size, seed=3)

    assert best_seconds(previous, current) < 1.0
    assert best_seconds(previous, unrelated) < 1.0


def test_match_large_edited_version() -> None:
    previous = synthetic_version(1000, seed=1)
    current = edit_version(previous, seed=2)

    matches = match_provisions(previous, current)

    matched = [m for m in matches if m.previous_index is not None]
    new_clauses = [
        m for m in matches if current[m.current_index].startswith("A new clause")
    ]
    assert len(matched) + len(new_clauses) == len(current)
    assert all(m.previous_index is None for m in new_clauses)
    for match in matched:
        assert (
            previous[match.previous_index].split(" ")[0]
            == (current[match.current_index].split(" ")[0])
        )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(PREVIOUS + ["Learn more.", "Learn more!"]), max_size=12),
    st.lists(st.sampled_from(PREVIOUS + ["Learn more.", "Learn more!"]), max_size=12),
)
def test_match_is_one_to_one(previous: list[str], current: list[str]) -> None:
    matches = match_provisions(previous, current)

    assert [match.current_index for match in matches] == list(range(len(current)))
    used = [
        match.previous_index for match in matches if match.previous_index is not None
    ]
    assert len(used) == len(set(used))
    for match in matches:
        assert 0.0 <= match.similarity <= 1.0
        if match.previous_index is not None:
            same = previous[match.previous_index] == current[match.current_index]
            assert (match.similarity == 1.0) == same
