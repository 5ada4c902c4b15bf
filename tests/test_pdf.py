"""PDF export of a provision page and of a platform report, read back with pypdf."""

from __future__ import annotations

# The site fixture is imported, so pytest finds it; test arguments then shadow it.
# ruff: noqa: F811
import io
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from clausewatch.db.store import Store
from clausewatch.settings import Settings
from clausewatch.tracking.analyzer_factory import build_analyzer
from clausewatch.tracking.history_import import import_history
from clausewatch.web import create_app
from clausewatch.web.pdf import pdf_stylesheets
from tests.history_builders import write_folder_history
from tests.web_fixtures import BASE_URL, WebSite, site  # noqa: F401


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in reader.pages
    )


@pytest.fixture(scope="module")
def training_pdf(site: WebSite) -> bytes:
    record_id = site.provision_id("train and improve")
    response = site.client.get(f"/provisions/{record_id}.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    return response.content


@pytest.fixture(scope="module")
def training_text(training_pdf: bytes) -> str:
    return pdf_text(training_pdf)


def test_provision_pdf_is_pdf(training_pdf: bytes) -> None:
    assert training_pdf.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(training_pdf)).pages) >= 2


@pytest.mark.parametrize(
    "expected",
    [
        "Parrotchat Privacy Policy: AI/ML model training using user data",
        "Severity: High",
        "2 of 2 platforms",
        "Evidence provenance",
        "re-hashed on this request",
        "Citation record",
        "Independence",
    ],
)
def test_provision_pdf_has_sections(training_text: str, expected: str) -> None:
    assert expected in training_text


def test_provision_pdf_has_record_id(site: WebSite, training_text: str) -> None:
    assert site.provision_id("train and improve") in training_text


def test_provision_pdf_number_matches_api(site: WebSite, training_text: str) -> None:
    record_id = site.provision_id("train and improve")
    record = site.client.get(f"/api/v1/provisions/{record_id}").json()["page"]["record"]

    number = record["number"]
    version = record["last_version"]["number"]
    assert f"Provision {number} of version {version}" in training_text


def test_pdf_shows_markup_as_text(site: WebSite) -> None:
    record_id = site.provision_id("<script>alert(1)</script>")

    response = site.client.get(f"/provisions/{record_id}.pdf")
    text = pdf_text(response.content)

    assert "<script>alert(1)</script>" in text
    assert "<b>bold</b>" in text


def test_platform_report_pdf(site: WebSite) -> None:
    response = site.client.get("/platforms/parrotchat/report.pdf")
    text = pdf_text(response.content)

    assert response.status_code == 200
    assert "Parrotchat: platform report" in text
    assert "Risk summary" in text
    assert "Sale of personal data" in text
    assert "Timeline of changes" in text


def test_platform_report_unknown_is_404(site: WebSite) -> None:
    response = site.client.get("/platforms/nobody/report.pdf")

    assert response.status_code == 404


def test_provision_pdf_unknown_is_404(site: WebSite) -> None:
    response = site.client.get("/provisions/P-00000Z.pdf")

    assert response.status_code == 404


# -- layout: a platform whose risk table is taller than a page ---------------------

# Our own sentences, each a sale of personal data, so every paragraph is a classified
# provision and the report's risk table runs over several pages.
SOLD_DATA = [
    "purchase history",
    "location history",
    "contact list",
    "browsing history",
    "device identifiers",
    "search queries",
    "payment records",
    "voice recordings",
    "photo metadata",
    "calendar entries",
    "app usage",
    "loyalty points",
    "delivery addresses",
    "support tickets",
    "survey answers",
    "fitness records",
    "travel bookings",
    "music preferences",
    "reading habits",
    "game scores",
    "wish lists",
    "chat transcripts",
    "coupon use",
    "referral codes",
    "account settings",
    "login times",
    "screen recordings",
    "shopping baskets",
    "product reviews",
    "return requests",
]
LONG_POLICY = "# Lanternbank Privacy Policy\n\n## Advertising\n\n" + "\n\n".join(
    f"We sell personal data about your {item} to advertising partners and data "
    "brokers, who may combine it with other information they hold about you."
    for item in SOLD_DATA
)


@pytest.fixture(scope="module")
def long_report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("long-report")
    history = write_folder_history(
        root / "history",
        "Lanternbank",
        "Privacy Policy",
        [(datetime(2025, 3, 1, tzinfo=UTC), LONG_POLICY)],
    )
    settings = Settings(data_dir=root / "data", base_url=BASE_URL)
    store = Store.open(settings)
    import_history(store, history, analyzer=build_analyzer(settings))
    with TestClient(create_app(settings)) as client:
        yield client
    store.close()


def page_texts(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def test_report_risk_table_starts_on_first_page(long_report: TestClient) -> None:
    # A table kept whole moves to the next page when taller than the space left,
    # which left page 1 holding the title and the documents alone.
    risks = long_report.get("/api/v1/platforms/lanternbank").json()
    response = long_report.get("/platforms/lanternbank/report.pdf")
    pages = page_texts(response.content)

    classified = sum(risks["provisions_by_severity"].values())
    assert classified == len(SOLD_DATA), "each fixture paragraph must be classified"
    assert len(pages) >= 2
    assert "Risk summary" in pages[0]
    assert "Excerpt" in pages[0]
    assert "We sell personal data about your" in pages[0]


def test_report_table_header_repeats(long_report: TestClient) -> None:
    pages = page_texts(long_report.get("/platforms/lanternbank/report.pdf").content)

    assert all("Excerpt" in page for page in pages[:-1])


def test_pdfs_log_no_weasyprint_warning(
    site: WebSite, caplog: pytest.LogCaptureFixture
) -> None:
    # The stylesheets are parsed once per process, so parse them again under caplog.
    pdf_stylesheets.cache_clear()
    record_id = site.provision_id("train and improve")

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        provision = site.client.get(f"/provisions/{record_id}.pdf")
        report = site.client.get("/platforms/parrotchat/report.pdf")

    assert provision.status_code == report.status_code == 200
    assert [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("weasyprint")
    ] == []
