"""Recognition of formatting-only changes and of stated document dates."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausewatch.diff import is_cosmetic
from clausewatch.diff.dates import StatedDate, find_stated_dates

COSMETIC_PAIRS = [
    ("We keep logs.", "We keep logs."),
    ("We keep   your logs\nfor a while.", "We keep your logs for a while."),
    ("* You may opt out at any time.", "- You may opt out at any time."),
    ("1. You may opt out.", "2) You may opt out."),
    ("(a) Users can export data.", "(b) Users can export data."),
    ("Read our “Cookie Notice” first.", 'Read our "Cookie Notice" first.'),
    ("You’re responsible for your account.", "You're responsible for your account."),
    ("We collect data; we store it.", "We collect data, we store it."),
    ("We use **your** content.", "We use your content."),
    ("See [our notice](https://example.com/a).", "See our notice."),
    ("See [our notice](https://example.com/a).", "See [our notice](https://x.org/b)."),
    ("Contact us by e-mail.", "Contact us by email."),
    ("The Services may change.", "The services may change."),
    ("7\\. Apps and Actions", "7. Apps and Actions"),
    ("17.4. Relationship of the parties.", "16.4. Relationship of the parties."),
    ("24.2.5 Notice to you.", "24.2.6 Notice to you."),
    ("Policy\u2060 text", "Policy text"),
    ("Last updated: January 5, 2025", "Last updated: March 1, 2026"),
    ("**Last updated:** January 5, 2025", "Last Updated: March 1, 2026"),
    ("Effective 2025-01-05", "Effective 2026-03-01"),
    ("Effective date: 5 January 2025.", "Effective date: 1 March 2026."),
    ("Last revised on 01/05/2025", "Last revised on 03/01/2026"),
    ("Updated: October 30, 2025", "Updated: December 17, 2025"),
    ("January 5, 2025", "March 1, 2026"),
]

MATERIAL_PAIRS = [
    ("We keep logs for 30 days.", "We keep logs for 90 days."),
    ("We do not sell your data.", "We sell your data."),
    ("We sell your data.", "We never sell your data."),
    ("Fees rise by 5%.", "Fees rise by 5."),
    ("We keep logs for 1.5 years.", "We keep logs for 15 years."),
    ("1.5 million users joined.", "2.5 million users joined."),
    ("We share data with partners.", "We share data with advertisers."),
    ("We may delete your content.", "We will delete your content."),
    ("We delete data by January 5, 2025.", "We delete data by March 1, 2026."),
    ("Last updated: January 5, 2025. We sell data.", "Last updated: March 1, 2026."),
    (
        "Do not add an app unless you trust it.",
        "DO NOT ADD AN APP UNLESS YOU TRUST IT.",
    ),
    ("", "We collect your location."),
]


@pytest.mark.parametrize(("before", "after"), COSMETIC_PAIRS)
def test_formatting_change_is_cosmetic(before: str, after: str) -> None:
    assert is_cosmetic(before, after)
    assert is_cosmetic(after, before)


@pytest.mark.parametrize(("before", "after"), MATERIAL_PAIRS)
def test_wording_change_is_material(before: str, after: str) -> None:
    assert not is_cosmetic(before, after)
    assert not is_cosmetic(after, before)


@pytest.mark.parametrize(
    ("text", "label", "date"),
    [
        ("Last updated: January 5, 2025", "Last updated", "January 5, 2025"),
        ("Effective as of 5th of May, 2024", "Effective as of", "5th of May, 2024"),
        ("Updated: Dec. 17, 2025", "Updated", "Dec. 17, 2025"),
        ("Version date 2024/02/29", "Version date", "2024/02/29"),
        ("_Date of last revision_ – 29.02.2024", "Date of last revision", "29.02.2024"),
        ("March 2026", "", "March 2026"),
    ],
)
def test_stated_date_found(text: str, label: str, date: str) -> None:
    assert find_stated_dates(text) == [StatedDate(label, date)]


def test_date_inside_clause_is_not_stated_date() -> None:
    assert find_stated_dates("We delete data by March 1, 2026.") == []


@given(st.text(max_size=120), st.text(max_size=120))
def test_is_cosmetic_symmetric(before: str, after: str) -> None:
    assert is_cosmetic(before, after) == is_cosmetic(after, before)


@given(st.text(max_size=120))
def test_added_negation_is_material(text: str) -> None:
    assert is_cosmetic(text, text + "  ")
    assert not is_cosmetic(text, text + " not")
