"""Segmentation of Markdown into provisions, on hand-written policy text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clausewatch.segment import MAX_PROVISION_CHARS, Segment, segment_markdown

POLICY = """\
# Example Privacy Policy

Last updated: March 3, 2025

## 1. Information we collect

We collect the information you give us when you create an account.

- **Account data:** your name, e-mail address and password, which we keep while your
  account is open.
- **Payment data:** the card details you enter when you buy a subscription, which our
  payment processor stores on our behalf.
    - Card numbers never reach our own servers, and we only see the last four digits.

Data we receive from partners
=============================

Advertising partners may tell us which of their ads you saw before you signed up.

## 2. Your choices

| Choice | How |
| --- | --- |
| Delete your account | Settings, then Account, then Delete |
"""


def texts(segments: list[Segment]) -> list[str]:
    return [segment.text for segment in segments]


def test_segment_headings_build_path() -> None:
    segments = segment_markdown(POLICY)
    by_start = {segment.text[:20]: segment for segment in segments}

    assert by_start["Last updated: March "].heading_path == ("Example Privacy Policy",)
    assert by_start["We collect the infor"].heading_path == (
        "Example Privacy Policy",
        "1. Information we collect",
    )
    assert by_start["Advertising partners"].heading_path == (
        "Data we receive from partners",
    )
    assert by_start["| Choice | How |\n| -"].heading_path == (
        "Data we receive from partners",
        "2. Your choices",
    )


def test_segment_headings_are_not_provisions() -> None:
    found = texts(segment_markdown(POLICY))

    assert not any(text.startswith("#") for text in found)
    assert "Data we receive from partners" not in found
    assert not any(text.startswith("====") for text in found)


def test_segment_kinds_and_positions() -> None:
    segments = segment_markdown(POLICY)

    assert [segment.position for segment in segments] == list(range(len(segments)))
    assert [segment.kind for segment in segments] == [
        "paragraph",
        "paragraph",
        "list_item",
        "list_item",
        "paragraph",
        "table",
    ]


def test_segment_nested_item_stays_with_parent() -> None:
    items = [s.text for s in segment_markdown(POLICY) if s.kind == "list_item"]

    assert items[1].startswith("- **Payment data:**")
    assert items[1].endswith("we only see the last four digits.")


def test_segment_long_item_splits_children() -> None:
    parent = "- You can limit how we use your data. " + "We explain how below. " * 20
    children = [
        f"    - Option {n}: "
        + "you can switch this processing off in your settings at any time. " * 5
        for n in range(1, 5)
    ]
    markdown = "\n".join([parent.rstrip(), *children]) + "\n"

    segments = segment_markdown(markdown)

    assert len(segments) == 5
    assert segments[0].text == parent.rstrip()
    assert [s.text.lstrip().startswith("- Option") for s in segments[1:]] == [True] * 4
    assert all(s.kind == "list_item" for s in segments)


def test_segment_text_is_exact_substring() -> None:
    for segment in segment_markdown(POLICY):
        assert segment.text in POLICY
        assert segment.text == segment.text.strip()


def test_segment_long_paragraph_sentence_groups() -> None:
    sentences = [
        f"Clause {n} says that we may keep your data, e.g. your messages, "
        f"for up to {n} months after you close your account."
        for n in range(1, 41)
    ]
    paragraph = " ".join(sentences)
    assert len(paragraph) > 2 * MAX_PROVISION_CHARS

    segments = segment_markdown("# Retention\n\n" + paragraph + "\n")

    assert len(segments) >= 3
    assert all(segment.kind == "sentence_group" for segment in segments)
    assert all(len(segment.text) <= MAX_PROVISION_CHARS for segment in segments)
    assert " ".join(segment.text for segment in segments) == paragraph
    assert all(segment.text.startswith("Clause ") for segment in segments)
    assert all(segment.text.endswith("account.") for segment in segments)


def test_segment_abbreviation_not_boundary() -> None:
    sentence = (
        "We share data with processors, e.g. Hosting Inc. and Mail Co. in Europe. "
    )
    paragraph = sentence * 40

    segments = segment_markdown(paragraph)

    assert all(segment.text.endswith("in Europe.") for segment in segments)


def test_segment_long_table_splits_rows() -> None:
    rows = [
        f"| Purpose {n} | We process your data to provide feature {n} of the service "
        "and to keep it secure. |"
        for n in range(1, 21)
    ]
    table = "\n".join(["| Purpose | Explanation |", "| --- | --- |", *rows])

    segments = segment_markdown(table + "\n")

    assert len(segments) == 21
    assert segments[0].text == "| Purpose | Explanation |"
    assert segments[1].text == rows[0]
    assert all(segment.kind == "table" for segment in segments)


def test_segment_long_table_row_splits_cells() -> None:
    cell = "We use the data to show you ads that match your interests. " * 30
    row = f"| Advertising | {cell.strip()} |"

    segments = segment_markdown("| Use | Detail |\n| --- | --- |\n" + row + "\n")

    assert len(segments) >= 3
    assert all(len(segment.text) <= MAX_PROVISION_CHARS for segment in segments[1:])
    assert segments[1].text == "Advertising"
    assert all(segment.kind in {"table", "sentence_group"} for segment in segments)


def test_segment_drops_navigation_fragments() -> None:
    markdown = """\
Contents

- [1. Information we collect](#collect)
- [2. Your choices](#choices)

We may change this policy and will tell you by e-mail before it applies.

Back to top

[Cookie settings](https://example.com/cookies)

![logo](https://example.com/logo.png)

* * *
"""
    assert texts(segment_markdown(markdown)) == [
        "We may change this policy and will tell you by e-mail before it applies."
    ]


def test_segment_merges_short_items() -> None:
    markdown = """\
We collect:

- your name;
- your e-mail address;
- your phone number.

- We also receive the approximate location of your device from the IP address it uses.
"""
    found = texts(segment_markdown(markdown))

    assert found == [
        "We collect:",
        "- your name;\n- your e-mail address;\n- your phone number.",
        "- We also receive the approximate location of your device from the IP "
        "address it uses.",
    ]


def test_segment_bold_line_is_heading() -> None:
    markdown = """\
## Sharing

**Service providers**

We share data with companies that host our servers.

**We never sell your data.**
"""
    segments = segment_markdown(markdown)

    assert texts(segments) == [
        "We share data with companies that host our servers.",
        "**We never sell your data.**",
    ]
    assert segments[0].heading_path == ("Sharing", "Service providers")


def test_segment_heading_text_is_plain() -> None:
    markdown = (
        "## 3\\. **Your** [rights](#rights)\n\nYou may ask for a copy of your data.\n"
    )

    segments = segment_markdown(markdown)

    assert segments[0].heading_path == ("3. Your rights",)


def test_segment_empty_input() -> None:
    assert segment_markdown("") == []
    assert segment_markdown("\n\n   \n") == []
    assert segment_markdown("# Only a heading\n") == []


def test_segment_code_block_kept_whole() -> None:
    markdown = "Send this request:\n\n```\nDELETE /account\n\nHost: x\n```\n"

    found = texts(segment_markdown(markdown))

    assert found == ["Send this request:", "```\nDELETE /account\n\nHost: x\n```"]


markdown_text = st.lists(
    st.sampled_from(list("ab .,#*-=|1\\[]()>_`\n\t") + ["We ", "<br>", "e.g. "]),
    max_size=200,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(markdown_text)
def test_segment_any_text_substrings(markdown: str) -> None:
    segments = segment_markdown(markdown)

    assert [segment.position for segment in segments] == list(range(len(segments)))
    for segment in segments:
        assert segment.text
        assert segment.text in markdown
        assert segment.kind in {"paragraph", "list_item", "table", "sentence_group"}
    assert segment_markdown(markdown) == segments


def test_segment_chapter_inside_list_item() -> None:
    clause = "We keep the data you give us for as long as your account stays open. "
    markdown = (
        "1. Data we collect\n"
        "   ----------------\n\n"
        "   ### Registration\n\n"
        f"   {clause * 10}\n\n"
        "   ### Profile\n\n"
        f"   {clause * 10}\n\n"
        "   - Your photo, if you add one to your profile page.\n"
    )

    segments = segment_markdown(markdown)

    assert [s.heading_path for s in segments] == [
        ("Data we collect", "Registration"),
        ("Data we collect", "Profile"),
        ("Data we collect", "Profile"),
    ]
    assert segments[0].text == (clause * 10).strip()
    assert segments[2].text == "- Your photo, if you add one to your profile page."
    assert [s.kind for s in segments] == ["paragraph", "paragraph", "list_item"]


def test_segment_list_items_keep_lead_in() -> None:
    markdown = """\
When you use the forum, you agree not to:

- copy the profiles of other members into another service;
- post the home address of anyone without asking them first.

**Members must not:**

- sell their account.

Moderators read reports every day.

- Reports are answered within two working days of being filed.
"""
    segments = segment_markdown(markdown)
    lead_in_of = {segment.text[:12]: segment.lead_in for segment in segments}

    assert lead_in_of["- copy the p"] == "When you use the forum, you agree not to:"
    assert lead_in_of["- sell their"] == "Members must not:"
    assert lead_in_of["When you use"] == ""
    assert lead_in_of["Moderators r"] == ""
    assert lead_in_of["- Reports ar"] == "Moderators read reports every day."


def test_segment_nested_list_lead_in_is_its_item() -> None:
    # The item is longer than one provision, so its parts become provisions.
    nested = [
        f"    - {n}. collect the e-mail addresses or phone numbers of other members "
        "of the forum, whatever tool you use;"
        for n in range(1, 13)
    ]
    markdown = "\n".join(
        [
            "Rules of the forum:",
            "",
            "- **Conduct.** You agree not to:",
            "",
            *nested,
            "- Moderators may close threads that go off topic.",
        ]
    )

    segments = segment_markdown(markdown)
    lead_ins = [segment.lead_in for segment in segments]

    assert len(markdown) > MAX_PROVISION_CHARS
    assert len(segments) == 15
    assert segments[1].text == "- **Conduct.** You agree not to:"
    assert lead_ins[1] == "Rules of the forum:"
    assert lead_ins[2:14] == [segments[1].text] * 12
    assert lead_ins[14] == "Rules of the forum:"
