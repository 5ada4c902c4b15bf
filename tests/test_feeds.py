"""Atom feeds of changes: all, per platform, per document and per clause type."""

from __future__ import annotations

# The site fixture is imported, so pytest finds it; test arguments then shadow it.
# ruff: noqa: F811
from dataclasses import replace

import pytest
from lxml import etree

from clausewatch.figures.changes import ChangeFilter, list_changes
from clausewatch.web.feeds import entry_html
from tests.web_fixtures import BASE_URL, WebSite, site  # noqa: F401

ATOM = {"atom": "http://www.w3.org/2005/Atom"}


def parse_feed(site: WebSite, path: str) -> etree._Element:
    response = site.client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    return etree.fromstring(response.content)


def entry_platforms(feed: etree._Element) -> set[str]:
    titles = feed.xpath("//atom:entry/atom:title/text()", namespaces=ATOM)
    return {title.split(" ")[0] for title in titles}


def test_all_changes_feed(site: WebSite) -> None:
    feed = parse_feed(site, "/feeds/changes.atom")

    assert feed.xpath("atom:id/text()", namespaces=ATOM) == [
        f"{BASE_URL}/feeds/changes.atom"
    ]
    assert entry_platforms(feed) == {"Parrotchat", "Pebble"}


def test_entries_newest_first(site: WebSite) -> None:
    feed = parse_feed(site, "/feeds/changes.atom")
    updated = feed.xpath("//atom:entry/atom:updated/text()", namespaces=ATOM)

    assert updated == sorted(updated, reverse=True)


def test_platform_feed_only_platform(site: WebSite) -> None:
    feed = parse_feed(site, "/feeds/platforms/pebble-social.atom")

    assert entry_platforms(feed) == {"Pebble"}


def test_document_feed(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Terms of Service")

    feed = parse_feed(site, f"/feeds/documents/{record}.atom")
    titles = feed.xpath("//atom:entry/atom:title/text()", namespaces=ATOM)

    assert titles
    assert all(title.startswith("Parrotchat Terms of Service") for title in titles)


def test_clause_type_feed(site: WebSite) -> None:
    feed = parse_feed(site, "/feeds/clause-types/sale_of_data.atom")
    terms = feed.xpath("//atom:entry/atom:category/@term", namespaces=ATOM)

    assert "sale_of_data" in terms


def test_entry_carries_sentence_summary_and_diff(site: WebSite) -> None:
    feed = parse_feed(site, "/feeds/platforms/parrotchat.atom")
    contents = feed.xpath("//atom:entry/atom:content", namespaces=ATOM)
    modified = [node.text for node in contents if "Kind: modified" in node.text]

    assert all(node.get("type") == "html" for node in contents)
    assert modified
    assert any("<ins>" in text for text in modified)
    assert all(text.startswith("<p>") for text in modified)


def test_entry_links_to_provision(site: WebSite) -> None:
    feed = parse_feed(site, "/feeds/platforms/parrotchat.atom")
    links = feed.xpath("//atom:entry/atom:link/@href", namespaces=ATOM)

    assert any(link.startswith(f"{BASE_URL}/provisions/P-") for link in links)


def test_hostile_text_escaped_in_feed(site: WebSite) -> None:
    raw = site.client.get("/feeds/platforms/parrotchat.atom").text
    feed = parse_feed(site, "/feeds/platforms/parrotchat.atom")
    contents = "".join(feed.xpath("//atom:entry/atom:content/text()", namespaces=ATOM))

    assert "<script>" not in raw
    assert "<script>" not in contents
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in contents


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/platforms/nobody.atom",
        "/feeds/documents/D-ZZZZZZ.atom",
        "/feeds/clause-types/no_such_type.atom",
    ],
)
def test_unknown_feed_is_404(site: WebSite, path: str) -> None:
    assert site.client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/feeds/changes.atom", "/changes"),
        ("/feeds/platforms/pebble-social.atom", "/platforms/pebble-social"),
        ("/feeds/clause-types/sale_of_data.atom", "/clause-types/sale_of_data"),
    ],
)
def test_feed_alternate_is_its_page(site: WebSite, path: str, page: str) -> None:
    feed = parse_feed(site, path)

    alternate = feed.xpath("atom:link[@rel='alternate']/@href", namespaces=ATOM)
    assert alternate == [BASE_URL + page]


def test_document_feed_alternate_is_document_page(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Terms of Service")

    feed = parse_feed(site, f"/feeds/documents/{record}.atom")

    alternate = feed.xpath("atom:link[@rel='alternate']/@href", namespaces=ATOM)
    assert alternate == [f"{BASE_URL}/documents/{record}"]
    assert site.client.get(f"/documents/{record}").status_code == 200


def test_entry_shows_markdown_sentence_as_plain_text(site: WebSite) -> None:
    with site.store.session() as session:
        item = list_changes(session, ChangeFilter(), limit=1).items[0]
    quoted = replace(
        item,
        sentence="Added a clause under '**Our use of content.**', see "
        "[the help center](https://a.example/help) and We \\<script>.",
    )

    content = entry_html(quoted)

    assert content.startswith(
        "<p>Added a clause under &#x27;Our use of content.&#x27;, see the help center "
        "and We &lt;script&gt;.</p>"
    )
    assert "**" not in content
    assert "\\" not in content
