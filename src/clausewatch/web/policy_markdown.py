"""Render the Markdown stored for provisions as safe HTML or as plain text.

Policy text is untrusted. Every raw HTML tag and entity in it is escaped before the
Markdown parser sees it, so ``<script>`` or ``<br>`` in a policy shows as text. Links
keep their target only for http, https and mailto. Images become their alt text,
because loading a platform's image would tell that platform who reads the page.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

ALLOWED_LINK_SCHEMES = frozenset({"http", "https", "mailto"})

# A backslash before "<" or "&" is how the HTML-to-Markdown converter keeps a literal
# character. Python-Markdown does not treat these as escapes, so they are decoded here,
# after escaping.
_ESCAPED_MARKUP = re.compile(r"\\(&lt;|&amp;)")
# Python-Markdown marks its stashed fragments with these control characters.
_PLACEHOLDER_MARKERS = str.maketrans("", "", "\x02\x03")
_CONTROL_AND_SPACE = re.compile(r"[\x00-\x20\x7f]+")
# Excerpts are flattened to one line before they reach a page, so a table, a list or an
# emphasis cut in half no longer parses as Markdown. These remove what is left of it.
_MARKDOWN_RESIDUE = (
    re.compile(r"\|(?:\s*:?-{3,}:?\s*\|)+"),  # table separator row
    re.compile(r"\s*\|\s*"),  # table cell border
    re.compile(r"(?<!\S)\*(?=\s|…|$)"),  # list bullet
    re.compile(r"\*\*|(?<!\w)__|__(?!\w)|(?<!\w)\*(?=\w)|(?<=\w)\*(?!\w)"),  # emphasis
)


def escape_raw_html(text: str) -> str:
    """Escape ``&`` and ``<`` so no tag, comment or entity in the text survives."""
    text = text.translate(_PLACEHOLDER_MARKERS)
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _ESCAPED_MARKUP.sub(r"\1", text)


def is_allowed_link(target: str) -> bool:
    """Tell whether a link target is an absolute http, https or mailto URL."""
    cleaned = _CONTROL_AND_SPACE.sub("", html.unescape(target))
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return False
    return scheme in ALLOWED_LINK_SCHEMES


class _LinkFilter(Treeprocessor):
    """Unwrap links with a disallowed target and replace images with their alt text."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for child in list(parent):
                if child.tag == "a":
                    _check_link(parent, child)
                elif child.tag == "img":
                    _replace_with_text(parent, child, child.get("alt", ""))


def _check_link(parent: etree.Element, link: etree.Element) -> None:
    target = link.get("href", "")
    if not is_allowed_link(target):
        _unwrap(parent, link)
        return
    title = link.get("title")
    link.attrib.clear()
    link.set("href", target)
    link.set("rel", "nofollow noopener")
    if title:
        link.set("title", title)


def _unwrap(parent: etree.Element, element: etree.Element) -> None:
    """Replace element by its children and text, keeping the document order."""
    index = list(parent).index(element)
    _append_text(parent, index, element.text or "")
    tail = element.tail or ""
    parent.remove(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    last = parent[index + len(element) - 1] if len(element) else None
    if last is not None:
        last.tail = (last.tail or "") + tail
    else:
        _append_text(parent, index, tail)


def _replace_with_text(
    parent: etree.Element, element: etree.Element, text: str
) -> None:
    index = list(parent).index(element)
    tail = element.tail or ""
    parent.remove(element)
    _append_text(parent, index, text + tail)


def _append_text(parent: etree.Element, index: int, text: str) -> None:
    """Append text after the child before position index, or to parent's own text."""
    if not text:
        return
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text


class _SafeLinksExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        # Priority 0 runs after the inline processor has built the links.
        md.treeprocessors.register(_LinkFilter(md), "clausewatch_links", 0)


def policy_html(text: str | None) -> Markup:
    """Render stored provision Markdown as HTML that carries no markup of the policy."""
    if not text:
        return Markup("")
    converter = markdown.Markdown(
        extensions=["tables", "sane_lists", _SafeLinksExtension()],
        output_format="html",
    )
    return Markup(converter.convert(escape_raw_html(text)))


def policy_plain(text: str | None) -> str:
    """Return the words of stored provision Markdown without its syntax or tags."""
    if not text:
        return ""
    plain = policy_html(text).striptags()
    for pattern in _MARKDOWN_RESIDUE:
        plain = pattern.sub(" ", plain)
    return " ".join(plain.split())
