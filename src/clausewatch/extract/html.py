"""HTML pages to Markdown: declared selectors, or trafilatura's main-content finder."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from lxml import etree, html

from clausewatch.declarations.selectors import Selector
from clausewatch.errors import ExtractionError
from clausewatch.extract.cleaning import remove_chrome
from clausewatch.extract.document import ExtractedDocument
from clausewatch.extract.markdown import element_to_markdown
from clausewatch.extract.normalize import normalize_markdown
from clausewatch.extract.selection import remove_selected, select_fragments

logger = logging.getLogger(__name__)

_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_MARKDOWN_HEADING = re.compile(r"^#{1,6} ", re.MULTILINE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACES = re.compile(r"\s+")
#: trafilatura's output is replaced by the whole main content when it keeps less than
#: this fraction of its text or of its blocks, or loses any of its headings.
MIN_KEPT_FRACTION = 0.5


def extract_html(
    html_text: str,
    *,
    url: str,
    select: Sequence[Selector] = (),
    remove: Sequence[Selector] = (),
) -> ExtractedDocument:
    """Extract a page's document text as normalized Markdown, with the page title.

    With declared selectors, ``remove`` is applied first, then ``select`` (matches
    concatenated in document order), and the result is converted to Markdown.
    Without selectors, trafilatura finds the main content. The page's only ``main``
    or ``article``, else its ``body``, is used instead when trafilatura returns
    nothing, drops a heading, or loses text or block structure. Scripts, styles,
    navigation, page headers and footers, consent banners and forms are always
    dropped. Text that only looks like markup ("&lt;b&gt;")
    stays text.

    Raises ExtractionError for an empty page, a page without text (such as one built
    by JavaScript), and a select selector or range bound that matches nothing. A CSS
    remove selector that matches nothing is skipped.
    """
    root = _parse(html_text, url)
    title = _page_title(root)
    had_scripts = any(True for _ in root.iter("script"))

    if select or remove:
        # Selectors run on the page as fetched, because they may name chrome
        # elements ("startAfter": "header").
        root = remove_selected(root, remove, url)
        fragments = select_fragments(root, select, url) if select else [_body(root)]
        for fragment in fragments:
            remove_chrome(fragment, page_level=not select)
        markdown = normalize_markdown(
            "\n\n".join(_to_markdown(part) for part in fragments)
        )
    else:
        remove_chrome(root, page_level=True)
        markdown = _extract_main_content(root, url)

    if not markdown.strip():
        raise ExtractionError(_no_text_message(url, had_scripts))
    return ExtractedDocument(markdown=markdown, title=title)


def _parse(html_text: str, url: str) -> html.HtmlElement:
    if not html_text.strip():
        raise ExtractionError(
            f"the page at {url} is empty; check the URL, or whether the site "
            "blocks the fetcher"
        )
    # lxml rejects str input that declares its own encoding.
    html_text = _XML_DECLARATION.sub("", html_text)
    parser = html.HTMLParser()
    try:
        root = html.document_fromstring(html_text, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise ExtractionError(
            f"the page at {url} is not readable HTML ({error}); check its content type"
        ) from error
    limits = [
        e.message for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"
    ]
    if limits:
        # libxml2 stops reading at a resource limit, 256 nested elements for one,
        # and would silently drop the rest of the page.
        raise ExtractionError(
            f"the page at {url} exceeds a limit of the HTML parser ({limits[0]}); "
            "the page is malformed or hostile, so check it in a browser"
        )
    return root


def _no_text_message(url: str, had_scripts: bool) -> str:
    if had_scripts:
        return (
            f"the page at {url} has no text outside scripts; it is probably built "
            "by JavaScript, so set browser: true in its declaration "
            "(executeClientScripts in the Open Terms Archive format)"
        )
    return f"the page at {url} has no text; check the URL and its selectors"


def _page_title(root: html.HtmlElement) -> str | None:
    candidates = [
        root.findtext(".//title"),
        root.xpath("string(//meta[@property='og:title']/@content)"),
        root.xpath("string((//h1)[1])"),
    ]
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip():
            return _SPACES.sub(" ", candidate).strip()
    return None


def _main_content(root: html.HtmlElement) -> html.HtmlElement:
    """Return the page's only ``main`` or ``article`` element, else its body."""
    for tag in ("main", "article"):
        found = root.xpath(f"//{tag}")
        if len(found) == 1:
            return found[0]
    return _body(root)


def _body(root: html.HtmlElement) -> html.HtmlElement:
    body = root.find("body")
    return body if body is not None else root


def _to_markdown(element: html.HtmlElement) -> str:
    # The text that follows the element is converted with it, as earlier releases
    # did, so that the versions they stored stay unchanged.
    return element_to_markdown(element, include_tail=True)


def _extract_main_content(root: html.HtmlElement, url: str) -> str:
    content = _main_content(root)
    fallback = normalize_markdown(_to_markdown(content))
    # Imported here: pages with declared selectors, the common case when tracking,
    # never need it, and its import took about 70 ms at every start.
    import trafilatura

    found = trafilatura.extract(
        html.tostring(root, encoding="unicode"),
        url=url,
        output_format="markdown",
        favor_recall=True,
        include_tables=True,
        include_links=True,
        include_formatting=True,
        include_comments=False,
        include_images=False,
        deduplicate=False,
    )
    if not found:
        logger.info("trafilatura found no main content on %s; using the page body", url)
        return fallback
    markdown = normalize_markdown(found)
    reason = _trafilatura_loss(markdown, fallback, content)
    if reason is not None:
        logger.info("trafilatura %s on %s; using the main content", reason, url)
        return fallback
    return markdown


def _trafilatura_loss(
    markdown: str, fallback: str, content: html.HtmlElement
) -> str | None:
    """Describe what trafilatura's output lost against the main content, if anything."""
    # trafilatura drops whole sections it takes for boilerplate, such as a policy's
    # <section id="cookies">, and a monitor must not lose a clause silently.
    page_headings = sum(1 for _ in content.iter(*_HEADING_TAGS))
    kept_headings = len(_MARKDOWN_HEADING.findall(markdown))
    if kept_headings < page_headings:
        return f"kept {kept_headings} of {page_headings} headings"
    if len(markdown) < MIN_KEPT_FRACTION * len(fallback):
        return f"kept {len(markdown)} of {len(fallback)} characters"
    # It can also run paragraphs, lists and tables together into a few blocks
    # (seen with trafilatura 2.3.1 on pages of nested lists), which would turn
    # separate provisions into one.
    kept_blocks = _count_blocks(markdown)
    page_blocks = _count_blocks(fallback)
    if kept_blocks < MIN_KEPT_FRACTION * page_blocks:
        return f"merged {page_blocks} blocks into {kept_blocks}"
    return None


def _count_blocks(markdown: str) -> int:
    return sum(1 for block in markdown.split("\n\n") if block.strip())
