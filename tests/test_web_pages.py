"""Server-rendered pages of stored records, through the in-process client."""

# The site fixture is imported, so pytest finds it; test arguments then shadow it.
# ruff: noqa: F811

from __future__ import annotations

import re

import pytest

from tests.web_fixtures import WebSite, site  # noqa: F401

PAGE_PATHS = [
    "/",
    "/platforms",
    "/platforms/parrotchat",
    "/platforms/pebble-social",
]


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_page_has_landmarks(site: WebSite, path: str) -> None:
    response = site.client.get(path)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in response.text


def headings(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_page_headings_in_order(site: WebSite, path: str) -> None:
    levels = headings(site.client.get(path).text)

    assert levels[0] == 1
    assert levels.count(1) == 1
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, levels


def test_home_lists_platforms(site: WebSite) -> None:
    html = site.client.get("/").text

    assert 'href="/platforms/parrotchat"' in html
    assert "Pebble Social" in html


def test_platform_lists_documents(site: WebSite) -> None:
    html = site.client.get("/platforms/parrotchat").text
    privacy = site.document_id("parrotchat", "Privacy Policy")

    assert "Terms of Service" in html
    assert f"/documents/{privacy}" in html


def test_platform_unknown_is_404_page(site: WebSite) -> None:
    response = site.client.get("/platforms/nobody")

    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "platform &#39;nobody&#39; is not tracked" in response.text


def test_document_lists_versions(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")
    html = site.client.get(f"/documents/{record}").text

    assert html.count('href="/documents/' + record + "/versions/") == 3
    assert re.search(
        r'<code class="sha" title="([0-9a-f]{64})"><span aria-hidden="true">'
        r'[0-9a-f]{12}…</span><span class="visually-hidden">\1</span></code>',
        html,
    )


def test_version_lists_provisions(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")
    html = site.client.get(f"/documents/{record}/versions/1").text

    assert "Version 1 of Parrotchat Privacy Policy" in html
    assert re.search(r'href="/provisions/P-[0-9A-Z]+', html)


def test_version_missing_is_404(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")

    response = site.client.get(f"/documents/{record}/versions/99")

    assert response.status_code == 404
    assert "has no version 99" in response.text


@pytest.mark.parametrize("number", [1, 2, 3])
def test_version_escapes_markup(site: WebSite, number: int) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")
    html = site.client.get(f"/documents/{record}/versions/{number}").text

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
