"""Tables of contents, split bold headings and detached setext titles."""

from __future__ import annotations

from clausewatch.segment import Segment, segment_markdown

BOLD_CONTENTS = """\
**Example Shop Privacy Notice**

**Contents**

**A. DATA WE KEEP**

·       Data you type in

·       Data your browser sends

**B. HOW WE USE DATA**

**C. SHARING**

**D. YOUR CHOICES**

We wrote this notice for the buyers and sellers who use the Example Shop website.

**A.** **DATA WE KEEP**

We keep the name, postal address and order history of every buyer account.

**B.** **HOW WE USE DATA**

We use order histories to suggest products and to detect payment fraud.

**C.** **SHARING**

We give delivery firms the postal address of each order they carry.

**D.** **YOUR CHOICES**

You may close your account at any time from the settings page.
"""


def by_opening(segments: list[Segment]) -> dict[str, Segment]:
    return {segment.text[:24]: segment for segment in segments}


def texts(segments: list[Segment]) -> list[str]:
    return [segment.text for segment in segments]


def test_contents_entries_open_no_section() -> None:
    segments = by_opening(segment_markdown(BOLD_CONTENTS))

    assert segments["We keep the name, postal"].heading_path == ("A. DATA WE KEEP",)
    assert segments["We use order histories t"].heading_path == ("B. HOW WE USE DATA",)
    assert segments["You may close your accou"].heading_path == ("D. YOUR CHOICES",)


def test_contents_text_after_table_keeps_title() -> None:
    segments = by_opening(segment_markdown(BOLD_CONTENTS))

    assert segments["We wrote this notice for"].heading_path == (
        "Example Shop Privacy Notice",
    )
    assert segments["·       Data you type in"].heading_path == (
        "Example Shop Privacy Notice",
    )


def test_contents_entries_are_not_provisions() -> None:
    found = texts(segment_markdown(BOLD_CONTENTS))

    assert not any("DATA WE KEEP" in text for text in found)
    assert not any("Contents" in text for text in found)
    assert len(found) == 7


def test_split_bold_line_is_heading() -> None:
    markdown = (
        "**4.** **Refunds**\n\nWe refund an order within 14 days of its return.\n"
    )

    segments = segment_markdown(markdown)

    assert texts(segments) == ["We refund an order within 14 days of its return."]
    assert segments[0].heading_path == ("4. Refunds",)


def test_split_bold_sentence_is_not_heading() -> None:
    markdown = "**Note:** **we never sell data.**\n\nBody text of the policy here.\n"

    segments = segment_markdown(markdown)

    assert texts(segments)[0] == "**Note:** **we never sell data.**"
    assert segments[1].heading_path == ()


ATX_CONTENTS = """\
# Example Cloud Terms

## Contents

### 1. Your account
### 2. Payments
### 3. Ending the contract

These terms apply to every plan of the Example Cloud storage service, paid or free.

## 1. Your account

You must keep your password secret and tell us when someone else uses it.

## 2. Payments

We charge the card on file at the start of every month of the subscription.

## 3. Ending the contract

Either party may end the contract with thirty days of written notice.
"""


def test_contents_of_markdown_headings() -> None:
    segments = by_opening(segment_markdown(ATX_CONTENTS))

    assert segments["These terms apply to eve"].heading_path == ("Example Cloud Terms",)
    assert segments["You must keep your passw"].heading_path == (
        "Example Cloud Terms",
        "1. Your account",
    )
    assert segments["Either party may end the"].heading_path == (
        "Example Cloud Terms",
        "3. Ending the contract",
    )


ANCHOR_CONTENTS = """\
**Example Maps Privacy Policy**

**[Where you have been](#history)**

**[Who sees your places](#sharing)**

**[How to delete them](#deleting)**

This policy explains what the Example Maps app keeps about the places you visit.

**Where you have been**

We store the places you visit while location history is switched on.

**Who sees your places**

Only the friends you choose can see the places you share.

**How to delete them**

You can delete one place or your whole history from the timeline page.
"""


def test_contents_of_anchor_links() -> None:
    segments = segment_markdown(ANCHOR_CONTENTS)

    assert [segment.heading_path for segment in segments] == [
        ("Example Maps Privacy Policy",),
        ("Where you have been",),
        ("Who sees your places",),
        ("How to delete them",),
    ]


# The same terms for two regions, whose short sections follow each other without body
# text between them in each copy.
REPEATED_TERMS = """\
# Terms for customers in Ruritania

**1. Who we are**

**2. Law**

**3. Courts**

**4. Contact**

Write to the address printed on your invoice.

# Terms for customers in Freedonia

**1. Who we are**

**2. Law**

**3. Courts**

**4. Contact**

Write to the address printed on your invoice.
"""


def test_repeated_copy_is_not_contents() -> None:
    segments = segment_markdown(REPEATED_TERMS)

    assert [segment.heading_path for segment in segments] == [
        ("Terms for customers in Ruritania", "4. Contact"),
        ("Terms for customers in Freedonia", "4. Contact"),
    ]


RECURRING_SUBHEADINGS = """\
## Messages

**Highlights**

**In short**

**Take control**

We keep your messages until you delete them from the inbox.

## Photos

**Highlights**

We scan photos for known abuse material before they are shared.

**In short**

We keep photos for as long as your account exists.

**Take control**

You can switch off face grouping in the photo settings.

## Contacts

**Highlights**

We upload your address book only when you allow it.

**In short**

We keep contacts until you remove them from the app.

**Take control**

You can remove uploaded contacts from the privacy page.
"""


def test_recurring_subheadings_are_not_contents() -> None:
    segments = by_opening(segment_markdown(RECURRING_SUBHEADINGS))

    assert segments["We keep your messages un"].heading_path == (
        "Messages",
        "Take control",
    )


DETACHED_TITLES = """\
Example Studio Upload Terms


-------------------------------

You license the files you upload to us for as long as we show them.

Example Studio Ads Terms


----------------------------

You pay for each ad on the day it first runs.
"""


def test_detached_setext_title_is_heading() -> None:
    segments = segment_markdown(DETACHED_TITLES)

    assert texts(segments) == [
        "You license the files you upload to us for as long as we show them.",
        "You pay for each ad on the day it first runs.",
    ]
    assert segments[0].heading_path == ("Example Studio Upload Terms",)
    assert segments[1].heading_path == ("Example Studio Ads Terms",)


def test_short_break_after_paragraph_stays_break() -> None:
    markdown = (
        "# Refunds\n\nWe refund unused credit on request.\n\n---\n\n"
        "Credit bought in a sale is not refunded.\n"
    )

    segments = segment_markdown(markdown)

    assert texts(segments) == [
        "We refund unused credit on request.",
        "Credit bought in a sale is not refunded.",
    ]
    assert segments[1].heading_path == ("Refunds",)
