"""Institutional analysis: the page and API show the articles the taxonomy names."""

from __future__ import annotations

# The site fixture is imported, so pytest finds it; test arguments then shadow it.
# ruff: noqa: F811
import pytest
from lxml import html as lxml_html

from clausewatch.taxonomy import default_taxonomy
from clausewatch.taxonomy.models import Article, ClauseType, Regulation, Taxonomy
from tests.web_fixtures import WebSite, site  # noqa: F401

# Provisions of the test site: AI training and arbitration, with articles named for
# every regulation.
FRAGMENTS = ["train and improve", "binding arbitration"]


def declared(clause_type_id: str) -> list[tuple[str, list[str]]]:
    """Return each regulation id of a clause type with its declared article refs."""
    taxonomy = default_taxonomy()
    clause_type = taxonomy.clause_type(clause_type_id)
    return [
        (regulation.id, [a.ref for a in taxonomy.articles_for(clause_type, regulation)])
        for regulation in taxonomy.regulations_for(clause_type)
    ]


def api_page(site: WebSite, fragment: str) -> dict:
    record_id = site.provision_id(fragment)
    response = site.client.get(f"/api/v1/provisions/{record_id}")
    assert response.status_code == 200
    page: dict = response.json()["page"]
    return page


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_api_lists_declared_articles(site: WebSite, fragment: str) -> None:
    page = api_page(site, fragment)

    api_articles = [
        (bearing["regulation_id"], [article["ref"] for article in bearing["articles"]])
        for bearing in page["institutional"]
    ]

    assert api_articles == declared(page["clause_type"]["id"])


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_page_lists_declared_articles(site: WebSite, fragment: str) -> None:
    clause_type_id = api_page(site, fragment)["clause_type"]["id"]
    record_id = site.provision_id(fragment)
    tree = lxml_html.fromstring(site.client.get(f"/provisions/{record_id}").text)
    [section] = tree.xpath('//section[@data-section="12"]')

    headings = [" ".join(h.text_content().split()) for h in section.xpath(".//h3")]
    refs_by_heading = [
        [
            strong.text_content()
            for strong in heading.xpath("following-sibling::*[1]//li/strong")
        ]
        for heading in section.xpath(".//h3")
    ]

    taxonomy = default_taxonomy()
    expected = declared(clause_type_id)
    assert len(headings) == len(expected)
    for heading, refs, (regulation_id, declared_refs) in zip(
        headings, refs_by_heading, expected, strict=True
    ):
        assert heading.startswith(taxonomy.regulation(regulation_id).short_name)
        assert refs == declared_refs


def test_page_says_whole_regulation_applies(
    site: WebSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = Taxonomy.articles_for

    def none_for_faa(
        taxonomy: Taxonomy, clause_type: ClauseType, regulation: Regulation
    ) -> tuple[Article, ...]:
        if regulation.id == "faa":
            return ()
        return named(taxonomy, clause_type, regulation)

    monkeypatch.setattr(Taxonomy, "articles_for", none_for_faa)
    record_id = site.provision_id("binding arbitration")
    tree = lxml_html.fromstring(site.client.get(f"/provisions/{record_id}").text)
    [section] = tree.xpath('//section[@data-section="12"]')
    text = " ".join(section.text_content().split())

    assert api_page(site, "binding arbitration")["clause_type"]["id"] == "arbitration"
    assert "no single article of the FAA" in text
    assert "applies as a whole" in text
