"""PDF export of rendered pages with WeasyPrint, fetching nothing from the network."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"


class NoFetching(URLFetcher):
    """Reject every external resource, so a PDF never triggers a request."""

    def fetch(self, url: str, headers: object = None) -> object:
        raise ValueError(f"PDF export loads no external resource; skipped {url}")


@cache
def pdf_stylesheets() -> tuple[CSS, ...]:
    """Parse the site and print stylesheets, once per process."""
    return tuple(
        CSS(string=(STATIC_DIR / name).read_text("utf-8"), url_fetcher=NoFetching())
        for name in ("site.css", "print.css")
    )


def render_pdf(html: str) -> bytes:
    """Render a complete HTML page (from the ``pdf_base.html`` layout) to PDF bytes."""
    document = HTML(string=html, url_fetcher=NoFetching())
    data = document.write_pdf(stylesheets=list(pdf_stylesheets()))
    assert data is not None
    return data
