"""Debian chromium, driven by Playwright, against a real uvicorn on loopback.

The store contains a subset of the real corpus imported with the real analyzer.
Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import select

from clausewatch.db.models import CurrentClause, Provision
from tests.web_fixtures import ServedSite, served_corpus  # noqa: F401

# The served_corpus fixture is imported, so pytest finds it; arguments shadow it.
# ruff: noqa: F811

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"Debian chromium not found at {CHROMIUM}; apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def tab(chromium_browser: Browser) -> Iterator[Page]:
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def training_provision(site: ServedSite) -> str:
    """A current provision about AI training, the page's richest case."""
    with site.store.session() as session:
        found = session.execute(
            select(Provision.record_id)
            .join(CurrentClause, CurrentClause.provision_id == Provision.id)
            .where(CurrentClause.clause_type_id == "ai_training_on_user_data")
            .order_by(CurrentClause.confidence.desc())
            .limit(1)
        ).scalar_one()
    return found


def screenshot(tab: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def section_text(tab: Page, number: int) -> str:
    locator = tab.locator(f"section[data-section='{number}']")
    return " ".join(locator.inner_text().split())


def test_provision_page_sections(served_corpus: ServedSite, tab: Page) -> None:
    record_id = training_provision(served_corpus)

    tab.goto(f"{served_corpus.base_url}/provisions/{record_id}")
    screenshot(tab, "provision-wide")
    numbers = tab.eval_on_selector_all(
        "section[data-section]", "nodes => nodes.map(n => Number(n.dataset.section))"
    )

    assert numbers == list(range(1, 23))
    header = section_text(tab, 1)
    assert "AI/ML model training using user data" in header
    assert re.search(r"Severity: (Low|Medium|High|Critical)", header)
    assert re.search(r"\d+ of 8 platforms", header)
    assert re.search(r"\d+ documented changes? for", section_text(tab, 2))
    assert "states in its" in section_text(tab, 3)
    assert re.search(r"\d+ months?", section_text(tab, 6))
    assert "other provision" in section_text(tab, 6)
    assert "Atom feed" in section_text(tab, 10)
    assert "GDPR" in section_text(tab, 12)
    assert "complaint" in section_text(tab, 13)
    assert "Yes, re-hashed on this request" in section_text(tab, 16)
    assert "web.archive.org/web/" in tab.inner_html("section[data-section='16']")
    assert re.search(r"[0-9a-f]{64}", section_text(tab, 17))
    assert "Artificial intelligence" in section_text(tab, 18)
    assert "of 8 tracked platforms" in section_text(tab, 21)


def test_provision_page_narrow(
    served_corpus: ServedSite, chromium_browser: Browser
) -> None:
    record_id = training_provision(served_corpus)
    context = chromium_browser.new_context(viewport={"width": 375, "height": 800})
    narrow = context.new_page()

    narrow.goto(f"{served_corpus.base_url}/provisions/{record_id}")
    screenshot(narrow, "provision-375")
    width = narrow.evaluate("document.documentElement.scrollWidth")
    context.close()

    assert width <= 375


def contrast_ratio(tab: Page, selector: str) -> float:
    """WCAG contrast of an element's text colour against the page background."""
    return tab.eval_on_selector(
        selector,
        """node => {
          const rgb = value => value.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
          const lum = ([r, g, b]) => {
            const c = [r, g, b].map(v => v / 255).map(v =>
              v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
            return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
          };
          let back = node;
          let background = getComputedStyle(back).backgroundColor;
          while (background === 'rgba(0, 0, 0, 0)' && back.parentElement) {
            back = back.parentElement;
            background = getComputedStyle(back).backgroundColor;
          }
          if (background === 'rgba(0, 0, 0, 0)') background = 'rgb(255, 255, 255)';
          const a = lum(rgb(getComputedStyle(node).color));
          const b = lum(rgb(background));
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }""",
    )


@pytest.mark.parametrize(
    "selector",
    [
        "h1",
        "main a",
        ".breadcrumb",
        ".badge",
        ".disclaimer",
        ".site-footer p",
    ],
)
def test_text_contrast_meets_aa(
    served_corpus: ServedSite, tab: Page, selector: str
) -> None:
    record_id = training_provision(served_corpus)
    tab.goto(f"{served_corpus.base_url}/provisions/{record_id}")

    assert contrast_ratio(tab, selector) >= 4.5


def test_navigation_to_diff(served_corpus: ServedSite, tab: Page) -> None:
    base = served_corpus.base_url

    tab.goto(f"{base}/")
    screenshot(tab, "home")
    tab.click("main a[href='/platforms/meta-ai']")
    assert tab.inner_text("h1") == "Meta AI"
    screenshot(tab, "platform")
    tab.click("main table a[href^='/documents/']")
    assert tab.locator("h2#document-versions").is_visible()
    document_url = tab.url
    screenshot(tab, "document")
    tab.click("ol.provisions a[href^='/provisions/']")
    assert tab.locator("section[data-section='22']").is_visible()

    tab.goto(document_url)
    tab.check("input[name='view'][value='inline']")
    tab.click("form.diff-form button[type='submit']")
    screenshot(tab, "diff-inline")

    assert "/diff?" in tab.url
    assert "view=inline" in tab.url
    assert tab.locator("li.diff-row").count() > 0


def test_changes_filter_form(served_corpus: ServedSite, tab: Page) -> None:
    tab.goto(f"{served_corpus.base_url}/changes")
    tab.select_option("#f-platform", "tiktok")
    tab.check("input[name='material']")
    tab.click("form.filters button[type='submit']")
    screenshot(tab, "changes")

    platforms = tab.eval_on_selector_all(
        "ul.changes a[href^='/platforms/']", "nodes => nodes.map(n => n.textContent)"
    )
    assert platforms
    assert set(platforms) == {"TikTok"}


def test_search_from_home(served_corpus: ServedSite, tab: Page) -> None:
    tab.goto(f"{served_corpus.base_url}/")
    tab.fill("#home-q", "delete your account")
    tab.press("#home-q", "Enter")
    screenshot(tab, "search")

    assert tab.locator("mark").count() > 0
