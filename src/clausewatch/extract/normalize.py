"""Canonical form of document Markdown, so a version changes only when the text does.

Fetched pages and imported Open Terms Archive histories both pass through
``normalize_markdown`` before they are compared or stored.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width characters and the soft hyphen: invisible, yet they change the bytes.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200d\u2060\ufeff]")
# Non-breaking and typographic spaces.
_ODD_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Control characters other than tab and newline.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_ATX_CLOSING = re.compile(r"(?:^|[ \t]+)#+$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BULLET = re.compile(r"^( *)[-*+][ \t]+(?=\S)")
_ORDERED = re.compile(r"^( *)(\d{1,9}[.)])[ \t]+(?=\S)")
_LIST_LINE = re.compile(r"^ *(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_OTHER_BLOCK = re.compile(r"^ {0,3}[|>]")


def normalize_markdown(text: str) -> str:
    """Return the canonical Markdown of a document.

    The text gets Unicode NFC and ``\\n`` line breaks. Zero-width and control
    characters are removed, and non-breaking and typographic spaces become plain
    spaces. Trailing whitespace is stripped and runs of blank lines become one.
    Bullet markers are written as "-" and one space. Headings are written in ATX
    form ("## Title"), without setext underlines or closing hashes. Fenced code keeps
    its markers and headings. The function is idempotent.
    """
    text = _LINE_BREAK.sub("\n", text)
    text = _CONTROL.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = _ODD_SPACE.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    lines = _normalize_blocks([line.rstrip() for line in text.split("\n")])
    collapsed: list[str] = []
    for line in lines:
        if line or (collapsed and collapsed[-1]):
            collapsed.append(line)
    result = "\n".join(collapsed).strip("\n")
    return result + "\n" if result else ""


def _normalize_blocks(lines: list[str]) -> list[str]:
    output: list[str] = []
    # Start, in ``output``, of the paragraph lines that a setext underline would
    # turn into a heading; None when the previous line cannot start one.
    paragraph_start: int | None = 0
    fence: str | None = None
    for line in lines:
        if fence is not None:
            output.append(line)
            if _closes_fence(line, fence):
                fence = None
                paragraph_start = len(output)
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
            output.append(line)
            paragraph_start = None
            continue
        underline = _SETEXT_UNDERLINE.match(line)
        if underline and paragraph_start is not None and len(output) > paragraph_start:
            level = 1 if underline.group(1)[0] == "=" else 2
            content = " ".join(part.strip() for part in output[paragraph_start:])
            del output[paragraph_start:]
            output.append(_atx_heading(level, content))
            paragraph_start = len(output)
            continue
        if not line or _ATX_HEADING.match(line) or _THEMATIC_BREAK.match(line):
            output.append(_normalize_heading(line))
            paragraph_start = len(output)
        elif _LIST_LINE.match(line) or _OTHER_BLOCK.match(line):
            output.append(_normalize_list_marker(line))
            paragraph_start = None
        else:
            # A plain line extends the current paragraph. After a list item, table
            # or quote it is a lazy continuation, which a setext underline never
            # turns into a heading.
            output.append(line)
    return output


def _closes_fence(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence) and not stripped.strip(fence[0])


def _normalize_heading(line: str) -> str:
    heading = _ATX_HEADING.match(line)
    if heading is None:
        return line
    return _atx_heading(len(heading.group(1)), heading.group(2) or "")


def _atx_heading(level: int, content: str) -> str:
    # Strip closing hash sequences until none is left, so that the output parses
    # back to the same heading text.
    content = content.strip()
    while True:
        stripped = _ATX_CLOSING.sub("", content).rstrip()
        if stripped == content:
            break
        content = stripped
    return "#" * level + (" " + content if content else "")


def _normalize_list_marker(line: str) -> str:
    bullet = _BULLET.match(line)
    if bullet:
        rewritten = f"{bullet.group(1)}- {line[bullet.end() :]}"
    else:
        ordered = _ORDERED.match(line)
        if ordered is None:
            return line
        rewritten = f"{ordered.group(1)}{ordered.group(2)} {line[ordered.end() :]}"
    # "* - -" would become the thematic break "- - -": keep such lines as they are.
    return line if _THEMATIC_BREAK.match(rewritten) else rewritten
