"""HTML extraction: main content, chrome removal, selectors and hostile pages."""

from __future__ import annotations

import pytest

from clausewatch.errors import ExtractionError
from clausewatch.extract import RangeSelector, extract_html

URL = "http://127.0.0.1:8000/privacy"

PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
  <title>Privacy Policy | Example Notes</title>
  <style>body { color: red; }</style>
  <script>window.trackingId = "UA-SECRET-1";</script>
</head>
<body>
  <header class="site-header"><a href="/">Example Notes</a> | Pricing | Blog</header>
  <nav><ul><li><a href="/a">About us</a></li><li><a href="/c">Careers</a></li>
  </ul></nav>
  <div id="cookie-consent-banner">We use cookies to improve your experience.
    <button>Accept all</button></div>
  <main>
    <h1>Privacy Policy</h1>
    <p>Last updated: March 3, 2025</p>
    <h2 id="collect">1. Information we collect</h2>
    <p>We collect the notes you write, your e-mail address and the times at which you
       sign in, so that we can provide the service and keep your account secure.</p>
    <ul>
      <li>Account data, such as your name and e-mail address.</li>
      <li>Usage data, such as the pages you open and the features you use.</li>
    </ul>
    <h2 id="share">2. Sharing</h2>
    <p>We share data with hosting providers that store it on our behalf, and with
       nobody else unless a court orders us to.</p>
    <section id="cookies">
      <h2>3. Cookies</h2>
      <p>We use one session cookie to keep you signed in, and no tracking cookies.</p>
    </section>
    <h2 id="retention">4. Retention</h2>
    <table>
      <tr><th>Data</th><th>Kept for</th></tr>
      <tr><td>Notes</td><td>Until you delete them</td></tr>
      <tr><td>Sign-in times</td><td>90 days</td></tr>
    </table>
    <div class="share-widget">Share this page</div>
    <form action="/search"><input name="q"><button>Search</button></form>
  </main>
  <footer>Copyright 2025 Example Notes. <a href="/terms">Terms</a></footer>
</body>
</html>
"""


def test_html_main_content_kept() -> None:
    document = extract_html(PAGE, url=URL)

    assert document.title == "Privacy Policy | Example Notes"
    assert "Last updated: March 3, 2025" in document.markdown
    assert "We collect the notes you write" in document.markdown
    assert "- Account data, such as your name and e-mail address." in document.markdown
    assert "We use one session cookie" in document.markdown
    assert "| Sign-in times | 90 days |" in document.markdown


def test_html_headings_in_atx_form() -> None:
    lines = extract_html(PAGE, url=URL).markdown.splitlines()

    assert "# Privacy Policy" in lines
    assert "## 1. Information we collect" in lines
    assert "## 3. Cookies" in lines
    assert "## 4. Retention" in lines


def test_html_chrome_dropped() -> None:
    markdown = extract_html(PAGE, url=URL).markdown

    assert "UA-SECRET-1" not in markdown
    assert "color: red" not in markdown
    assert "Careers" not in markdown
    assert "Accept all" not in markdown
    assert "improve your experience" not in markdown
    assert "Copyright 2025" not in markdown
    assert "Pricing" not in markdown
    assert "Search" not in markdown


def test_html_output_is_normalized() -> None:
    from clausewatch.extract import normalize_markdown

    markdown = extract_html(PAGE, url=URL).markdown

    assert normalize_markdown(markdown) == markdown


def test_html_div_page_keeps_headings() -> None:
    # Headings and lists written as plain divs with classes, the shape that makes
    # trafilatura's default settings lose sections.
    sections = "".join(
        f'<div class="section"><div class="title"><h3>Section {n}</h3></div>'
        f'<div class="body"><p>Clause {n} explains how we handle one kind of data, '
        f"for how long we keep it and who may see it.</p></div></div>"
        for n in range(1, 7)
    )
    page = f"<html><body><div id='app'>{sections}</div></body></html>"

    markdown = extract_html(page, url=URL).markdown

    for n in range(1, 7):
        assert f"### Section {n}" in markdown
        assert f"Clause {n} explains how we handle" in markdown


def test_html_escaped_script_stays_text() -> None:
    page = (
        "<html><body><main><h1>Terms</h1><p>Do not post code such as "
        "&lt;script&gt;alert(1)&lt;/script&gt; in your profile, or we may remove "
        "it without notice.</p><script>alert(2)</script></main></body></html>"
    )

    markdown = extract_html(page, url=URL).markdown

    assert "\\<script>alert(1)\\</script>" in markdown
    assert "alert(2)" not in markdown


def test_html_escaped_script_with_selectors() -> None:
    page = (
        "<html><body><div id='terms'><p>Do not post &lt;script&gt;alert(1)"
        "&lt;/script&gt; in your profile.</p><script>alert(2)</script></div>"
        "</body></html>"
    )

    markdown = extract_html(page, url=URL, select=["#terms"]).markdown

    assert "\\<script>alert(1)\\</script>" in markdown
    assert "alert(2)" not in markdown


def test_html_select_and_remove() -> None:
    document = extract_html(
        PAGE, url=URL, select=["#share", "#cookies", "table"], remove=["#cookies h2"]
    )

    assert document.markdown == (
        "## 2. Sharing\n\n"
        "We use one session cookie to keep you signed in, and no tracking cookies.\n\n"
        "| Data | Kept for |\n| --- | --- |\n| Notes | Until you delete them |\n"
        "| Sign-in times | 90 days |\n"
    )


def test_html_select_in_document_order() -> None:
    markdown = extract_html(PAGE, url=URL, select=["#retention", "#collect"]).markdown

    assert markdown == "## 1. Information we collect\n\n## 4. Retention\n"


def test_html_nested_selections_not_repeated() -> None:
    markdown = extract_html(PAGE, url=URL, select=["#cookies", "#cookies p"]).markdown

    assert markdown.count("We use one session cookie") == 1


def test_html_remove_only() -> None:
    markdown = extract_html(PAGE, url=URL, remove=["table", "#cookies"]).markdown

    assert "We share data with hosting providers" in markdown
    assert "Sign-in times" not in markdown
    assert "session cookie" not in markdown


@pytest.mark.parametrize(
    ("selector", "present", "absent"),
    [
        (
            RangeSelector(start_before="#share", end_before="#retention"),
            ["## 2. Sharing", "hosting providers", "session cookie"],
            ["Retention", "Information we collect", "Sign-in times"],
        ),
        (
            RangeSelector(start_after="#share", end_after="#retention"),
            ["hosting providers", "session cookie", "## 4. Retention"],
            ["Sharing", "Sign-in times"],
        ),
    ],
)
def test_html_range_selector(
    selector: RangeSelector, present: list[str], absent: list[str]
) -> None:
    markdown = extract_html(PAGE, url=URL, select=[selector]).markdown

    for text in present:
        assert text in markdown
    for text in absent:
        assert text not in markdown


def test_html_range_keeps_tail_text() -> None:
    page = (
        "<html><body><div><span id='a'>START</span> first words <b>bold</b>"
        " middle <span id='b'>END</span> after</div></body></html>"
    )

    selector = RangeSelector(start_after="#a", end_before="#b")
    markdown = extract_html(page, url=URL, select=[selector]).markdown

    assert markdown == "first words **bold** middle\n"


def test_html_remove_range() -> None:
    selector = RangeSelector(start_before="#share", end_before="#retention")

    markdown = extract_html(PAGE, url=URL, remove=[selector]).markdown

    assert "Information we collect" in markdown
    assert "## 4. Retention" in markdown
    assert "hosting providers" not in markdown
    assert "session cookie" not in markdown


@pytest.mark.parametrize(
    ("select", "remove", "named"),
    [
        (["#missing"], [], "#missing"),
        ([RangeSelector(start_before="#share", end_before="#gone")], [], "#gone"),
    ],
)
def test_html_selector_matching_nothing(
    select: list[str | RangeSelector], remove: list[str], named: str
) -> None:
    with pytest.raises(ExtractionError) as raised:
        extract_html(PAGE, url=URL, select=select, remove=remove)

    assert named in str(raised.value)
    assert URL in str(raised.value)


def test_html_remove_matching_nothing_is_skipped() -> None:
    with_banner = extract_html(PAGE, url=URL, select=["main"])
    without = extract_html(PAGE, url=URL, select=["main"], remove=[".no-such-class"])

    assert without.markdown == with_banner.markdown


def test_html_range_end_before_start() -> None:
    selector = RangeSelector(start_before="#retention", end_before="#collect")

    with pytest.raises(ExtractionError, match="end comes before the start"):
        extract_html(PAGE, url=URL, select=[selector])


def test_html_invalid_css_selector() -> None:
    with pytest.raises(ExtractionError, match="invalid CSS selector"):
        extract_html(PAGE, url=URL, select=["main >> p"])


@pytest.mark.parametrize("page", ["", "   \n\t  "])
def test_html_empty_page(page: str) -> None:
    with pytest.raises(ExtractionError, match="is empty"):
        extract_html(page, url=URL)


def test_html_javascript_only_page() -> None:
    page = (
        "<!DOCTYPE html><html><head><title>App</title></head><body>"
        "<div id='root'></div><script src='/bundle.js'></script>"
        "<script>render(document.getElementById('root'))</script></body></html>"
    )

    with pytest.raises(ExtractionError, match="executeClientScripts"):
        extract_html(page, url=URL)


def test_html_only_markup_no_text() -> None:
    with pytest.raises(ExtractionError, match="has no text"):
        extract_html("<html><body><div><img src='x.png'></div></body></html>", url=URL)


def test_html_xml_declaration_accepted() -> None:
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + PAGE

    assert "hosting providers" in extract_html(page, url=URL).markdown


def test_html_wrapping_form_kept() -> None:
    text = "We keep your messages for thirty days and then delete them. " * 5
    page = (
        "<html><body><form id='aspnetForm'><h1>Terms</h1>"
        f"<p>{text}</p></form></body></html>"
    )

    assert "We keep your messages" in extract_html(page, url=URL).markdown


def test_html_range_after_page_header() -> None:
    selector = RangeSelector(start_after="header", end_before="footer")

    markdown = extract_html(PAGE, url=URL, select=[selector]).markdown

    assert markdown.startswith("# Privacy Policy\n")
    assert "Sign-in times" in markdown
    assert "Example Notes | Pricing" not in markdown
    assert "Copyright 2025" not in markdown


def test_html_selected_section_headers_kept() -> None:
    page = (
        "<html><body><div id='policy'><section><header><h2>Retention</h2>"
        "<p>Updated 3 March 2025</p></header><p>We keep logs for 30 days.</p>"
        "</section></div></body></html>"
    )

    markdown = extract_html(page, url=URL, select=["#policy"]).markdown

    assert markdown == (
        "## Retention\n\nUpdated 3 March 2025\n\nWe keep logs for 30 days.\n"
    )


def test_html_accordion_button_heading_kept() -> None:
    page = (
        "<html><body><main><h1>Terms</h1>"
        "<h2><button aria-expanded='false'>Payments</button></h2>"
        "<div><p>You pay in advance for each month of the subscription.</p></div>"
        "<button>Print this page</button></main></body></html>"
    )

    markdown = extract_html(page, url=URL).markdown

    assert "## Payments" in markdown
    assert "Print this page" not in markdown


def test_html_cookie_notice_document_kept() -> None:
    clauses = "".join(
        f"<h2>Cookie {n}</h2><p>This cookie keeps setting {n} for a year.</p>"
        for n in range(1, 4)
    )
    page = (
        "<html><body><div class='cookie-notice-page'><h1>Cookie Notice</h1>"
        f"{clauses}</div><div class='cookie-banner'>We use cookies. OK?</div>"
        "</body></html>"
    )

    markdown = extract_html(page, url=URL).markdown

    assert "# Cookie Notice" in markdown
    assert "This cookie keeps setting 3 for a year." in markdown
    assert "OK?" not in markdown


def test_html_remove_range_inside_selected() -> None:
    page = (
        "<html><body><div class='doc'><p>Intro that the range removes.</p>"
        "<div class='doc'><p>Also removed.</p></div><p>Removed too.</p>"
        "<h2 id='chapter1'>Chapter 1</h2><p>We keep your data for a year.</p>"
        "</div></body></html>"
    )
    selector = RangeSelector(start_before=".doc", end_before="#chapter1")

    markdown = extract_html(page, url=URL, select=[".doc"], remove=[selector]).markdown

    assert markdown == "## Chapter 1\n\nWe keep your data for a year.\n"


def test_html_remove_range_keeps_outside_text() -> None:
    page = (
        "<html><body><div><p>Before <b id='a'>start</b> cut <i>this</i> "
        "<span id='b'>end</span> after.</p><p>Next paragraph stays.</p></div>"
        "</body></html>"
    )
    selector = RangeSelector(start_after="#a", end_after="#b")

    markdown = extract_html(page, url=URL, select=["div"], remove=[selector]).markdown

    assert markdown == "Before **start** after.\n\nNext paragraph stays.\n"


def test_html_numbered_paragraph_not_list() -> None:
    page = (
        "<html><body><div id='terms'><h2>1. About us</h2><p>1. About us</p>"
        "<p>- not a bullet</p><p>&gt; not a quote</p><p>Items 1. and 2) stay.</p>"
        "<table><tr><th>1. Kind</th></tr><tr><td>2. Logs</td></tr></table>"
        "</div></body></html>"
    )

    lines = extract_html(page, url=URL, select=["#terms"]).markdown.splitlines()

    assert "## 1. About us" in lines
    assert "1\\. About us" in lines
    assert "\\- not a bullet" in lines
    assert "\\> not a quote" in lines
    assert "Items 1. and 2) stay." in lines
    assert "| 2. Logs |" in lines


def test_html_too_deep_nesting() -> None:
    text = "<p>We keep your data for one year after you close your account.</p>"
    page = (
        f"<html><body><main>{'<div>' * 600}{text}{'</div>' * 600}</main></body></html>"
    )

    with pytest.raises(ExtractionError, match="Excessive depth"):
        extract_html(page, url=URL)


def test_html_deep_nesting_within_limit() -> None:
    text = "<p>We keep your data for one year after you close your account.</p>"
    page = (
        f"<html><body><main>{'<div>' * 240}{text}{'</div>' * 240}</main></body></html>"
    )

    markdown = extract_html(page, url=URL, select=["main"]).markdown

    assert markdown == "We keep your data for one year after you close your account.\n"
