"""Canonical Markdown: normalize_markdown on hand-written cases and random text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clausewatch.extract import normalize_markdown


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("We keep data.\r\nWe delete it.\r\n", "We keep data.\nWe delete it.\n"),
        ("Old Mac line\rbreak", "Old Mac line\nbreak\n"),
        ("caf\u0065\u0301 policy", "caf\u00e9 policy\n"),
        ("thirty\u00a0days and\u2009more", "thirty days and more\n"),
        ("zero\u200bwidth\ufeff and soft\u00adhyphen", "zerowidth and softhyphen\n"),
        ("trailing   \t\nspaces  ", "trailing\nspaces\n"),
        ("one\n\n\n\n\ntwo\n\n\n", "one\n\ntwo\n"),
        ("\n\n\nleading blank lines", "leading blank lines\n"),
        (
            "*   star item\n+ plus item\n-   dash item",
            "- star item\n- plus item\n- dash item\n",
        ),
        ("    *   nested star", "    - nested star\n"),
        ("1.   spaced number\n2)  paren", "1. spaced number\n2) paren\n"),
        ("Title\n=====\n\nText", "# Title\n\nText\n"),
        ("Section\n-------\nText", "## Section\nText\n"),
        ("##   Spaced heading   ##", "## Spaced heading\n"),
        ("#\tTabbed", "# Tabbed\n"),
        ("**bold line**\n* * *\nafter", "**bold line**\n* * *\nafter\n"),
        ("", ""),
        ("   \n\t\n", ""),
    ],
)
def test_normalize_cases(raw: str, expected: str) -> None:
    assert normalize_markdown(raw) == expected


def test_normalize_keeps_fenced_code() -> None:
    raw = "```\n* not a list\nTitle\n=====\n```\n"

    assert normalize_markdown(raw) == raw


def test_normalize_lazy_continuation_not_heading() -> None:
    raw = "- item\ncontinued\n---\n"

    assert normalize_markdown(raw) == raw


def test_normalize_keeps_escaped_markup() -> None:
    raw = "A sentence with \\<script>alert(1)\\</script> as text.\n"

    assert normalize_markdown(raw) == raw


def test_normalize_same_text_same_output() -> None:
    fetched = "Privacy\u00a0Policy\r\n=======\r\n\r\n*   We sell\u200b nothing.  \r\n"
    imported = "# Privacy Policy\n\n- We sell nothing.\n"

    assert normalize_markdown(fetched) == normalize_markdown(imported)


markdown_pieces = st.sampled_from(
    list("ab #*-=+|>`~1.)\\\n\t\r")
    + ["\u00a0", "\u200b", "e\u0301", "```", "\n\n", "* ", "- ", "1. ", "# "]
    + ["===", "---", "* * *", "**", "We share data. "]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(markdown_pieces, max_size=60).map("".join))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_markdown(text)

    assert normalize_markdown(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_normalize_any_unicode_idempotent(text: str) -> None:
    once = normalize_markdown(text)

    assert normalize_markdown(once) == once
    assert "\r" not in once
    assert "\u00a0" not in once
    assert "\u200b" not in once
