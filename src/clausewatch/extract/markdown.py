"""Convert a parsed lxml HTML element to Markdown.

The output is what markdownify 1.2.3 wrote for the same element after lxml
serialized it, with the options clausewatch used before this module replaced it.
Those are ATX headings, "-" bullets, images stripped, a header row inferred for
tables without one, and text escaped so that it cannot turn into markup. Keeping
that output keeps the documents stored by earlier releases unchanged. The walk is
iterative, so nesting depth is limited only by memory.

NOTE: An empty ``li`` is the one known difference. lxml writes it without an end
tag, so markdownify read the rest of its list into it ("- - Name"). Here it stays
empty, and the items after it stay items.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterator
from typing import TypeAlias

from lxml import etree
from lxml import html as lxml_html

# Flags for what encloses a node, in place of markdownify's set of parent tag names.
_INLINE = 1  # inside a heading or table cell, where blocks render inline
_NO_BLOCK_ESCAPE = 2  # inside h1-h6, td or th, where text cannot start a block
_NO_FORMAT = 4  # inside pre, code, kbd or samp: no escaping or inline markup
_PRE = 8  # inside pre: whitespace is kept
_LIST_ITEM = 16  # inside li

_HEADING = re.compile(r"h(\d+)")  # markdownify matches a prefix: "h1x" is a heading
_BLOCK_TAGS = frozenset(
    "p blockquote article div section ol ul li dl dt dd table thead tbody tfoot "
    "tr td th".split()
)
_NEWLINE_SPACE = re.compile(r"[\t \r\n]*[\r\n][\t \r\n]*")
_SPACE = re.compile(r"[\t ]+")
_ALL_SPACE = re.compile(r"[\t \r\n]+")
_PRE_LEADING = re.compile(r"^[ \n]*\n")
_BACKTICKS = re.compile(r"`+")
_SERIALIZED_HREF = re.compile(r"""<a href=(?:"([^"]*)"|'([^']*)')""")
# Text that would start a list, heading, quote or thematic break. Only the start of
# each text node is checked, as the converter this module replaced did.
_BLOCK_START = re.compile(r"^(\s*)(\d{1,9}[.)]|[-+]+|#{1,6}|>)(?=\s|$)")


# Elements that Python's html.parser, which the replaced converter read the page
# with, closes at once. libxml2 lets some of them (wbr, source, ...) hold the
# text and elements that follow, which belong to the parent instead.
_VOID_TAGS = frozenset(
    "area base br col embed hr img input keygen link menuitem meta param source "
    "track wbr basefont bgsound command frame image isindex nextid spacer".split()
)

# A child of an element: its text, or a child element, comment or processing
# instruction. Two texts are never adjacent.
_Item: TypeAlias = "str | etree._Element"


class _Frame:
    """An element, or the document around the converted one, and its converted
    children so far."""

    __slots__ = (
        "element",
        "name",
        "flags",
        "child_flags",
        "parent",
        "index",
        "items",
        "next_item",
        "pieces",
        "inside_block",
        "has_previous_element",
        "element_seen",
        "li_seen",
        "li_index",
    )

    def __init__(
        self,
        element: etree._Element | None,
        items: list[_Item],
        parent: _Frame | None = None,
        index: int = 0,
    ) -> None:
        self.element = element
        self.name = element.tag.lower() if element is not None else "[document]"
        self.flags: int = parent.child_flags if parent is not None else 0
        self.child_flags: int = self.flags | _own_flags(self.name)
        self.parent = parent
        self.index = index  # of this element in its parent's items
        self.items = items
        self.next_item = 0
        self.pieces: list[str] = []
        self.inside_block = element is not None and _tag_kind(element.tag)[0]
        self.has_previous_element = parent is not None and parent.element_seen
        self.element_seen: bool = False
        self.li_seen = 0
        self.li_index = 0
        if parent is not None and self.name == "li":
            self.li_index = parent.li_seen
            parent.li_seen += 1


def element_to_markdown(element: etree._Element, *, include_tail: bool = False) -> str:
    """Convert an element and its descendants to Markdown.

    With ``include_tail``, the text that follows the element (lxml's ``tail``) is
    converted after it, as ``lxml.html.tostring`` serializes it by default.
    """
    document_items: list[_Item] = [element]
    if include_tail and element.tail:
        document_items.append(element.tail)
    stack = [_Frame(None, document_items)]
    while True:
        frame = stack[-1]
        if frame.next_item < len(frame.items):
            index = frame.next_item
            item = frame.items[index]
            frame.next_item += 1
            if isinstance(item, str):
                _add_text(frame, index)
            elif isinstance(item.tag, str):
                # Comments and processing instructions write nothing.
                stack.append(_open(frame, item, index))
            continue

        stack.pop()
        converted = _convert(frame)
        if not stack:
            return converted.strip("\n")
        if converted:
            stack[-1].pieces.append(converted)


def _open(parent: _Frame, element: etree._Element, index: int) -> _Frame:
    # The converted element itself keeps its content, so that no text is lost.
    if parent.element is not None and _is_void(element):
        items: list[_Item] = []  # its content is in the parent's items
    else:
        items = _child_items(element)
    frame = _Frame(element, items, parent, index)
    parent.element_seen = True
    return frame


def _child_items(element: etree._Element) -> list[_Item]:
    """List the text and child nodes of an element, as html.parser would read them.

    The content of a void element (see ``_VOID_TAGS``) follows it, and its tail
    text follows that content.
    """
    if len(element) == 0:
        return [element.text] if element.text else []
    items: list[_Item] = []
    _append_text(items, element.text)
    # The children still to list, and the void element they are the content of.
    stack: list[tuple[Iterator[etree._Element], etree._Element | None]] = [
        (iter(element), None)
    ]
    while stack:
        children, void = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if void is not None:
                _append_text(items, void.tail)
            continue
        items.append(child)
        if _tag_kind(child.tag)[2] and _has_content(child):
            _append_text(items, child.text)
            stack.append((iter(child), child))
        else:
            _append_text(items, child.tail)
    return items


def _is_void(element: etree._Element) -> bool:
    return _tag_kind(element.tag)[2]


def _has_content(element: etree._Element) -> bool:
    return bool(element.text) or len(element) > 0


def _append_text(items: list[_Item], text: str | None) -> None:
    if not text:
        return
    if items and isinstance(items[-1], str):
        items[-1] += text
    else:
        items.append(text)


@functools.lru_cache(maxsize=1024)
def _own_flags(name: str) -> int:
    flags = 0
    if name in ("h1", "h2", "h3", "h4", "h5", "h6", "td", "th"):
        flags |= _INLINE | _NO_BLOCK_ESCAPE
    elif _HEADING.match(name):
        flags |= _INLINE
    if name in ("pre", "code", "kbd", "samp"):
        flags |= _NO_FORMAT
    if name == "pre":
        flags |= _PRE
    elif name == "li":
        flags |= _LIST_ITEM
    return flags


@functools.lru_cache(maxsize=1024)
def _tag_kind(tag: object) -> tuple[bool, bool, bool]:
    """Tell whether whitespace inside such an element goes, whether whitespace
    around it goes, and whether it is void.

    Comments and processing instructions, whose tag is a function, are neither.
    """
    name = tag.lower() if isinstance(tag, str) else ""
    inside = name in _BLOCK_TAGS or _HEADING.match(name) is not None
    return inside, inside or name == "pre", name in _VOID_TAGS


def _add_text(frame: _Frame, index: int) -> None:
    """Convert the text at ``index`` of ``frame``'s items.

    Whitespace next to a block element, or at the start or end of a block, goes.
    """
    items = frame.items
    text = items[index]
    assert isinstance(text, str)
    previous = items[index - 1] if index > 0 else None
    following = items[index + 1] if index + 1 < len(items) else None
    inside_block = frame.inside_block
    after_block = isinstance(previous, etree._Element) and _tag_kind(previous.tag)[1]
    before_block = isinstance(following, etree._Element) and _tag_kind(following.tag)[1]
    if not text.strip():
        at_edge = previous is None or following is None
        if (inside_block and at_edge) or after_block or before_block:
            return
    converted = _convert_text(text, frame.child_flags)
    if after_block or (inside_block and previous is None):
        converted = converted.lstrip(" \t\r\n")
    if before_block or (inside_block and following is None):
        converted = converted.rstrip()
    if converted:
        frame.pieces.append(converted)


def _convert_text(text: str, flags: int) -> str:
    if not flags & _PRE:
        # The checks skip the regular expressions for most text.
        if "\n" in text or "\r" in text:
            text = _NEWLINE_SPACE.sub("\n", text)
        if "\t" in text or "  " in text:
            text = _SPACE.sub(" ", text)
    if flags & _NO_FORMAT:
        return text
    return _escape(text, block_start=not flags & _NO_BLOCK_ESCAPE)


def _escape(text: str, *, block_start: bool = True) -> str:
    """Escape text so that Markdown reads it as text.

    "*" and "_" get a backslash, and so does "<": "&lt;script&gt;" in a page is text,
    but "<script>" in Markdown is raw HTML to a renderer. With ``block_start``, a
    list, heading or quote marker at the start ("1. About us", "- item", "# 1")
    is escaped too ("1\\. About us").
    """
    text = text.replace("*", "\\*").replace("_", "\\_")
    if block_start:
        found = _BLOCK_START.match(text)
        if found is not None:
            text = _escape_block_start(found) + text[found.end() :]
    return text.replace("<", "\\<")


def _escape_block_start(found: re.Match[str]) -> str:
    marker = found.group(2)
    if marker[0].isdigit():
        return f"{found.group(1)}{marker[:-1]}\\{marker[-1]}"
    return f"{found.group(1)}\\{marker}"


def _join_children(pieces: list[str]) -> str:
    """Join converted children, merging the blank lines between two blocks.

    Where one child ends with newlines and the next starts with some, the larger
    count is kept, at most two.
    """
    if not any(piece[0] == "\n" or piece[-1] == "\n" for piece in pieces):
        return "".join(pieces)
    joined: list[str] = [""]
    for piece in pieces:
        content = piece.lstrip("\n")
        leading = len(piece) - len(content)
        stripped = content.rstrip("\n")
        trailing = len(content) - len(stripped)
        if leading and joined[-1]:
            leading = min(2, max(len(joined.pop()), leading))
        joined.extend(("\n" * leading, stripped, "\n" * trailing))
    return "".join(joined)


def _convert(frame: _Frame) -> str:
    if frame.child_flags & _PRE:
        text = "".join(frame.pieces)
    else:
        text = _join_children(frame.pieces)
    if frame.element is None:
        return text
    converter = _converter_for(frame.name)
    if converter is None:
        return text
    return converter(frame, frame.element, text)


# -- conversion of one element, given the Markdown of its children -------------------

_Converter = Callable[[_Frame, etree._Element, str], str]


def _chomp(text: str) -> tuple[str, str, str]:
    """Split off one leading and trailing space, so "<b> x</b>" gives " **x**"."""
    prefix = " " if text and text[0] == " " else ""
    suffix = " " if text and text[-1] == " " else ""
    return prefix, suffix, text.strip()


def _inline_markup(marker: str) -> _Converter:
    def convert(frame: _Frame, element: etree._Element, text: str) -> str:
        if frame.flags & _NO_FORMAT:
            return text
        prefix, suffix, text = _chomp(text)
        if not text:
            return ""
        return f"{prefix}{marker}{text}{marker}{suffix}"

    return convert


def _convert_link(frame: _Frame, element: etree._Element, text: str) -> str:
    if frame.flags & _NO_FORMAT:
        return text
    prefix, suffix, text = _chomp(text)
    if not text:
        return ""
    href = _uri_attribute(element, "href")
    title = element.get("title")
    if text.replace("\\_", "_") == href and not title:
        return f"<{href}>"
    if not href:
        return text
    title_part = ' "{}"'.format(title.replace('"', '\\"')) if title else ""
    return f"{prefix}[{text}]({href}{title_part}){suffix}"


def _uri_attribute(element: etree._Element, name: str) -> str | None:
    value = element.get(name)
    return None if value is None else _serialized_uri(value)


@functools.lru_cache(maxsize=4096)
def _serialized_uri(value: str) -> str:
    """Return a URI as libxml2 serializes it in an HTML attribute.

    libxml2 2.14 drops leading whitespace and percent-encodes spaces and non-ASCII
    characters ("#terms of use" becomes "#terms%20of%20use"), which also keeps the
    link valid Markdown. The replaced converter read links from that serialization.
    """
    markup = lxml_html.tostring(etree.Element("a", href=value), encoding="unicode")
    found = _SERIALIZED_HREF.match(markup)
    if found is None:
        return value
    quoted = found.group(1) if found.group(1) is not None else found.group(2)
    return html.unescape(quoted)


def _convert_code(frame: _Frame, element: etree._Element, text: str) -> str:
    if frame.flags & _NO_FORMAT:
        return text
    prefix, suffix, text = _chomp(text)
    if not text:
        return ""
    # A delimiter one backtick longer than any run inside, as CommonMark requires.
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    delimiter = "`" * (longest + 1)
    if longest:
        text = f" {text} "
    return f"{prefix}{delimiter}{text}{delimiter}{suffix}"


def _convert_blockquote(frame: _Frame, element: etree._Element, text: str) -> str:
    text = text.strip(" \t\r\n")
    if frame.flags & _INLINE:
        return f" {text} "
    if not text:
        return "\n"
    quoted = "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))
    return f"\n{quoted}\n\n"


def _convert_line_break(frame: _Frame, element: etree._Element, text: str) -> str:
    if frame.flags & _INLINE:
        return " "
    return "  \n" + text


def _convert_div(frame: _Frame, element: etree._Element, text: str) -> str:
    if frame.flags & _INLINE:
        return f" {text.strip()} "
    text = text.strip()
    return f"\n\n{text}\n\n" if text else ""


def _convert_paragraph(frame: _Frame, element: etree._Element, text: str) -> str:
    text = text.strip(" \t\r\n")
    if frame.flags & _INLINE:
        return f" {text} "
    return f"\n\n{text}\n\n" if text else ""


def _convert_definition(frame: _Frame, element: etree._Element, text: str) -> str:
    text = text.strip()
    if frame.flags & _INLINE:
        return f" {text} "
    if not text:
        return "\n"
    indented = "\n".join(f"    {line}" if line else "" for line in text.split("\n"))
    return ":" + indented[1:] + "\n"


def _convert_term(frame: _Frame, element: etree._Element, text: str) -> str:
    text = _ALL_SPACE.sub(" ", text.strip())
    if frame.flags & _INLINE:
        return f" {text} "
    if not text:
        return "\n"
    return f"\n\n{text}\n"


def _heading(level: int) -> _Converter:
    hashes = "#" * max(1, min(6, level))

    def convert(frame: _Frame, element: etree._Element, text: str) -> str:
        if frame.flags & _INLINE:
            return text
        return f"\n\n{hashes} {_ALL_SPACE.sub(' ', text.strip())}\n\n"

    return convert


def _convert_rule(frame: _Frame, element: etree._Element, text: str) -> str:
    return "\n\n---\n\n"


def _convert_pre(frame: _Frame, element: etree._Element, text: str) -> str:
    if not text:
        return ""
    text = _PRE_LEADING.sub("", text).rstrip(" \n")
    return f"\n\n```\n{text}\n```\n\n"


def _convert_quote(frame: _Frame, element: etree._Element, text: str) -> str:
    return f'"{text}"'


def _convert_nothing(frame: _Frame, element: etree._Element, text: str) -> str:
    return ""


def _convert_caption(frame: _Frame, element: etree._Element, text: str) -> str:
    return text.strip() + "\n\n"


def _convert_figure_caption(frame: _Frame, element: etree._Element, text: str) -> str:
    return f"\n\n{text.strip()}\n\n"


def _convert_video(frame: _Frame, element: etree._Element, text: str) -> str:
    if frame.flags & _INLINE:
        return text
    source = _uri_attribute(element, "src") or ""
    if not source:
        found = next(
            (s for s in element.iterdescendants("source") if s.get("src") is not None),
            None,
        )
        source = (_uri_attribute(found, "src") or "") if found is not None else ""
    poster = element.get("poster") or ""
    if source and poster:
        return f"[![{text}]({poster})]({source})"
    if source:
        return f"[{text}]({source})"
    if poster:
        return f"![{text}]({poster})"
    return text


def _convert_list(frame: _Frame, element: etree._Element, text: str) -> str:
    if frame.flags & _LIST_ITEM:
        return "\n" + text.rstrip()
    following = _next_content_sibling(frame)
    before_paragraph = following is not None and following not in ("ul", "ol")
    return "\n\n" + text + ("\n" if before_paragraph else "")


def _next_content_sibling(frame: _Frame) -> str | None:
    """Name the next sibling with content: a tag name, "" for text, or None."""
    assert frame.parent is not None
    items = frame.parent.items
    for position in range(frame.index + 1, len(items)):
        item = items[position]
        if isinstance(item, str):
            if item.strip():
                return ""
        elif isinstance(item.tag, str):
            return str(item.tag.lower())
    return None


def _convert_list_item(frame: _Frame, element: etree._Element, text: str) -> str:
    text = text.strip()
    if not text:
        return "\n"
    parent = frame.parent
    if parent is not None and parent.element is not None and parent.name == "ol":
        start = parent.element.get("start")
        number = _integer(start) if start and start.isnumeric() else None
        first = 1 if number is None else number
        bullet = f"{first + frame.li_index}. "
    else:
        bullet = "- "
    indent = " " * len(bullet)
    lines = text.split("\n")
    indented = [bullet + lines[0]]
    indented.extend(indent + line if line else "" for line in lines[1:])
    return "\n".join(indented) + "\n"


def _integer(value: str) -> int | None:
    # str.isnumeric also accepts digits that int() rejects, such as "²".
    try:
        return int(value)
    except ValueError:
        return None


def _colspan(cell: etree._Element) -> int:
    value = cell.get("colspan")
    if value is None or not value.isdigit():
        return 1
    return max(1, min(1000, _integer(value) or 1))


def _convert_cell(frame: _Frame, element: etree._Element, text: str) -> str:
    return " " + text.strip().replace("\n", " ") + " |" * _colspan(element)


def _convert_table(frame: _Frame, element: etree._Element, text: str) -> str:
    return f"\n\n{text.strip()}\n\n"


def _convert_row(frame: _Frame, element: etree._Element, text: str) -> str:
    cells = list(element.iterdescendants("td", "th"))
    columns = sum(_colspan(cell) for cell in cells)
    if _needs_header_rule(frame, cells):
        return "|" + text + "\n| " + " | ".join(["---"] * columns) + " |\n"
    if _needs_empty_header(frame):
        empty = "| " + " | ".join([""] * columns) + " |\n"
        rule = "| " + " | ".join(["---"] * columns) + " |\n"
        return empty + rule + "|" + text + "\n"
    return "|" + text + "\n"


def _needs_header_rule(frame: _Frame, cells: list[etree._Element]) -> bool:
    """Tell whether a header rule goes below a row.

    It does below the first row of its parent, unless that parent is a ``tbody``
    whose table has a ``thead`` and the row has a cell other than ``th``.
    """
    parent = frame.parent
    assert parent is not None
    if frame.has_previous_element:
        return False
    if parent.name != "tbody" or all(cell.tag == "th" for cell in cells):
        return True
    return not _has_thead(parent)


def _has_thead(tbody: _Frame) -> bool:
    table = tbody.parent
    assert table is not None and tbody.element is not None
    if table.element is not None:
        return any(True for _ in table.element.iterdescendants("thead"))
    # The tbody is the converted element: search all of it, itself included.
    return any(True for _ in tbody.element.iter("thead"))


def _needs_empty_header(frame: _Frame) -> bool:
    """Tell whether an empty header row goes above a row.

    It does above the first row of a leading ``tbody``, in a table with a ``thead``
    elsewhere.
    """
    parent = frame.parent
    assert parent is not None
    return (
        not frame.has_previous_element
        and parent.name == "tbody"
        and not parent.has_previous_element
    )


_CONVERTERS: dict[str, _Converter] = {
    "a": _convert_link,
    "b": _inline_markup("**"),
    "strong": _inline_markup("**"),
    "em": _inline_markup("*"),
    "i": _inline_markup("*"),
    "del": _inline_markup("~~"),
    "s": _inline_markup("~~"),
    "sub": _inline_markup(""),
    "sup": _inline_markup(""),
    "code": _convert_code,
    "kbd": _convert_code,
    "samp": _convert_code,
    "blockquote": _convert_blockquote,
    "br": _convert_line_break,
    "div": _convert_div,
    "article": _convert_div,
    "section": _convert_div,
    "dl": _convert_div,
    "dd": _convert_definition,
    "dt": _convert_term,
    "hr": _convert_rule,
    "p": _convert_paragraph,
    "pre": _convert_pre,
    "q": _convert_quote,
    "script": _convert_nothing,
    "style": _convert_nothing,
    "video": _convert_video,
    "ul": _convert_list,
    "ol": _convert_list,
    # markdownify picked converters by method name, so <list> was a list too.
    "list": _convert_list,
    "li": _convert_list_item,
    "table": _convert_table,
    "caption": _convert_caption,
    "figcaption": _convert_figure_caption,
    "td": _convert_cell,
    "th": _convert_cell,
    "tr": _convert_row,
}


@functools.lru_cache(maxsize=1024)
def _converter_for(name: str) -> _Converter | None:
    """Return the converter of a tag, or None to keep the children's Markdown.

    Images have none, so they are dropped, because their alternative text is not
    policy text.
    """
    converter = _CONVERTERS.get(name)
    if converter is None:
        heading = _HEADING.match(name)
        converter = _heading(int(heading.group(1))) if heading else None
    return converter
