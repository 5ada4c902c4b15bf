"""The HTML-to-Markdown conversion of earlier releases, kept to compare against.

clausewatch converted HTML with markdownify 1.2.3 (on BeautifulSoup and Python's
html.parser) until its own converter, ``clausewatch.extract.markdown``, replaced it.
The new converter must write the same Markdown, or every tracked document would
look changed after an upgrade. Tests and ``benchmarks/compare_markdown.py`` check
that against this copy of the old conversion.
"""

from __future__ import annotations

import re

from lxml import etree, html
from markdownify import MarkdownConverter

_INLINE_ONLY_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "td", "th"}
_BLOCK_START = re.compile(r"^(\s*)(\d{1,9}[.)]|[-+]+|#{1,6}|>)(?=\s|$)")


class _Converter(MarkdownConverter):  # type: ignore[misc]
    """markdownify's converter, escaping text that Markdown would read as markup."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        escaped = str(super().escape(text, parent_tags))
        if not parent_tags & _INLINE_ONLY_TAGS:
            escaped = _BLOCK_START.sub(_escape_block_start, escaped)
        return escaped.replace("<", "\\<")


def _escape_block_start(found: re.Match[str]) -> str:
    marker = found.group(2)
    if marker[0].isdigit():
        return f"{found.group(1)}{marker[:-1]}\\{marker[-1]}"
    return f"{found.group(1)}\\{marker}"


_CONVERTER = _Converter(
    heading_style="ATX",
    bullets="-",
    strip=["img"],
    table_infer_header=True,
    escape_misc=False,
)


def reference_markdown(element: etree._Element, *, include_tail: bool = False) -> str:
    """Convert an element as earlier releases did: serialize, re-parse, convert.

    With ``include_tail``, the element's tail text is serialized and converted too,
    as extraction did.
    """
    markup = html.tostring(element, encoding="unicode", with_tail=include_tail)
    return str(_CONVERTER.convert(markup))
