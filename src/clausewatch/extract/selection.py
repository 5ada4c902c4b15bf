"""Apply declared CSS and range selectors to a parsed HTML page."""

from __future__ import annotations

import copy
from collections.abc import Sequence

from lxml import etree, html

from clausewatch.declarations.selectors import RangeSelector, Selector, css_to_xpath
from clausewatch.errors import ExtractionError

_RANGE_START = "clausewatch-range-start"
_RANGE_END = "clausewatch-range-end"


def remove_selected(
    root: html.HtmlElement, selectors: Sequence[Selector], url: str
) -> html.HtmlElement:
    """Remove what each selector matches from the page and return the new root.

    A CSS selector that matches nothing is skipped: what it would remove (a cookie
    banner shown only to some visitors, an element dropped by the page) is already
    absent. Range selectors still need both bounds.
    """
    for selector in selectors:
        if isinstance(selector, RangeSelector):
            _delete_range(root, selector, url)
            continue
        for element in _css_matches(root, selector, url, required=False):
            if element.getparent() is not None:
                element.drop_tree()
    return root


def select_fragments(
    root: html.HtmlElement, selectors: Sequence[Selector], url: str
) -> list[html.HtmlElement]:
    """Return copies of what the selectors match, in document order.

    CSS matches that sit inside another match are skipped, so no text appears twice.
    A range yields one fragment with the nodes between its start and end.
    """
    order = {element: index for index, element in enumerate(root.iter())}
    picked: list[tuple[int, html.HtmlElement]] = []
    for selector in selectors:
        if isinstance(selector, RangeSelector):
            start = _first_match(root, _range_start(selector), url)
            fragment = _copy_range(copy.deepcopy(root), selector, url)
            picked.append((order.get(start, 0), fragment))
            continue
        for element in _css_matches(root, selector, url):
            picked.append((order.get(element, 0), element))

    chosen = [element for _, element in sorted(picked, key=lambda item: item[0])]
    chosen_set = set(chosen)
    fragments = []
    for element in chosen:
        if any(ancestor in chosen_set for ancestor in element.iterancestors()):
            continue
        fragments.append(_detached_copy(element))
    return fragments


def _detached_copy(element: html.HtmlElement) -> html.HtmlElement:
    duplicate = copy.deepcopy(element)
    duplicate.tail = None
    return duplicate


def _css_matches(
    root: html.HtmlElement, selector: str, url: str, *, required: bool = True
) -> list[html.HtmlElement]:
    try:
        matches = root.xpath(css_to_xpath(selector))
    except ValueError as error:
        raise ExtractionError(
            f"invalid CSS selector {selector!r} for {url}: {error}; "
            "fix the selector in the declaration"
        ) from error
    elements = [match for match in matches if isinstance(match, etree.ElementBase)]
    if not elements and required:
        raise ExtractionError(
            f"selector {selector!r} matches nothing on {url}; the page may have "
            "changed, so update the declaration's selectors"
        )
    return elements


def _first_match(root: html.HtmlElement, selector: str, url: str) -> html.HtmlElement:
    return _css_matches(root, selector, url)[0]


def _range_start(selector: RangeSelector) -> str:
    start = selector.start_before or selector.start_after
    if start is None or (selector.start_before and selector.start_after):
        raise ExtractionError(
            f"invalid range selector {selector}: set exactly one of start_before "
            "and start_after in the declaration"
        )
    return start


def _range_end(selector: RangeSelector) -> str:
    end = selector.end_before or selector.end_after
    if end is None or (selector.end_before and selector.end_after):
        raise ExtractionError(
            f"invalid range selector {selector}: set exactly one of end_before "
            "and end_after in the declaration"
        )
    return end


def _place_markers(
    root: html.HtmlElement, selector: RangeSelector, url: str
) -> tuple[etree._Element, etree._Element]:
    start = _first_match(root, _range_start(selector), url)
    end = _first_match(root, _range_end(selector), url)
    start_marker = _place_marker(
        start, _RANGE_START, after=selector.start_after is not None
    )
    end_marker = _place_marker(end, _RANGE_END, after=selector.end_after is not None)
    for node in root.iter(_RANGE_START, _RANGE_END):
        if node is end_marker:
            raise ExtractionError(
                f"range selector {selector} on {url}: the end comes before the "
                "start; fix the range in the declaration"
            )
        break
    return start_marker, end_marker


def _copy_range(
    root: html.HtmlElement, selector: RangeSelector, url: str
) -> html.HtmlElement:
    """Return the nodes between a range's start and end as a new ``div``.

    The page is serialized and the markup between the two markers parsed again.
    lxml's parser closes the elements that the cut leaves open, much as a DOM Range
    clones partially selected nodes.
    """
    _place_markers(root, selector, url)
    markup = html.tostring(root, encoding="unicode")
    start_tag = f"<{_RANGE_START}></{_RANGE_START}>"
    end_tag = f"<{_RANGE_END}></{_RANGE_END}>"
    inside = markup[markup.find(start_tag) + len(start_tag) : markup.find(end_tag)]
    return html.fragment_fromstring(inside or " ", create_parent="div")


def _delete_range(root: html.HtmlElement, selector: RangeSelector, url: str) -> None:
    """Delete the nodes between a range's start and end, as DOM Range deletion does.

    Elements wholly inside the range go, with their tail text. Elements that
    contain a bound stay and lose only the text inside the range, so a container
    that the range starts in can still be selected afterwards.
    """
    start_marker, end_marker = _place_markers(root, selector, url)
    start_ancestors = set(start_marker.iterancestors())
    end_ancestors = set(end_marker.iterancestors())

    inside = False
    doomed: list[etree._Element] = []
    for node in root.iter():
        if node is start_marker:
            inside = True
        elif node is end_marker:
            break
        elif inside and node not in end_ancestors:
            doomed.append(node)
    doomed_set = set(doomed)
    for node in doomed:
        parent = node.getparent()
        if parent is not None and parent not in doomed_set:
            parent.remove(node)

    start_marker.tail = None
    for ancestor in start_marker.iterancestors():
        if ancestor in end_ancestors:
            break
        ancestor.tail = None
    for ancestor in end_marker.iterancestors():
        if ancestor in start_ancestors:
            break
        ancestor.text = None
    for marker in (start_marker, end_marker):
        _remove_keeping_tail(marker)


def _remove_keeping_tail(node: etree._Element) -> None:
    parent = node.getparent()
    if parent is None:
        return
    previous = node.getprevious()
    if node.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _place_marker(
    element: html.HtmlElement, tag: str, *, after: bool
) -> etree._Element:
    marker = etree.Element(tag)
    if after:
        # The marker goes between the element and its tail text, which follows it.
        tail, element.tail = element.tail, None
        element.addnext(marker)
        marker.tail = tail
    else:
        element.addprevious(marker)
    return marker
