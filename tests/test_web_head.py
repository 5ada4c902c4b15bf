"""HEAD requests: the status and headers of GET, without a body."""

# The site fixture is imported, so pytest finds it; test arguments then shadow it.
# ruff: noqa: F811

from __future__ import annotations

import pytest

from tests.web_fixtures import WebSite, site  # noqa: F401


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/platforms",
        "/platforms/parrotchat",
        "/changes",
        "/clause-types",
        "/api/v1/platforms",
        "/api/v1/changes",
        "/feeds/changes.atom",
        "/static/site.css",
    ],
)
def test_head_matches_get(site: WebSite, path: str) -> None:
    got = site.client.get(path)

    head = site.client.head(path)

    assert got.status_code == 200
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


@pytest.mark.parametrize("path", ["/platforms/myspace", "/api/v1/platforms/myspace"])
def test_head_unknown_is_404(site: WebSite, path: str) -> None:
    response = site.client.head(path)

    assert response.status_code == 404
    assert response.content == b""


def test_post_still_not_allowed(site: WebSite) -> None:
    assert site.client.post("/").status_code == 405
