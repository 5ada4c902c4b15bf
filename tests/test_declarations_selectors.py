"""Selectors of real declarations applied to local pages built to match them.

For a sample of real Open Terms Archive declarations, each test builds an HTML page
with an element for every select selector, containing text to keep. Inside the
selected part it places an element for every remove selector, containing text to drop,
and noise goes around both. The test serves the page on 127.0.0.1, fetches it and
applies the declared selectors.

The selectors are applied by ``apply_selectors`` below, a small lxml helper built on
``clausewatch.declarations.css_to_xpath``, because the extraction stage is written
separately; the point here is that the declarations' selectors translate and select
what they declare.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import cssselect
import httpx
import pytest
from cssselect.parser import Attrib, Class, CombinedSelector, Element, Hash
from lxml import etree, html

from clausewatch.declarations import (
    RangeSelector,
    Selector,
    SourcePage,
    css_to_xpath,
    load_declarations,
)

# (folder, file name without .json, terms type) of the sampled declarations.
CSS_SAMPLE = [
    ("contrib", "123Greetings", "Privacy Policy"),
    ("contrib", "ASKfm", "Terms of Service"),
    ("contrib", "AdMob", "Trackers Policy"),
    ("contrib", "Chayn", "Privacy Policy"),
    ("contrib", "FedEx", "Privacy Policy"),
    ("contrib", "Google Hangouts", "Acceptable Use Policy"),
    ("contrib", "Honkai- Star Rail", "Privacy Policy"),
    ("contrib", "Logitech", "Privacy Policy"),
    ("contrib", "Logitech", "Terms of Service"),
    ("contrib", "OPay", "Privacy Policy"),
    ("contrib", "Proton Mail", "Privacy Policy"),
    ("contrib", "Stack Overflow", "Terms of Service"),
    ("contrib", "The Mirror", "Terms of Service"),
    ("contrib", "TikTok", "Trackers Policy"),
    ("contrib", "Wikipedia", "Privacy Policy"),
    ("genai-eu", "ChatGPT", "Trackers Policy"),
    ("genai-eu", "Perplexity", "Privacy Policy"),
    ("genai-contrib", "ChatGPT", "Vulnerability Disclosure Policy"),
]
RANGE_SAMPLE = [
    ("contrib", "AdRoll", "Terms of Service"),
    ("contrib", "DeviantArt", "Terms of Service"),
    ("contrib", "Mailjet", "Data Processor Agreement"),
    ("contrib", "Substack", "Acceptable Use Policy"),
    ("contrib", "TP-Link", "Privacy Policy"),
    ("contrib", "Facebook", "Data Processor Agreement"),
]

NOISE = '<div class="cw-noise"><span>NOISE-{0}</span></div>'


# Building a page ----------------------------------------------------------------------


@dataclass
class Compound:
    """One compound selector, such as ``section.a#b[x=y]``, as an element to write."""

    tag: str = "div"
    attributes: dict[str, str] = field(default_factory=dict)
    classes: list[str] = field(default_factory=list)

    def open(self) -> str:
        attributes = dict(self.attributes)
        if self.classes:
            attributes["class"] = " ".join(self.classes)
        written = "".join(
            f' {name}="{escape(value)}"' for name, value in attributes.items()
        )
        return f"<{self.tag}{written}>"

    def close(self) -> str:
        return f"</{self.tag}>"


def read_compound(node: object, compound: Compound) -> None:
    if isinstance(node, Element):
        if node.element not in (None, "*"):
            compound.tag = node.element
    elif isinstance(node, Class):
        read_compound(node.selector, compound)
        compound.classes.append(node.class_name)
    elif isinstance(node, Hash):
        read_compound(node.selector, compound)
        compound.attributes["id"] = node.id
    elif isinstance(node, Attrib):
        read_compound(node.selector, compound)
        compound.attributes[node.attrib] = attribute_value(node)
    else:
        raise AssertionError(f"cannot build an element for {node!r}")


def attribute_value(node: Attrib) -> str:
    value = node.value.value if node.value is not None else "present"
    forms = {
        "exists": "present",
        "=": value,
        "~=": value,
        "|=": value,
        "^=": f"{value}-tail",
        "$=": f"head-{value}",
        "*=": f"head-{value}-tail",
    }
    return forms[node.operator]


def chain_of(node: object) -> list[Compound]:
    if isinstance(node, CombinedSelector):
        assert node.combinator in (" ", ">"), node
        return [*chain_of(node.selector), *chain_of(node.subselector)]
    compound = Compound()
    read_compound(node, compound)
    return [compound]


def element_for(selector: str, inner: str) -> str:
    """Write nested elements that match ``selector``, with ``inner`` in the last one."""
    first_alternative = cssselect.parse(selector)[0].parsed_tree
    text = inner
    for compound in reversed(chain_of(first_alternative)):
        text = compound.open() + text + compound.close()
    return text


def range_for(selector: RangeSelector, marker: str, inside: str) -> str:
    """Write a start element, ``inside``, then an end element, with marked text."""
    start = selector.start_before or selector.start_after
    end = selector.end_before or selector.end_after
    assert start is not None and end is not None
    start_text = f"<span>{marker}-START</span>"
    end_text = f"<span>{marker}-END</span>"
    return element_for(start, start_text) + inside + element_for(end, end_text)


def build_page(page: SourcePage) -> tuple[str, set[str], set[str]]:
    """Return HTML for ``page`` and the marker texts to keep and to drop."""
    keep: set[str] = set()
    drop: set[str] = set()
    removed_parts = []
    for index, selector in enumerate(page.remove):
        marker = f"DROP-{index}"
        if isinstance(selector, RangeSelector):
            middle = f"<span>{marker}-MIDDLE</span>"
            removed_parts.append(range_for(selector, marker, middle))
            drop.update({f"{marker}-START", f"{marker}-MIDDLE", f"{marker}-END"})
        else:
            removed_parts.append(element_for(selector, f"<span>{marker}</span>"))
            drop.add(marker)

    selected_parts = []
    for index, selector in enumerate(page.select):
        marker = f"KEEP-{index}"
        is_last = index == len(page.select) - 1
        inner = f"<span>{marker}</span>" + ("".join(removed_parts) if is_last else "")
        if isinstance(selector, RangeSelector):
            selected_parts.append(range_for(selector, marker, inner))
            keep.add(marker)
            bounds = {
                f"{marker}-START": selector.start_before is not None,
                f"{marker}-END": selector.end_after is not None,
            }
            keep.update(name for name, kept in bounds.items() if kept)
            drop.update(name for name, kept in bounds.items() if not kept)
        else:
            selected_parts.append(element_for(selector, inner))
            keep.add(marker)

    body = NOISE.format("before") + "".join(selected_parts) + NOISE.format("after")
    drop.update({"NOISE-before", "NOISE-after"})
    page_html = (
        f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>"
    )
    return page_html, keep, drop


# Applying selectors -------------------------------------------------------------------

Piece = tuple[etree._Element, str]


def text_pieces(root: etree._Element) -> list[Piece]:
    pieces: list[Piece] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        pieces.append((element, "text" if event == "start" else "tail"))
    return pieces


def first_match(root: etree._Element, css: str) -> etree._Element:
    matches = root.xpath(css_to_xpath(css))
    assert matches, f"no element matches {css!r}"
    return matches[0]


def pieces_of(root: etree._Element, selector: Selector) -> set[Piece]:
    """Text pieces that a selector covers, in the sense of Open Terms Archive."""
    if isinstance(selector, str):
        covered: set[Piece] = set()
        for element in root.xpath(css_to_xpath(selector)):
            subtree = text_pieces(element)
            covered.update(subtree[:-1])  # the element's own tail is outside it
        return covered
    start = first_match(root, selector.start_before or selector.start_after or "")
    end = first_match(root, selector.end_before or selector.end_after or "")
    covered = set()
    inside = False
    for element, kind in text_pieces(root):
        if kind == "text":
            if element is start and selector.start_before:
                inside = True
            if element is end and selector.end_before:
                break
        if inside:
            covered.add((element, kind))
        if kind == "tail":
            if element is start and selector.start_after:
                inside = True
            if element is end and selector.end_after:
                break
    return covered


def apply_selectors(page_html: str, page: SourcePage) -> str:
    """Return the text that ``page.select`` keeps once ``page.remove`` is applied."""
    root = html.fromstring(page_html)
    selected: set[Piece] = set()
    for selector in page.select:
        selected |= pieces_of(root, selector)
    removed: set[Piece] = set()
    for selector in page.remove:
        removed |= pieces_of(root, selector)
    texts = []
    for element, kind in text_pieces(root):
        if (element, kind) in selected and (element, kind) not in removed:
            value = element.text if kind == "text" else element.tail
            texts.append(value or "")
    return " ".join(text for text in texts if text.strip())


# Serving ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_server() -> Iterator[tuple[str, dict[str, str]]]:
    pages: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            body = pages.get(self.path)
            if body is None:
                self.send_error(404)
                return
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}", pages
    server.shutdown()
    server.server_close()
    thread.join()


@functools.cache
def load_first_pages(folder: Path) -> dict[tuple[str, str, str], SourcePage]:
    documents = {}
    for name in ("contrib", "genai-eu", "genai-contrib"):
        for platform in load_declarations(folder / name).platforms:
            for document in platform.documents:
                key = (name, platform.source.stem, document.terms_type)
                documents[key] = document.pages[0]
    return documents


@pytest.fixture
def real_documents(declarations_dir: Path) -> dict[tuple[str, str, str], SourcePage]:
    return load_first_pages(declarations_dir)


@pytest.mark.parametrize(
    "key", CSS_SAMPLE + RANGE_SAMPLE, ids=lambda key: f"{key[1]}-{key[2]}"
)
def test_selectors_on_served_page(
    key: tuple[str, str, str],
    real_documents: dict[tuple[str, str, str], SourcePage],
    page_server: tuple[str, dict[str, str]],
) -> None:
    page = real_documents[key]
    page_html, keep, drop = build_page(page)
    base_url, pages = page_server
    path = "/" + "-".join(key).replace(" ", "_")
    pages[path] = page_html

    response = httpx.get(base_url + path, timeout=5)
    text = apply_selectors(response.text, page)

    assert response.status_code == 200
    assert page.select, "the sample must declare select"
    for marker in sorted(keep):
        assert marker in text.split(), f"{marker} missing from {text!r}"
    for marker in sorted(drop):
        assert marker not in text.split(), f"{marker} kept in {text!r}"


def test_sample_covers_ranges(
    real_documents: dict[tuple[str, str, str], SourcePage],
) -> None:
    def has_range(page: SourcePage, selectors: str) -> bool:
        return any(isinstance(item, RangeSelector) for item in getattr(page, selectors))

    sampled = [real_documents[key] for key in RANGE_SAMPLE]

    assert len(CSS_SAMPLE) + len(RANGE_SAMPLE) >= 20
    assert sum(has_range(page, "select") for page in sampled) >= 4
    assert sum(has_range(page, "remove") for page in sampled) >= 1
    assert sum(bool(real_documents[key].remove) for key in CSS_SAMPLE) >= 10
