"""The date a document states about itself."""

from __future__ import annotations

from datetime import date

import pytest

from clausewatch.extract import find_stated_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Last updated: March 3, 2025", date(2025, 3, 3)),
        ("Effective date: 2024-11-01", date(2024, 11, 1)),
        ("Last updated 2025-03-03T12:00:00Z", date(2025, 3, 3)),
        ("Last Updated: Tuesday, 4 June 2024", date(2024, 6, 4)),
        ("Updated 3 March 2025", date(2025, 3, 3)),
        ("Last modified on 01/02/2024", date(2024, 1, 2)),
        ("Last modified on 25/02/2024", date(2024, 2, 25)),
        ("Last revised: 25.12.2023", date(2023, 12, 25)),
        ("**Effective Date:**  August 1, 2025", date(2025, 8, 1)),
        ("_Last updated: July 15, 2026_", date(2026, 7, 15)),
        ("Effective:April 8, 2026", date(2026, 4, 8)),
        ("Updated: 16:09, 29 July 2025", date(2025, 7, 29)),
        ("Updated on Jul 23, 2026", date(2026, 7, 23)),
        ("Revised 3rd of March, 2024", date(2024, 3, 3)),
        ("Last Updated: July 2026", date(2026, 7, 1)),
        ("LAST UPDATED: December 27, 2025", date(2025, 12, 27)),
        ("effective as of April 1 2025", date(2025, 4, 1)),
        ("[Effective November 3, 2025](https://example.com/old)", date(2025, 11, 3)),
        (
            "We updated our Privacy Policy, effective September 21, 2026.",
            date(2026, 9, 21),
        ),
    ],
)
def test_dates_common_formats(text: str, expected: date) -> None:
    assert find_stated_date(text) == expected


def test_dates_first_labelled_date_wins() -> None:
    markdown = (
        "# Terms\n\nLast updated: March 1, 2025\n\nWe founded the company on "
        "June 5, 2010.\n\nPrevious version effective January 2, 2024.\n"
    )

    assert find_stated_date(markdown) == date(2025, 3, 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "We may update this policy from time to time.",
        "Founded on March 3, 2025 in Berlin.",
        "Last updated: February 30, 2025",
        "Effective date: 1850-01-01",
        "Updated regularly, see 3 March 2025 below.",
    ],
)
def test_dates_none_found(text: str) -> None:
    assert find_stated_date(text) is None
