"""Scanning policy Markdown into sentences, on text written for these tests."""

from __future__ import annotations

import pytest

from clausewatch.analysis.scanning import (
    Link,
    Sentence,
    clean_text,
    iter_sentences,
    plain_with_links,
    split_blocks,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain words stay as they are.", "Plain words stay as they are."),
        ("**Privacy** and __choices__", "Privacy and choices"),
        ("_Privacy_ notice", "Privacy notice"),
        ("*Note:* write to us", "Note: write to us"),
        ("\\*not emphasis\\* and a\\_b", "*not emphasis* and a_b"),
        ("snake_case_name", "snake_case_name"),
        ("2 * 3 = 6", "2 * 3 = 6"),
        ("priv\u00adacy e\u200bmail \u2060here", "privacy email here"),
        ("café **menu** ’quoted’", "café menu ’quoted’"),
    ],
    ids=[
        "no-markup",
        "strong",
        "single-underscore",
        "single-star-after-punctuation",
        "escapes",
        "inner-underscores",
        "spaced-star",
        "invisible",
        "non-ascii-without-invisible",
    ],
)
def test_clean_text(text: str, expected: str) -> None:
    assert clean_text(text) == expected


def sentence_texts(markdown: str) -> list[str]:
    return [sentence.text for sentence in iter_sentences(markdown)]


def test_sentences_split_before_capital_or_digit() -> None:
    markdown = "We left! Did we? Yes; 2 more. and lower case stays. (Then) this."

    assert sentence_texts(markdown) == [
        "We left!",
        "Did we?",
        "Yes;",
        "2 more. and lower case stays.",
        "(Then) this.",
    ]


def test_closing_quote_stays_with_sentence() -> None:
    markdown = 'Press "Delete." Then confirm (in Settings.) Done.'

    assert sentence_texts(markdown) == [
        'Press "Delete."',
        "Then confirm (in Settings.)",
        "Done.",
    ]


def test_abbreviation_does_not_end_sentence() -> None:
    markdown = "Example Inc. 12 Main Street is ours, e.g. 14 more. Next one."

    assert sentence_texts(markdown) == [
        "Example Inc. 12 Main Street is ours, e.g. 14 more.",
        "Next one.",
    ]


def test_address_abbreviations_do_not_end_sentence() -> None:
    markdown = "Mail Example Pte. Ltd. at 9 Cedar Rd. Springfield. Next one."

    assert sentence_texts(markdown) == [
        "Mail Example Pte. Ltd. at 9 Cedar Rd. Springfield.",
        "Next one.",
    ]


def test_link_span_counts_from_sentence_start() -> None:
    markdown = "First one.   See [the **form**](https://example.org/f) now."

    sentences = list(iter_sentences(markdown))

    assert sentences[1] == Sentence(
        "See the form now.",
        (Link("the form", "https://example.org/f", 4, 12),),
        "",
    )
    assert sentences[1].text[4:12] == "the form"


def test_link_and_autolink_in_one_block() -> None:
    markdown = "Use [the form](https://a.example/f) or <https://b.example/g> today."

    text, links = plain_with_links(markdown)

    assert text == "Use the form or https://b.example/g today."
    assert [(link.anchor, link.target) for link in links] == [
        ("the form", "https://a.example/f"),
        ("https://b.example/g", "https://b.example/g"),
    ]
    assert [text[link.start : link.end] for link in links] == [
        "the form",
        "https://b.example/g",
    ]


def test_autolink_inside_link_is_one_link() -> None:
    markdown = "See [<https://a.example/f>](https://a.example/f)."

    _, links = plain_with_links(markdown)

    assert [link.target for link in links] == ["https://a.example/f"]


@pytest.mark.parametrize(
    "markdown",
    [
        "An escaped \\[bracket\\](https://a.example/x) is text.",
        "A logo ![logo](https://a.example/logo.png) is an image.",
        "No link here at all.",
    ],
    ids=["escaped", "image", "none"],
)
def test_text_without_links(markdown: str) -> None:
    _, links = plain_with_links(markdown)

    assert links == []


def test_nested_parentheses_in_target() -> None:
    _, links = plain_with_links("Read [it](https://a.example/w/Ab_(c)) first.")

    assert [link.target for link in links] == ["https://a.example/w/Ab_(c)"]


def test_blocks_keep_latest_heading() -> None:
    markdown = (
        "# Rights\n\nFirst paragraph\ncontinues here.\n\n"
        "Your choices\n------------\n\n- An item\n- Another item\n\n"
        "| Cell one | Cell two<br>second line |\n|---|---|\n"
    )

    assert list(split_blocks(markdown)) == [
        ("Rights", "First paragraph continues here."),
        ("Your choices", "An item"),
        ("Your choices", "Another item"),
        ("Your choices", "Cell one"),
        ("Your choices", "Cell two"),
        ("Your choices", "second line"),
    ]


def test_invisible_characters_removed_from_blocks() -> None:
    markdown = "# Pri\u200bvacy\n\nWrite to priv\u00adacy@example.org."

    assert list(split_blocks(markdown)) == [
        ("Privacy", "Write to privacy@example.org."),
    ]


@pytest.mark.parametrize(
    ("markdown", "url"),
    [
        ("Opt out at https://a.example/settings/ai.", "https://a.example/settings/ai"),
        ("Is it at https://a.example/form?", "https://a.example/form"),
        ("See https://a.example/x, then go on.", "https://a.example/x"),
        ("(Details: https://a.example/choices)", "https://a.example/choices"),
        (
            "Read it (https://a.example/wiki/Rule_(law)).",
            "https://a.example/wiki/Rule_(law)",
        ),
        ("Visit “https://a.example/q?id=7”.", "https://a.example/q?id=7"),
        ("The page **https://a.example/bold**! Yes.", "https://a.example/bold"),
        (
            "Go to https://a.example/my\\_data\\_page today.",
            "https://a.example/my_data_page",
        ),
        (
            "At https://a.example:8443/portal; or later.",
            "https://a.example:8443/portal",
        ),
        ("Visit www.a.example/privacy.", "https://www.a.example/privacy"),
        ("SEE WWW.A.EXAMPLE.", "https://WWW.A.EXAMPLE"),
    ],
    ids=[
        "full-stop",
        "question-mark",
        "comma",
        "closing-parenthesis",
        "balanced-parentheses",
        "curly-quotes",
        "emphasis",
        "markdown-escapes",
        "port-and-semicolon",
        "www-host",
        "www-host-upper-case",
    ],
)
def test_bare_url_is_link(markdown: str, url: str) -> None:
    text, links = plain_with_links(markdown)

    [link] = links
    assert link.target == url
    assert link.bare
    assert text[link.start : link.end] == link.anchor
    assert link.anchor.endswith(url.rsplit("/", 1)[-1])


@pytest.mark.parametrize(
    "markdown",
    [
        "Write to help@www.a.example for help.",
        "A logo ![logo](https://a.example/logo.png) is an image.",
        "An escaped \\[bracket\\](https://a.example/x) is text.",
        "The host https://localhost/x has no dot.",
        "Our site is a.example/privacy without a scheme.",
        "An attribute=https://a.example/x is not text.",
        'A pixel <img src="https://a.example/p.gif"> is not text.',
    ],
    ids=[
        "email-host",
        "image",
        "escaped-link",
        "no-dot",
        "no-www",
        "after-equals",
        "html-attribute",
    ],
)
def test_text_without_bare_urls(markdown: str) -> None:
    _, links = plain_with_links(markdown)

    assert links == []


@pytest.mark.parametrize(
    "markdown",
    [
        "Use [https://a.example/f](https://a.example/f) today.",
        "Use [the form at https://a.example/f](https://a.example/f) today.",
        "Use <https://a.example/f> today.",
    ],
    ids=["link-text", "inside-link-text", "autolink"],
)
def test_url_inside_link_is_not_bare(markdown: str) -> None:
    _, links = plain_with_links(markdown)

    assert [(link.target, link.bare) for link in links] == [
        ("https://a.example/f", False)
    ]


def test_bare_url_span_after_link() -> None:
    markdown = "Use [the *form*](https://a.example/f) or https://b.example/g now."

    sentences = list(iter_sentences(f"First one. {markdown}"))

    assert sentences[1].text == "Use the form or https://b.example/g now."
    assert [link.anchor for link in sentences[1].links] == [
        "the form",
        "https://b.example/g",
    ]
    assert [
        sentences[1].text[link.start : link.end] for link in sentences[1].links
    ] == ["the form", "https://b.example/g"]
