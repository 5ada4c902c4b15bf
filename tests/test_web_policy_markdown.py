"""Provision Markdown rendered as safe HTML, and as plain text for excerpts."""

# The site fixture is imported, so pytest finds it; test arguments then shadow it.
# ruff: noqa: F811

from __future__ import annotations

import lxml.html
import pytest

from clausewatch.web.plain_text import policy_plain
from clausewatch.web.policy_markdown import is_allowed_link, policy_html
from tests.web_fixtures import WebSite, site  # noqa: F401


def parse(fragment: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(fragment, create_parent="div")


@pytest.mark.parametrize(
    ("source", "tag", "text"),
    [
        ("We **always** ask.", "strong", "always"),
        ("We _never_ sell.", "em", "never"),
        ("1. first\n2. second", "li", "second"),
        ("| Data | Kept |\n|---|---|\n| mail | 30 days |", "td", "30 days"),
    ],
)
def test_markdown_becomes_markup(source: str, tag: str, text: str) -> None:
    tree = parse(policy_html(source))

    assert text in [node.text_content() for node in tree.iter(tag)]


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(2)">',
        '<a href="javascript:alert(3)">click</a>',
        "<!-- hidden --> <svg onload=alert(4)>",
        "&lt;script&gt;alert(5)&lt;/script&gt;",
        "&#60;script&#62;alert(6)&#60;/script&#62;",
        "\\<img src=x onerror=alert(7)>",
        '<div markdown="1">x</div>',
        "text \x02klzzwxh:0000\x03 more",
    ],
)
def test_raw_html_never_becomes_markup(source: str) -> None:
    tree = parse(policy_html(source))

    tags = {node.tag for node in tree.iter()} - {"div", "p"}
    assert tags == set()
    for node in tree.iter():
        assert {name for name in node.attrib} == set()


@pytest.mark.parametrize(
    ("source", "visible"),
    [
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("Line one\\<br>line two", "Line one<br>line two"),
        ("&lt;b&gt;", "&lt;b&gt;"),
        ("\\<img src=x>", "<img src=x>"),
    ],
)
def test_raw_html_stays_visible_text(source: str, visible: str) -> None:
    assert parse(policy_html(source)).text_content() == visible


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        "[click]( JaVaScRiPt:alert(1))",
        "[click](jav&#x61;script:alert(1))",
        "[click](java\tscript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "[click](vbscript:msgbox)",
        "[click](/relative/path)",
        "[click](//elsewhere.example/x)",
        '[click](https://ok.example "title" onclick="x")',
    ],
)
def test_unsafe_link_keeps_only_text(source: str) -> None:
    tree = parse(policy_html(source))

    assert "click" in tree.text_content()
    for link in tree.iter("a"):
        assert is_allowed_link(link.get("href", ""))
        assert set(link.attrib) <= {"href", "rel", "title"}


@pytest.mark.parametrize(
    "target",
    ["https://parrotchat.example/privacy", "http://a.example", "mailto:dpo@a.example"],
)
def test_allowed_link_kept(target: str) -> None:
    tree = parse(policy_html(f"Write to [us]({target})."))

    assert [link.get("href") for link in tree.iter("a")] == [target]
    assert [link.get("rel") for link in tree.iter("a")] == ["nofollow noopener"]


def test_image_becomes_alt_text() -> None:
    tree = parse(policy_html("See ![our chart](https://tracker.example/pixel.png)."))

    assert list(tree.iter("img")) == []
    assert tree.text_content().strip() == "See our chart."


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("We **always** ask.", "We always ask."),
        ("See [the page](https://a.example/x) now.", "See the page now."),
        ("1\\. Scope", "1. Scope"),
        ("\\<img src=x>", "<img src=x>"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "a · b; 1 · 2"),
        ("Line one<br><BR/>line two<br />end", "Line one line two end"),
        ("**Our use of content.** We", "Our use of content. We"),
        ("We \\<script> nothing", "We <script> nothing"),
        ("See [this help center…", "See this help center…"),
        ("See [the help center](https://a.example/he…", "See the help center…"),
        (
            "| ### Purpose | Data<br><br>* mail<br>* [name](https://a.example) |",
            "Purpose · Data mail name",
        ),
        ("", ""),
    ],
)
def test_plain_strips_syntax(source: str, expected: str) -> None:
    assert policy_plain(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "| Data | Kept | |---|---| | mail | 30 days |",
            "Data · Kept · mail · 30 days",
        ),
        (
            "| To do this<br><br>For example, that | Your activity…",
            "To do this For example, that · Your activity…",
        ),
        (
            "We share it: * with banks * with shops *…",
            "We share it: with banks with shops …",
        ),
        ("We **sell data to brokers…", "We sell data to brokers…"),
        (
            "Files such as *.txt and snake__case names",
            "Files such as *.txt and snake__case names",
        ),
    ],
)
def test_plain_strips_flattened_excerpt(source: str, expected: str) -> None:
    assert policy_plain(source) == expected


def test_document_page_renders_provision_markdown(site: WebSite) -> None:
    document_id = site.document_id("parrotchat", "Privacy Policy")

    page = site.client.get(f"/documents/{document_id}").text
    tree = lxml.html.fromstring(page)

    links = tree.xpath("//div[contains(@class, 'provision-text')]//a/@href")
    assert "https://parrotchat.example/privacy/delete" in links
    assert "[the deletion request page]" not in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_provision_page_renders_original_language(site: WebSite) -> None:
    record_id = site.provision_id("deletion request page")

    page = site.client.get(f"/provisions/{record_id}").text
    tree = lxml.html.fromstring(page)

    quoted = tree.xpath("//blockquote[contains(@class, 'policy-text')]//a/@href")
    assert quoted == ["https://parrotchat.example/privacy/delete"]


@pytest.mark.parametrize(
    "source",
    [
        "One<br>two",
        "One<BR>two",
        "One<br/>two",
        "One<br />two",
        "One<Br >two",
    ],
)
def test_line_break_tag_becomes_break(source: str) -> None:
    tree = parse(policy_html(source))

    assert [node.tag for node in tree.iter()] == ["div", "p", "br"]
    assert tree.text_content() == "Onetwo"
    assert list(tree.iter("br"))[0].attrib == {}


def test_break_beside_markup_keeps_markup_escaped() -> None:
    tree = parse(policy_html("a<br><script>alert(1)</script><br onclick=x>b"))

    assert {node.tag for node in tree.iter()} == {"div", "p", "br"}
    assert "<script>alert(1)</script><br onclick=x>" in tree.text_content()


def test_lone_table_row_renders_as_row() -> None:
    source = (
        "| To provide it<br><br>For example, **this** "
        "| [Your data](https://a.example) |"
    )

    tree = parse(policy_html(source))

    rows = tree.xpath("//table/tbody/tr")
    assert len(rows) == 1
    cells = rows[0].xpath("td")
    assert [cell.text_content() for cell in cells] == [
        "To provide itFor example, this",
        "Your data",
    ]
    assert len(cells[0].xpath(".//br")) == 2
    assert cells[0].xpath(".//strong/text()") == ["this"]
    assert cells[1].xpath(".//a/@href") == ["https://a.example"]
    assert "|" not in tree.text_content()


def test_lone_table_row_escapes_markup() -> None:
    tree = parse(policy_html("| <script>x</script> | <img src=y> |"))

    assert {node.tag for node in tree.iter()} == {
        "div",
        "table",
        "tbody",
        "tr",
        "td",
        "p",
    }
    assert [cell.text_content() for cell in tree.iter("td")] == [
        "<script>x</script>",
        "<img src=y>",
    ]
