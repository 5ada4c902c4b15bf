"""Complaint links: only agencies that take individual complaints get one."""

# The site fixture is imported, so pytest finds it; test arguments then shadow it.
# ruff: noqa: F811

from __future__ import annotations

import lxml.html
import pytest

from clausewatch.taxonomy import default_taxonomy
from clausewatch.web.agencies import NO_INDIVIDUAL_COMPLAINTS, takes_complaints
from tests.web_fixtures import WebSite, site  # noqa: F401


@pytest.fixture(scope="module")
def training_tree(site: WebSite) -> lxml.html.HtmlElement:
    record_id = site.provision_id("train and improve")
    response = site.client.get(f"/provisions/{record_id}")
    assert response.status_code == 200
    return lxml.html.fromstring(response.text)


def agency_items(tree: lxml.html.HtmlElement) -> dict[str, lxml.html.HtmlElement]:
    items = tree.xpath("//section[@id='section-agencies']//li")
    return {item.findtext("strong"): item for item in items}


@pytest.mark.parametrize("agency_id", sorted(NO_INDIVIDUAL_COMPLAINTS))
def test_listed_agencies_exist(agency_id: str) -> None:
    assert agency_id in default_taxonomy().agencies


def test_edpb_shows_role_not_complaint_link(
    training_tree: lxml.html.HtmlElement,
) -> None:
    edpb = default_taxonomy().agencies["edpb"]

    item = agency_items(training_tree)[edpb.name]
    text = " ".join(item.text_content().split())

    assert "File a complaint" not in text
    assert edpb.role in text
    assert "takes no complaints from individuals" in text
    assert not takes_complaints(edpb)


def test_authority_keeps_complaint_link(training_tree: lxml.html.HtmlElement) -> None:
    cnil = default_taxonomy().agencies["cnil"]

    item = agency_items(training_tree)[cnil.name]

    assert item.xpath(".//a/text()") == ["File a complaint with the CNIL"]
    assert item.xpath(".//a/@href") == [cnil.complaint_url]


def test_complaint_action_points_to_agencies(
    training_tree: lxml.html.HtmlElement,
) -> None:
    actions = training_tree.xpath("//section[@id='section-actions']/ul/li")
    complaint = [
        item
        for item in actions
        if item.findtext("h3") == "Complain to a data protection authority"
    ]

    assert len(complaint) == 1
    assert complaint[0].xpath(".//a/@href") == ["#section-agencies"]
    assert training_tree.xpath("//section[@id='section-agencies']")


def test_clause_type_page_has_no_edpb_complaint_link(site: WebSite) -> None:
    edpb = default_taxonomy().agencies["edpb"]

    page = site.client.get("/clause-types/ai_training_on_user_data").text
    tree = lxml.html.fromstring(page)
    items = [
        item for item in tree.xpath("//li") if item.text_content().startswith(edpb.name)
    ]

    assert len(items) == 1
    assert "complaint page" not in items[0].text_content()
    assert edpb.role in items[0].text_content()
