"""Word-level diffs: exact rebuilding of both texts and escaped HTML."""

from __future__ import annotations

import html
import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausewatch.diff import WordDiff, word_diff

TEXT_PAIRS = [
    ("", ""),
    ("", "We collect your location."),
    ("We collect your location.", ""),
    ("We keep logs for 30 days.", "We keep logs for 90 days."),
    ("We do not sell your data.", "We sell your data."),
    ("Line one.\n\nLine  two.\t", "Line one.\nLine two, changed.  "),
    ("You’re in control of “your” data.", 'You\'re in control of "your" data.'),
    ("Données personnelles — 個人情報 🙂", "Données sensibles — 個人情報 🙂!"),
]


@pytest.mark.parametrize(("before", "after"), TEXT_PAIRS)
def test_word_diff_rebuilds_both_texts(before: str, after: str) -> None:
    diff = word_diff(before, after)
    assert diff.old_text == before
    assert diff.new_text == after
    assert diff.changed == (before != after)


WORDY_TEXT = st.lists(
    st.sampled_from(["we", "sell", "not", "data", " ", "  ", "\n", ",", ".", "é"]),
    max_size=60,
).map("".join)


@given(st.one_of(st.text(max_size=200), WORDY_TEXT), WORDY_TEXT)
def test_word_diff_rebuilds_any_texts(before: str, after: str) -> None:
    diff = word_diff(before, after)
    assert diff.old_text == before
    assert diff.new_text == after
    assert all(text for _, text in diff.ops)
    kinds = [op for op, _ in diff.ops]
    assert all(a != b for a, b in zip(kinds, kinds[1:], strict=False))


def test_word_diff_marks_changed_words() -> None:
    diff = word_diff("We keep logs for 30 days.", "We keep logs for 90 days.")
    assert diff.ops == (
        ("equal", "We keep logs for "),
        ("delete", "30"),
        ("insert", "90"),
        ("equal", " days."),
    )


def test_word_diff_merges_short_equal_runs() -> None:
    diff = word_diff("We saw the cat sat here.", "We saw a dog ran here.")
    # The single spaces between changed words are absorbed into one phrase edit.
    assert diff.ops == (
        ("equal", "We saw "),
        ("delete", "the cat sat"),
        ("insert", "a dog ran"),
        ("equal", " here."),
    )


def test_identical_texts_one_equal_op() -> None:
    diff = word_diff("Same text.", "Same text.")
    assert diff.ops == (("equal", "Same text."),)
    assert not diff.changed


def test_html_escapes_policy_markup() -> None:
    before = 'Visit <script>alert("x")</script> now & "later".'
    after = 'Visit <b onclick="steal()">here</b> now & "later".'
    rendered = word_diff(before, after).html()

    tags_removed = re.sub(r"</?(?:ins|del)>", "", rendered)
    assert "<" not in tags_removed
    assert ">" not in tags_removed
    old_side = re.sub(r"<ins>.*?</ins>|</?del>", "", rendered)
    new_side = re.sub(r"<del>.*?</del>|</?ins>", "", rendered)
    assert html.unescape(old_side) == before
    assert html.unescape(new_side) == after


def test_html_wraps_edits_in_ins_and_del() -> None:
    rendered = word_diff("Keep 30 days.", "Keep 90 days.").html()
    assert rendered == "Keep <del>30</del><ins>90</ins> days."


def test_html_of_empty_diff_is_empty() -> None:
    assert WordDiff(()).html() == ""


def test_word_diff_of_long_unrelated_texts_is_fast() -> None:
    before = "word " * 5000
    after = " ".join(f"term{i} alpha{i} beta{i}" for i in range(2000))
    start = time.perf_counter()
    diff = word_diff(before, after)
    elapsed = time.perf_counter() - start
    assert diff.ops == (("delete", before), ("insert", after))
    # About 0.06 s on the development machine, so 2 s leaves room for slow runners.
    assert elapsed < 2.0, f"word diff took {elapsed:.2f} s"
