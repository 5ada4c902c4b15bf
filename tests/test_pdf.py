"""PDF export of a provision page and of a platform report, read back with pypdf."""

from __future__ import annotations

# The site fixture is imported, so pytest finds it; test arguments then shadow it.
# ruff: noqa: F811
import io

import pytest
from pypdf import PdfReader

from tests.web_fixtures import WebSite, site  # noqa: F401


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
