"""HTML-to-Markdown conversion of parsed pages, and its match with markdownify."""

from __future__ import annotations

from pathlib import Path

import markdown as python_markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, html
from markdown_it import MarkdownIt

from clausewatch.extract import extract_html
from clausewatch.extract.markdown import element_to_markdown
from clausewatch.extract.normalize import normalize_markdown
from tests.markdownify_reference import reference_markdown

URL = "http://127.0.0.1:8000/terms"


def convert(markup: str) -> str:
    return element_to_markdown(html.fragment_fromstring(markup, create_parent="div"))


# -- what the converter writes ---------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<h2>Your data</h2><p>We keep it.</p>", "## Your data\n\nWe keep it."),
        ("<h5>  Spread\n  out  </h5>", "##### Spread out"),
        ("<h9>Too deep</h9>", "###### Too deep"),
        ("<ul><li>Name</li><li>E-mail</li></ul>", "- Name\n- E-mail"),
        ("<ol><li>First</li><li>Second</li></ol>", "1. First\n2. Second"),
        ('<ol start="4"><li>Fourth</li><li>Fifth</li></ol>', "4. Fourth\n5. Fifth"),
        ('<ol start="0"><li>Zeroth</li></ol>', "0. Zeroth"),
        ('<ol start="x"><li>First</li></ol>', "1. First"),
        ('<ol start="²"><li>First</li></ol>', "1. First"),
        ("<p>Read <b>this</b> and <i>that</i>.</p>", "Read **this** and *that*."),
        ("<p>Keep<strong> spaced </strong>out.</p>", "Keep **spaced** out."),
        ("<p>Run <code>a`b</code> now.</p>", "Run `` a`b `` now."),
        ("<p>Line one<br>line two</p>", "Line one  \nline two"),
        ("<blockquote><p>Quoted</p><p>twice</p></blockquote>", "> Quoted\n>\n> twice"),
        ("<pre>\n  keep   this\n</pre>", "```\n  keep   this\n```"),
        ('<p>A <img src="logo.png" alt="Logo"> logo.</p>', "A  logo."),
        ("<p>Plain\n   text\twith   spaces</p>", "Plain\ntext with spaces"),
        ("<dl><dt>Term</dt><dd>Meaning</dd></dl>", "Term\n:   Meaning"),
        ("<p>Say <q>hello</q>.</p>", 'Say "hello".'),
        ("<hr>", "---"),
    ],
)
def test_markdown_elements(markup: str, expected: str) -> None:
    assert convert(markup) == expected


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (
            '<a href="https://example.org/help">help</a>',
            "[help](https://example.org/help)",
        ),
        ('<a href="/x" title="Say &quot;hi&quot;">x</a>', '[x](/x "Say \\"hi\\"")'),
        (
            '<a href="https://example.org">https://example.org</a>',
            "<https://example.org>",
        ),
        ('<a href="">no target</a>', "no target"),
        ("<a>no href</a>", "no href"),
        ('<a href="#terms of use">terms</a>', "[terms](#terms%20of%20use)"),
        ('<a href="  /café">café</a>', "[café](/caf%C3%A9)"),
        ('<a href="/q?a=1&amp;not=2">q</a>', "[q](/q?a=1&not=2)"),
    ],
)
def test_markdown_links(markup: str, expected: str) -> None:
    assert convert(markup) == expected


def test_markdown_nested_lists() -> None:
    markup = (
        "<ul><li>Account data<ul><li>name</li><li>e-mail<ol start='3'>"
        "<li>work</li><li>home</li></ol></li></ul></li><li>Usage data</li></ul>"
        "<p>After the list.</p>"
    )

    assert convert(markup) == (
        "- Account data\n"
        "  - name\n"
        "  - e-mail\n"
        "    3. work\n"
        "    4. home\n"
        "- Usage data\n"
        "\n"
        "After the list."
    )


def test_markdown_list_item_paragraphs() -> None:
    markup = "<ol><li><p>We collect data.</p><p>We delete it.</p></li></ol>"

    assert convert(markup) == "1. We collect data.\n\n   We delete it."


def test_markdown_table_header_inferred() -> None:
    markup = (
        "<table><tr><td>Data</td><td>Kept for</td></tr>"
        "<tr><td>Logs</td><td>30 days</td></tr></table>"
    )

    assert convert(markup) == ("| Data | Kept for |\n| --- | --- |\n| Logs | 30 days |")


def test_markdown_table_with_head_and_span() -> None:
    markup = (
        "<table><thead><tr><th>Data</th><th>Kept for</th></tr></thead><tbody>"
        "<tr><td colspan='2'>Everything else</td></tr>"
        "<tr><td>Logs</td><td>30<br>days</td></tr></tbody></table>"
    )

    assert convert(markup) == (
        "| Data | Kept for |\n| --- | --- |\n| Everything else | |\n| Logs | 30 days |"
    )


def test_markdown_table_cell_blocks_inline() -> None:
    markup = (
        "<table><tr><th>Kind</th></tr><tr><td><p>Logs</p><div>and</div>"
        "<h3>traces</h3></td></tr></table>"
    )

    # Each inline block keeps a space on both sides, as markdownify wrote it.
    assert convert(markup) == "| Kind |\n| --- |\n| Logs  and traces |"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>1. About us</p>", "1\\. About us"),
        ("<p>12) Payments</p>", "12\\) Payments"),
        ("<p>- not a bullet</p>", "\\- not a bullet"),
        ("<p>+ not a bullet</p>", "\\+ not a bullet"),
        ("<p>## not a heading</p>", "\\## not a heading"),
        ("<p>&gt; not a quote</p>", "\\> not a quote"),
        ("<p>Items 1. and 2) stay.</p>", "Items 1. and 2) stay."),
        ("<p>#hashtag stays</p>", "#hashtag stays"),
        (
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
            "\\<script>alert(1)\\</script>",
        ),
        ("<p>a*b_c</p>", "a\\*b\\_c"),
        ("<h2>1. About us</h2>", "## 1. About us"),
        ("<table><tr><td>2. Logs</td></tr></table>", "| 2. Logs |\n| --- |"),
        ("<pre>1. &lt;raw&gt; *as is*</pre>", "```\n1. <raw> *as is*\n```"),
        ("<p>See <code>a_b &lt;c&gt;</code></p>", "See `a_b <c>`"),
    ],
)
def test_markdown_escaping(markup: str, expected: str) -> None:
    assert convert(markup) == expected


def test_markdown_escaped_text_stays_text() -> None:
    markup = "<p>1. Keep *this* &lt;b&gt;plain&lt;/b&gt;</p><p># Not a title</p>"

    rendered = MarkdownIt("commonmark").render(convert(markup))

    assert rendered == (
        "<p>1. Keep *this* &lt;b&gt;plain&lt;/b&gt;</p>\n<p># Not a title</p>\n"
    )


def test_markdown_deep_nesting() -> None:
    # The HTML parser stops at 256 levels, but a tree built in code has no limit.
    root = etree.Element("div")
    element = root
    for _ in range(5000):
        element = etree.SubElement(element, "div")
    element.text = "We keep your data for one year."

    assert element_to_markdown(root) == "We keep your data for one year."


def test_markdown_deep_nested_lists() -> None:
    root = etree.Element("ul")
    element = root
    for depth in range(1000):
        item = etree.SubElement(element, "li")
        item.text = f"level {depth}"
        element = etree.SubElement(item, "ul")

    lines = element_to_markdown(root).splitlines()

    assert len(lines) == 1000
    assert lines[0] == "- level 0"
    assert lines[-1] == " " * 2 * 999 + "- level 999"


def test_markdown_empty_list_item_skipped() -> None:
    # markdownify read an empty <li> as holding the items after it ("- - Name").
    markup = "<ul><li></li><li>Name</li><li>E-mail</li></ul>"

    assert convert(markup) == "- Name\n- E-mail"


def test_markdown_word_break_keeps_text() -> None:
    # libxml2 lets <wbr> hold the text after it, but that text is the paragraph's.
    markup = "<p>Write to privacy@exam<wbr>ple.org<wbr> or call us.</p>"

    assert convert(markup) == "Write to privacy@example.org or call us."


@pytest.mark.parametrize(
    ("include_tail", "expected"), [(False, "Policy"), (True, "Policy\n\nafter")]
)
def test_markdown_tail_text(include_tail: bool, expected: str) -> None:
    page = html.fromstring("<div><main><p>Policy</p></main>\nafter</div>")
    main = page.find("main")
    assert main is not None

    assert element_to_markdown(main, include_tail=include_tail) == expected


def test_extract_deep_list_page() -> None:
    text = "<p>We keep your data for one year after you close your account.</p>"
    page = f"<html><body><main>{'<ul><li>' * 120}{text}{'</li></ul>' * 120}</main>"

    markdown = extract_html(page, url=URL, select=["main"]).markdown

    assert markdown.endswith(
        "We keep your data for one year after you close your account.\n"
    )


# -- the same output as markdownify ----------------------------------------------------

PAGES = [
    "<h1>Terms</h1><p>Last updated: 3 March 2025</p><h2>1. Accounts</h2>"
    "<p>You must be 16 or older.</p><ul><li>One account per person.</li>"
    "<li>Keep your password secret.</li></ul>",
    "<section><h3>Retention</h3><table><thead><tr><th>Data</th><th>Period</th></tr>"
    "</thead><tbody><tr><td>Logs</td><td>30 days</td></tr></tbody></table></section>",
    "<div>\n  <p>Text  with\n spaces</p>\n  <span> inline </span> tail\n</div>",
    "<p>Visit <a href='https://example.org/a_b'>https://example.org/a_b</a> or "
    "<a href='/x' title='x'> <em> here </em> </a>.</p>",
    "<blockquote><ul><li>quoted item</li></ul><pre>code\n  block</pre></blockquote>",
    "<ol start='7'><li><p>Seven</p><ol><li>inner</li></ol></li><li>Eight</li></ol>"
    "text after",
    "<dl><dt>Cookie</dt><dd><p>A small file.</p><p>Kept a year.</p></dd></dl>",
    "<table><tbody><tr><td>a</td></tr></tbody><thead><tr><th>h</th></tr></thead>"
    "<tbody><tr><td>b</td></tr></tbody></table>",
    "<p>a<wbr>b <wbr><b>c</b> d</p><video src='/v.mp4' poster='/p.png'>Clip</video>",
]


@pytest.mark.parametrize("markup", PAGES)
def test_markdown_matches_markdownify(markup: str) -> None:
    element = html.fragment_fromstring(markup, create_parent="div")

    assert element_to_markdown(element) == reference_markdown(element)


TAGS = (
    "p div span section article ul ol li table thead tbody tr td th a b em code pre "
    "blockquote br h2 h4 h7 dl dt dd img hr q sub kbd del wbr caption figcaption"
).split()
TEXTS = st.sampled_from(
    [
        "",
        " ",
        "\n",
        " \n\t ",
        "word",
        " 1. item",
        "- dash",
        "# hash",
        "> quote",
        "a*b_c",
        "<tag>",
        "x  y\n z",
        "`tick`",
        "\xa0nb\xa0",
        "2) two",
        "+",
        "--",
    ]
)


@st.composite
def html_trees(draw: st.DrawFn, depth: int = 4) -> etree._Element:
    tag = draw(st.sampled_from(TAGS))
    element = etree.Element(tag)
    if tag == "a":
        element.set("href", draw(st.sampled_from(["/a", "", "word", " #a b"])))
    if tag == "ol":
        element.set("start", draw(st.sampled_from(["3", "0", "x"])))
    if tag in ("td", "th"):
        element.set("colspan", draw(st.sampled_from(["1", "2", "x"])))
    if tag in ("br", "img", "hr"):
        return element
    # An empty <li> is left out, because markdownify misreads it (see above).
    element.text = draw(TEXTS) or ("item" if tag == "li" else None)
    if depth > 0:
        for _ in range(draw(st.integers(0, 3))):
            child = draw(html_trees(depth - 1))
            child.tail = draw(TEXTS) or None
            element.append(child)
    return element


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(tree=html_trees())
def test_markdown_matches_markdownify_on_random_trees(tree: etree._Element) -> None:
    # Parsed again by lxml, so the tree is one that a fetched page can produce.
    markup = html.tostring(tree, encoding="unicode")
    element = html.fragment_fromstring(markup, create_parent="div")

    assert element_to_markdown(element) == reference_markdown(element)


#: Every this-many-th corpus file is compared, to keep the test fast.
CORPUS_STEP = 17


@pytest.mark.parametrize("extensions", [["tables"], ["extra", "sane_lists"]])
def test_markdown_matches_markdownify_on_corpus(
    corpus_dir: Path, extensions: list[str]
) -> None:
    files = sorted(corpus_dir.glob("*/*/*.md"))[::CORPUS_STEP]
    different = []
    for file in files:
        body = python_markdown.markdown(file.read_text("utf-8"), extensions=extensions)
        element = html.fragment_fromstring(body, create_parent="main")

        new = normalize_markdown(element_to_markdown(element))
        if new != normalize_markdown(reference_markdown(element)):
            different.append(file.name)

    assert len(files) >= 20
    assert different == []
