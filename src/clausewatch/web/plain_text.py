"""Policy text as plain text, for every context that cannot show markup.

Excerpts, meta descriptions, share texts, feed entries and search snippets all go
through ``policy_plain``. Markdown links become their anchor text. Emphasis markers and
backslash escapes are removed, and ``<br>`` becomes a space. The cells of a table row
are joined with `` · ``. Escaping for HTML or XML still applies to the result.
"""

from __future__ import annotations

import re

from clausewatch.web.policy_markdown import (
    LINE_BREAK,
    is_table_row,
    is_table_separator,
    policy_html,
    table_cells,
)

CELL_SEPARATOR = " · "
ROW_SEPARATOR = "; "

# Excerpts are cut to a length, so a link may lose its end. An anchor cut before "]"
# keeps its words; a link cut inside its target keeps its anchor and the "…".
_CUT_LINK_TARGET = re.compile(r"\[([^\[\]]*)\]\([^()\s]*…$")
_CUT_ANCHOR = re.compile(r"\[(?=[^\[\]]*$)")
# Excerpts are flattened to one line before they reach a page, so a table, a list or an
# emphasis cut in half no longer parses as Markdown. These remove what is left of it.
_MARKDOWN_RESIDUE = (
    re.compile(r"\|(?:\s*:?-{3,}:?\s*\|)+"),  # table separator row
    re.compile(r"\s*\|\s*"),  # table cell border
    re.compile(r"(?<!\S)\*(?=\s|…|$)"),  # list bullet
    re.compile(r"\*\*|(?<!\w)__|__(?!\w)|(?<!\w)\*(?=\w)|(?<=\w)\*(?!\w)"),  # emphasis
)


def policy_plain(text: str | None) -> str:
    """Return the words of stored provision Markdown without its syntax or tags."""
    if not text:
        return ""
    text = LINE_BREAK.sub(" ", text)
    parts = []
    for is_table, lines in _blocks(text.splitlines()):
        if is_table:
            parts.append(_table_plain(lines))
        else:
            parts.append(_markdown_plain("\n".join(lines)))
    return " ".join(part for part in parts if part)


def _blocks(lines: list[str]) -> list[tuple[bool, list[str]]]:
    """Group consecutive lines into table rows and other Markdown."""
    blocks: list[tuple[bool, list[str]]] = []
    for line in lines:
        is_table = is_table_row(line)
        if blocks and blocks[-1][0] == is_table:
            blocks[-1][1].append(line)
        else:
            blocks.append((is_table, [line]))
    return blocks


def _table_plain(rows: list[str]) -> str:
    plain_rows = []
    for row in rows:
        if is_table_separator(row):
            continue
        cells = [_markdown_plain(cell) for cell in table_cells(row)]
        # A flattened excerpt puts the separator and several rows on one line.
        words = [cell for cell in cells if cell and not set(cell) <= set("-: ")]
        if words:
            plain_rows.append(CELL_SEPARATOR.join(words))
    return ROW_SEPARATOR.join(plain_rows)


def _markdown_plain(text: str) -> str:
    text = _CUT_LINK_TARGET.sub(r"\1…", text.strip())
    plain = policy_html(text).striptags()
    plain = _CUT_ANCHOR.sub("", plain)
    for pattern in _MARKDOWN_RESIDUE:
        plain = pattern.sub(" ", plain)
    return " ".join(plain.split())
