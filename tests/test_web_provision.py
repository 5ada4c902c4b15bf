"""The provision page: its 22 sections in order, real values, evidence and sharing."""

from __future__ import annotations

# The site fixture is imported, so pytest finds it; test arguments then shadow it.
# ruff: noqa: F811
import html
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html
from sqlalchemy import select

from clausewatch.db.models import Provision, ProvisionText, Version
from clausewatch.db.store import Store
from clausewatch.settings import Settings
from clausewatch.tracking.history_import import import_history
from clausewatch.web import create_app
from tests.history_builders import PRIVACY_V1, PRIVACY_V2, write_folder_history
from tests.web_fixtures import BASE_URL, WebSite, site  # noqa: F401

SECTION_TITLES = [
    None,  # the header carries the page's h1
    "Recent activity",
    "What it is",
    "About this analysis",
    "Why it matters",
    "Clause stability",
    "Consumer impact",
    "What you can do",
    "How other platforms handle this",
    "Watch this platform",
    "Original clause language",
    "Institutional analysis",
    "Applicable agencies",
    "Applicable regulations",
    "Provision details",
    "Evidence provenance",
    "Citation record",
    "Classification",
    "Other risks in this policy",
    "Related analysis",
    "Frequently asked questions",
    "Independence",
]


def sections_of(page_html: str) -> dict[int, lxml_html.HtmlElement]:
    tree = lxml_html.fromstring(page_html)
    found = tree.xpath("//section[@data-section]")
    return {int(node.get("data-section")): node for node in found}


def text_of(node: lxml_html.HtmlElement) -> str:
    return " ".join(node.text_content().split())


@pytest.fixture(scope="module")
def training_page(site: WebSite) -> str:
    record_id = site.provision_id("train and improve")
    response = site.client.get(f"/provisions/{record_id}")
    assert response.status_code == 200
    return response.text


def test_sections_in_design_order(training_page: str) -> None:
    tree = lxml_html.fromstring(training_page)
    numbers = [int(node.get("data-section")) for node in tree.xpath("//section")]

    assert numbers == list(range(1, 23))


@pytest.mark.parametrize("number", range(2, 23))
def test_section_title(training_page: str, number: int) -> None:
    section = sections_of(training_page)[number]

    assert text_of(section.xpath(".//h2")[0]) == SECTION_TITLES[number - 1]


def test_header_badges(training_page: str) -> None:
    header = text_of(sections_of(training_page)[1])

    assert "Parrotchat Privacy Policy: AI/ML model training using user data" in header
    assert "Severity: High" in header
    assert "2 of 2 platforms" in header
    assert "Widespread" in header


def test_recent_activity_counts_changes(training_page: str) -> None:
    activity = text_of(sections_of(training_page)[2])

    assert re.search(r"\b[1-9]\d* documented changes? for Parrotchat", activity)


def test_explanations_name_platform(training_page: str) -> None:
    found = sections_of(training_page)

    assert "Parrotchat" in text_of(found[3])
    assert "not a legal determination" in text_of(found[4])
    assert text_of(found[5]).count(" ") > 10
    assert "Parrotchat" in text_of(found[7])


def test_stability_facts(training_page: str) -> None:
    stability = text_of(sections_of(training_page)[6])

    assert "Changed" in stability
    assert "1 change since first seen" in stability
    assert "first seen" in stability.lower()
    assert re.search(r"In versions\s*\d", stability)
    assert "1 other provision on other platforms" in stability


def test_actions_use_platform_contacts(training_page: str) -> None:
    section = sections_of(training_page)[8]
    links = [node.get("href") for node in section.xpath(".//a")]

    assert "mailto:privacy@parrotchat.example" in links
    assert "Turn off the use of your data for model training" in text_of(section)


def test_original_language_links_version(site: WebSite, training_page: str) -> None:
    section = sections_of(training_page)[11]
    record = site.document_id("parrotchat", "Privacy Policy")

    assert "train and improve our artificial intelligence models" in text_of(section)
    assert section.xpath(f'.//a[@href="/documents/{record}/versions/3"]')
    assert section.xpath('.//a[@href="https://parrotchat.example/privacy"]')


def test_law_sections_filled(training_page: str) -> None:
    found = sections_of(training_page)

    assert "GDPR" in text_of(found[12])
    assert "Art. 6" in text_of(found[12])
    assert found[13].xpath(".//a[contains(., 'File a complaint')]")
    assert "European Union" in text_of(found[14])


def test_details_dates_and_ids(site: WebSite, training_page: str) -> None:
    details = text_of(sections_of(training_page)[15])
    record_id = site.provision_id("train and improve")

    assert record_id in details
    assert site.document_id("parrotchat", "Privacy Policy") in details
    assert "as stated by the document" in details
    assert "First tracked" in details


def facts_of(node: lxml_html.HtmlElement) -> dict[str, str]:
    return {
        text_of(pair.xpath("./dt")[0]): text_of(pair.xpath("./dd")[0])
        for pair in node.xpath(".//dl/div")
    }


def test_provision_number_counts_from_one(site: WebSite, training_page: str) -> None:
    record_id = site.provision_id("train and improve")
    with site.store.session() as session:
        position, version = session.execute(
            select(ProvisionText.position, Version.number)
            .join(Provision, Provision.id == ProvisionText.provision_id)
            .join(Version, Version.id == ProvisionText.version_id)
            .where(
                Provision.record_id == record_id,
                ProvisionText.version_id == Provision.last_version_id,
            )
        ).one()
    details = facts_of(sections_of(training_page)[15])
    citation = facts_of(sections_of(training_page)[17])

    assert position > 0, "pick a provision whose number tells 0- from 1-based apart"
    assert (
        details["Provision number"] == f"Provision {position + 1} of version {version}"
    )
    assert citation["Provision"] == details["Provision number"]


def test_evidence_rehashed(training_page: str) -> None:
    evidence = facts_of(sections_of(training_page)[16])

    assert evidence["Snapshot stored"] == "Yes"
    assert evidence["Hash verified"] == "Yes, re-hashed on this request"
    assert re.fullmatch(r"[0-9a-f]{64}", evidence["Snapshot SHA-256"])
    assert evidence["Classifier version"].startswith("patterns-")


def test_wayback_link_for_capture_time(training_page: str) -> None:
    section = sections_of(training_page)[16]
    links = [node.get("href") for node in section.xpath(".//a")]
    wayback = [link for link in links if "web.archive.org" in link]

    assert len(wayback) == 1
    assert re.fullmatch(
        r"https://web\.archive\.org/web/\d{14}/https://parrotchat\.example/privacy",
        wayback[0],
    )


def test_citation_record(site: WebSite, training_page: str) -> None:
    section = sections_of(training_page)[17]
    record_id = site.provision_id("train and improve")
    links = {node.text_content(): node.get("href") for node in section.xpath(".//a")}

    assert f"{BASE_URL}/provisions/{record_id}" in text_of(section)
    assert links["BibTeX"] == f"/provisions/{record_id}/cite.bib"
    assert links["RIS"] == f"/provisions/{record_id}/cite.ris"
    assert links["CSL-JSON"] == f"/provisions/{record_id}/cite.json"


def test_classification_and_other_risks(training_page: str) -> None:
    found = sections_of(training_page)

    assert "Artificial intelligence" in text_of(found[18])
    assert "Critical" in text_of(found[19])
    assert "Sale of personal data" in text_of(found[19])


def test_related_and_faq(training_page: str) -> None:
    found = sections_of(training_page)

    assert "Pebble Social" in text_of(found[20])
    assert "2 of 2 tracked platforms" in text_of(found[21])
    assert "independent" in text_of(found[22])


def test_other_platforms_lists_closest(training_page: str) -> None:
    section = sections_of(training_page)[9]
    links = [node.get("href") for node in section.xpath(".//a")]

    assert "Pebble Social Privacy Policy" in text_of(section)
    assert "similarity" in text_of(section)
    assert "/clause-types/ai_training_on_user_data" in links


def test_share_links_and_open_graph(site: WebSite, training_page: str) -> None:
    tree = lxml_html.fromstring(training_page)
    record_id = site.provision_id("train and improve")
    permanent = f"{BASE_URL}/provisions/{record_id}"
    meta = {
        node.get("property") or node.get("name"): node.get("content")
        for node in tree.xpath("//meta[@content]")
    }
    links = [node.get("href") for node in tree.xpath("//section[@data-section='1']//a")]
    x_link = next(link for link in links if link.startswith("https://x.com/"))

    assert meta["og:url"] == permanent
    assert meta["og:title"].startswith("Parrotchat Privacy Policy")
    assert "Parrotchat" in meta["og:description"]
    assert parse_qs(urlsplit(x_link).query)["url"] == [permanent]
    assert any(link.startswith("https://www.linkedin.com/") for link in links)
    assert any(link.startswith("mailto:?") for link in links)
    assert tree.xpath("//input[@id='permanent-link']/@value") == [permanent]
    assert tree.xpath("//label[@for='permanent-link']")


def test_hostile_text_shown_as_text(site: WebSite) -> None:
    record_id = site.provision_id("<script>alert(1)</script>")

    page = site.client.get(f"/provisions/{record_id}").text

    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert html.escape("<script>alert(1)</script>", quote=False) in page


def test_unclassified_provision_says_so(site: WebSite) -> None:
    # A note about markup is no clause of any type.
    record_id = site.provision_id("Markup in this clause")

    found = sections_of(site.client.get(f"/provisions/{record_id}").text)

    assert "no clause type" in text_of(found[3])
    assert "Not available" in text_of(found[12])
    assert "Not classified" in text_of(found[1]) or "abstained" in text_of(found[18])


@pytest.mark.parametrize("record_id", ["P-00000Z", "nonsense", "P-0%2A"])
def test_unknown_provision_is_404(site: WebSite, record_id: str) -> None:
    response = site.client.get(f"/provisions/{record_id}")

    assert response.status_code == 404
    assert "not found" in response.text


def test_record_id_lookup_ignores_case(site: WebSite) -> None:
    record_id = site.provision_id("train and improve")

    response = site.client.get(f"/provisions/{record_id.lower()}")

    assert response.status_code == 200


def test_altered_blobs_not_verified(tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "history",
        "Tamperco",
        "Privacy Policy",
        [
            (datetime(2025, 1, 1, tzinfo=UTC), PRIVACY_V1),
            (datetime(2025, 6, 1, tzinfo=UTC), PRIVACY_V2),
        ],
    )
    settings = Settings(data_dir=tmp_path / "data", base_url=BASE_URL)
    store = Store.open(settings)
    import_history(store, history, analyzer=None)
    altered, removed = store.snapshot_hashes()
    store.blobs.path_for(altered).write_bytes(b"altered after capture")
    store.blobs.path_for(removed).unlink()
    store.close()

    with TestClient(create_app(settings)) as client:
        record = client.get("/api/v1/platforms/tamperco/documents").json()
        document = record["items"][0]["record_id"]
        provision = client.get(
            f"/api/v1/documents/{document}/versions/2/provisions"
        ).json()["items"][0]["record_id"]
        evidence = client.get(f"/api/v1/provisions/{provision}").json()["evidence"]

    assert len(evidence) == 1
    assert evidence[0]["sha256"] in (altered, removed)
    assert evidence[0]["stored"] is (evidence[0]["sha256"] == altered)
    assert evidence[0]["verified"] is False


def test_headings_in_order(training_page: str) -> None:
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", training_page)]

    assert levels[0] == 1
    assert levels.count(1) == 1
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, levels


def test_page_needs_no_javascript(training_page: str) -> None:
    assert "<script" not in training_page
