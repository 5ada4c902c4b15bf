"""Recognising a section heading or an unanswered question kept as a provision."""

from __future__ import annotations

import pytest

from clausewatch.classify.headings import is_heading_or_question


@pytest.mark.parametrize(
    "text",
    [
        "Information we collect from you",
        "2\\. Personal data we collect",
        "5.3 Keeping your information",
        "**4.1 Deleting your account.**",
        "6\\. Limits on Our Liability.",
        "Section 9: Governing Law",
        "**(c)** **Advertising partners**",
        "_How we share your information_",
        "**4. SALE OF PERSONAL INFORMATION**",
        "8. Data retention and deletion",
        "5. **How We Use This Information**",
        "What information do we collect about you?",
        "Can I ask you to delete my chats, and how long does that take?",
    ],
)
def test_heading_or_question_recognised(text):
    assert is_heading_or_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "We sell your data.",
        "You may delete your account at any time.",
        "1\\. We may share your personal information with our advertising partners.",
        "**We never sell your personal data.**",
        "Do we sell your data? No, and we never will.",
        "We may share your information with the following partners:",
        "9.2. Except where the law forbids it, we are not liable for",
        "(2) the processing is needed to comply with a legal obligation; or",
        "THE SERVICE IS PROVIDED AS IS AND WITHOUT ANY WARRANTY",
        "Last updated: 1 May 2024",
        "We receive data about you from advertisers",
        "you can delete your account in the settings",
        "- your precise location",
        "1. your contact details",
        "2. We share your data with advertisers.",
        "| Location | From your device |",
        "We keep your chats for three years after you close your account and then "
        "delete them from our servers",
        "",
    ],
)
def test_clause_or_list_item_not_a_heading(text):
    assert not is_heading_or_question(text)
