"""Remove page chrome (scripts, navigation, banners, forms) from parsed HTML."""

from __future__ import annotations

import re

from lxml import etree, html

# Elements that never hold policy text.
_DROPPED_TAGS = (
    "script style noscript template svg iframe object embed canvas nav button "
    "input select textarea dialog link meta"
).split()
# Landmark roles of site navigation and page chrome.
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search"}
# Consent-banner ids and classes: "cookie-banner", "cookieConsent", "gdpr-notice",
# or a consent-platform name. A plain id="cookies" (the policy's cookie section) does
# not match, because it needs a second, banner-like word.
_BANNER_TOKEN = re.compile(
    r"(?:cookie|consent|gdpr).*(?:banner|notice|bar|popup|modal|overlay|consent|wall"
    r"|dialog|prompt|alert)|(?:banner|notice|bar|popup|modal).*(?:cookie|consent|gdpr)"
    r"|onetrust|cookiebot|didomi|usercentrics|truste|qc-cmp|cc-window|cmp-container",
    re.IGNORECASE,
)
#: A form with a heading or this much text wraps the page's content, as ASP.NET pages
#: do, so it is kept. Smaller forms are search boxes or sign-ups.
FORM_CONTENT_CHARS = 1000
#: A banner-like or navigation element with a heading or this much text contains the
#: document itself (a "cookie-notice" page, say), so it is kept. Consent banners are
#: a few sentences long.
BANNER_MAX_CHARS = 2000
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def remove_chrome(root: html.HtmlElement, *, page_level: bool) -> None:
    """Remove scripts, styles, navigation, consent banners, forms and comments.

    With ``page_level``, for a whole page, ``header`` and ``footer`` elements outside
    ``main`` and ``article`` go too. Inside content they stay, because they often carry
    a section's title and date. Content picked by declared selectors is cleaned
    without ``page_level``, since its author chose it. A ``button`` inside a heading,
    as in accordions, keeps its text.
    """
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop(node)
    for button in list(root.iter("button")):
        if any(ancestor.tag in _HEADINGS for ancestor in button.iterancestors()):
            button.drop_tag()
    for element in list(root.iter(*_DROPPED_TAGS)):
        _drop(element)
    if page_level:
        for element in list(root.iter("header", "footer")):
            if not _inside_content(element):
                _drop(element)
    for element in list(root.iter("form")):
        if not _holds_content(element, FORM_CONTENT_CHARS):
            _drop(element)
    for element in list(root.iter()):
        if element.getparent() is None or not isinstance(element.tag, str):
            continue
        role = (element.get("role") or "").lower()
        marks = f"{element.get('id') or ''} {element.get('class') or ''}"
        if role in _CHROME_ROLES or _BANNER_TOKEN.search(marks):
            if not _holds_content(element, BANNER_MAX_CHARS):
                _drop(element)


def _drop(node: etree._Element) -> None:
    # drop_tree keeps the node's tail text, which belongs to the parent.
    if node.getparent() is None:
        return
    if isinstance(node, html.HtmlMixin):
        node.drop_tree()
        return
    parent = node.getparent()
    previous = node.getprevious()
    if node.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _inside_content(element: html.HtmlElement) -> bool:
    return any(
        ancestor.tag in ("main", "article") for ancestor in element.iterancestors()
    )


def _holds_content(element: html.HtmlElement, max_chrome_chars: int) -> bool:
    if any(True for _ in element.iter("main", "article", *_HEADINGS)):
        return True
    return len(element.text_content()) >= max_chrome_chars
