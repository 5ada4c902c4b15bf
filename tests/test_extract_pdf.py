"""PDF extraction on PDFs rendered here with weasyprint, and on broken PDFs."""

from __future__ import annotations

import io

import pypdf
import pytest
import weasyprint

from clausewatch.errors import ExtractionError
from clausewatch.extract import extract_pdf

TERMS_HTML = """\
<html><head><title>Example Terms of Service</title>
<style>p { text-align: justify; hyphens: auto; } @page { size: A5; }</style></head>
<body lang="en">
<h1>Example Terms of Service</h1>
<p>Last updated: March 3, 2025</p>
<h2>1. Your account</h2>
<p>You must be at least sixteen years old to create an account. We may suspend an
account that breaks these terms, and we will tell you why unless the law forbids it.
This paragraph is long enough to wrap over several lines of the page, so the extractor
must join the lines back into one paragraph.</p>
<ul><li>Keep your password secret.</li><li>Tell us at once if someone else uses your
account.</li></ul>
<h2>2. Liability</h2>
<p>Our liability is limited to the amount you paid us in the twelve months before the
claim arose.</p>
<h3>2.1 Exceptions</h3>
<p>Nothing in these terms limits liability for fraud or for death caused by
negligence.</p>
</body></html>
"""


@pytest.fixture(scope="module")
def terms_pdf() -> bytes:
    return weasyprint.HTML(string=TERMS_HTML).write_pdf()


def test_pdf_headings_by_font_size(terms_pdf: bytes) -> None:
    lines = extract_pdf(terms_pdf).markdown.splitlines()

    assert "# Example Terms of Service" in lines
    assert "## 1. Your account" in lines
    assert "## 2. Liability" in lines
    assert "### 2.1 Exceptions" in lines


def test_pdf_paragraphs_rebuilt(terms_pdf: bytes) -> None:
    markdown = extract_pdf(terms_pdf).markdown
    paragraphs = markdown.split("\n\n")

    assert "Last updated: March 3, 2025" in paragraphs
    first = next(p for p in paragraphs if p.startswith("You must be"))
    assert "\n" not in first
    assert first.endswith("join the lines back into one paragraph.")
    assert "create an account. We may suspend an account" in first
    assert "- Keep your password secret." in paragraphs
    assert "- Tell us at once if someone else uses your account." in paragraphs


def test_pdf_title_from_metadata(terms_pdf: bytes) -> None:
    assert extract_pdf(terms_pdf).title == "Example Terms of Service"


def test_pdf_title_from_first_heading() -> None:
    page = "<html><body><h1>Acceptable Use Policy</h1><p>Do not send spam.</p></body>"

    document = extract_pdf(weasyprint.HTML(string=page).write_pdf())

    assert document.title == "Acceptable Use Policy"


def test_pdf_hyphenated_words_joined() -> None:
    html = (
        "<html><body lang='en'><p style='width: 60px; hyphens: auto'>"
        "Extraordinarily comprehensive responsibilities</p></body></html>"
    )

    markdown = extract_pdf(weasyprint.HTML(string=html).write_pdf()).markdown

    assert markdown == "Extraordinarily comprehensive responsibilities\n"


def test_pdf_page_numbers_dropped() -> None:
    pages = "".join(
        f"<section style='page-break-after: always'><p>Clause {n} of the terms "
        f"explains one rule.</p><p>Example Ltd confidential</p><p>{n}</p></section>"
        for n in range(1, 5)
    )

    markdown = extract_pdf(weasyprint.HTML(string=pages).write_pdf()).markdown

    assert "Clause 4 of the terms explains one rule." in markdown
    assert "confidential" not in markdown
    assert "\n3\n" not in markdown


@pytest.mark.parametrize(
    "data",
    [b"", b"not a pdf at all", b"%PDF-1.7\n%garbage without objects\n"],
    ids=["empty", "not-pdf", "garbage"],
)
def test_pdf_corrupt_bytes(data: bytes) -> None:
    with pytest.raises(ExtractionError, match="PDF"):
        extract_pdf(data)


def test_pdf_truncated(terms_pdf: bytes) -> None:
    with pytest.raises(ExtractionError, match="corrupt or truncated"):
        extract_pdf(terms_pdf[: len(terms_pdf) // 3])


def test_pdf_encrypted(terms_pdf: bytes) -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(terms_pdf)))
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)

    with pytest.raises(ExtractionError, match="encrypted"):
        extract_pdf(buffer.getvalue())


def test_pdf_owner_password_only_readable(terms_pdf: bytes) -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(terms_pdf)))
    writer.encrypt(user_password="", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)

    assert "## 2. Liability" in extract_pdf(buffer.getvalue()).markdown


def test_pdf_without_text_layer() -> None:
    drawing = (
        "<html><body><svg width='200' height='100'><rect width='200' height='100' "
        "fill='black'/></svg></body></html>"
    )

    with pytest.raises(ExtractionError, match="no text layer"):
        extract_pdf(weasyprint.HTML(string=drawing).write_pdf())
