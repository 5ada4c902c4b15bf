"""Suspect captures: blocked, error, empty and shrunk pages."""

from __future__ import annotations

import pytest

from clausewatch.extract import assess_capture, measure_text

CLAUSE = (
    "We collect the information you give us when you create an account, and we use "
    "it to provide the service, to keep your account secure and to answer you. "
)
POLICY = "# Privacy Policy\n\n" + "\n\n".join(
    f"## Section {n}\n\n{CLAUSE}" for n in range(1, 21)
)


def test_suspect_normal_policy() -> None:
    assert assess_capture(POLICY, None) is None
    assert assess_capture(POLICY, POLICY) is None


def test_suspect_long_policy_with_phrases() -> None:
    policy = POLICY + (
        "\n\nPlease log in to continue to your privacy settings. If an error "
        "occurred, try again later. We use a captcha to stop spam sign-ups.\n"
    )

    assert assess_capture(policy, POLICY) is None


@pytest.mark.parametrize("markdown", ["", "\n", "# Privacy Policy\n", "Loading...\n"])
def test_suspect_empty(markdown: str) -> None:
    suspect = assess_capture(markdown, POLICY)

    assert suspect is not None
    assert suspect.reason.startswith("empty:")


@pytest.mark.parametrize(
    ("page", "code"),
    [
        ("Just a moment...\n", "bot-check"),
        ("Checking your browser before accessing example.org.\n", "bot-check"),
        ("Access denied\n", "blocked"),
    ],
)
def test_suspect_short_blocking_page_named_by_its_phrase(page: str, code: str) -> None:
    suspect = assess_capture(page, POLICY)

    assert suspect is not None
    assert suspect.reason.startswith(f"{code}: a ")


def test_suspect_shrunk() -> None:
    shrunk = POLICY[: len(POLICY) // 4]

    suspect = assess_capture(shrunk, POLICY)

    assert suspect is not None
    assert suspect.reason.startswith("shrunk: text is 2")
    assert "of the previous version" in suspect.reason


def test_suspect_small_edit_not_shrunk() -> None:
    edited = POLICY[: int(len(POLICY) * 0.8)]

    assert assess_capture(edited, POLICY) is None


FILLER = (
    "Example Notes is a note-taking service for teams and individuals. Our "
    "website offers help pages, pricing and a blog with product news for everyone "
    "who works with notes every day at home or at work."
)


@pytest.mark.parametrize(
    ("page", "code"),
    [
        (
            "Just a moment...\n\nChecking your browser before accessing the site. "
            "Please verify you are human by completing the captcha below. " + FILLER,
            "bot-check",
        ),
        ("Access denied\n\nYou have been blocked. " + FILLER, "blocked"),
        (
            "You need to enable JavaScript to run this app. " + FILLER,
            "javascript",
        ),
        ("Please sign in to continue. " + FILLER, "login"),
        ("404\n\nPage not found. Something went wrong. " + FILLER, "error"),
    ],
)
def test_suspect_blocked_pages(page: str, code: str) -> None:
    suspect = assess_capture(page, POLICY)

    assert suspect is not None
    assert suspect.reason.startswith(f"{code}:")


def test_suspect_blocked_without_history() -> None:
    page = "Access denied. You have been blocked by our security service. " + FILLER

    suspect = assess_capture(page, None)

    assert suspect is not None
    assert suspect.reason.startswith("blocked:")


def test_suspect_long_words_counted_exactly() -> None:
    # Long words make a page of under 400 words longer than the head counted first.
    page = "Access denied. You have been blocked. " + " ".join(
        ["Supercalifragilisticexpialidocious"] * 290
    )

    suspect = assess_capture(page, None)

    assert suspect is not None
    assert suspect.reason.startswith('blocked: a 296-word page containing "access')


def test_suspect_shrunk_after_previous_assessed() -> None:
    shrunk = POLICY[: len(POLICY) // 4]
    first = assess_capture(shrunk, POLICY)

    assert assess_capture(POLICY, POLICY) is None
    assert assess_capture(shrunk, POLICY) == first
    assert assess_capture(shrunk, POLICY + "\n\nOne more sentence.") != first


@pytest.mark.parametrize(
    ("markdown", "previous"),
    [
        (POLICY, None),
        (POLICY, POLICY),
        (FILLER + "\n\nPlease enable JavaScript to continue.", None),
        ("Too short.", POLICY),
        (POLICY[: len(POLICY) // 4], POLICY),
    ],
    ids=["first", "same", "blocked", "empty", "shrunk"],
)
def test_measured_assessment_matches(markdown: str, previous: str | None) -> None:
    expected = assess_capture(markdown, previous)
    measured = assess_capture(markdown, previous, measure=measure_text(markdown))

    assert measured == expected
