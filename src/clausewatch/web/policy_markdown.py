"""Render the Markdown stored for provisions as safe HTML or as plain text.

Policy text is untrusted. Every raw HTML tag and entity in it is escaped before the
Markdown parser gets it, so ``<script>`` in a policy shows as text. The one exception is
``<br>``: the HTML-to-Markdown converter writes it for a line break inside a table
cell, so it becomes a line break again (and a space in plain text). Links keep their
target only for http, https and mailto. Images become their alt text, because loading a
platform's image would tell that platform who reads the page.

The segmenter stores each row of a long table as its own provision, so a provision is
often a lone table row without the header and separator lines Markdown needs. Such a
row is rendered as a one-row table here.
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
# Python-Markdown marks its stashed fragments with these control characters; \x01
# stands for a line break between escaping and parsing.
_PLACEHOLDER_MARKERS = str.maketrans("", "", "\x01\x02\x03")
_BREAK_MARKER = "\x01"
# A <br> in any case, with or without a slash; a backslash before it means the policy
# showed the tag itself as text.
LINE_BREAK = re.compile(r"(?<!\\)<br\s*/?\s*>", re.IGNORECASE)
_TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
# A cell border is a pipe that is not escaped with a backslash.
_CELL_BORDER = re.compile(r"(?<!\\)\|")
_CONTROL_AND_SPACE = re.compile(r"[\x00-\x20\x7f]+")


def escape_raw_html(text: str) -> str:
    """Escape ``&`` and ``<`` so no tag, comment or entity in the text survives.

    Each ``<br>`` becomes a bare ``<br>`` tag, the only markup left for the parser.
    """
    text = text.translate(_PLACEHOLDER_MARKERS)
    text = LINE_BREAK.sub(_BREAK_MARKER, text)
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _ESCAPED_MARKUP.sub(r"\1", text)
    return text.replace(_BREAK_MARKER, "<br>")


def is_table_row(line: str) -> bool:
    """Tell whether a line of Markdown is a table row (it starts with a pipe)."""
    return line.lstrip().startswith("|")


def is_table_separator(line: str) -> bool:
    """Tell whether a line is the ``|---|:---:|`` line under a table header."""
    return "-" in line and _TABLE_SEPARATOR.match(line.strip()) is not None


def table_cells(row: str) -> list[str]:
    """Split a table row into its cells, without the outer pipes or padding."""
    inner = row.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    return [cell.strip() for cell in _CELL_BORDER.split(inner)]


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


def _converter() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "sane_lists", _SafeLinksExtension()],
        output_format="html",
    )


def policy_html(text: str | None) -> Markup:
    """Render stored provision Markdown as HTML that carries no markup of the policy."""
    if not text:
        return Markup("")
    lines = [line for line in text.splitlines() if line.strip()]
    if all(is_table_row(line) for line in lines) and not any(
        is_table_separator(line) for line in lines
    ):
        return _headless_table_html(lines)
    return Markup(_converter().convert(escape_raw_html(text)))


def _headless_table_html(rows: list[str]) -> Markup:
    """Render table rows that have no header line as a table of body rows."""
    converter = _converter()
    parts = ['<table class="table-rows"><tbody>']
    for row in rows:
        parts.append("<tr>")
        for cell in table_cells(row):
            converter.reset()
            parts.append(f"<td>{converter.convert(escape_raw_html(cell))}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return Markup("".join(parts))
