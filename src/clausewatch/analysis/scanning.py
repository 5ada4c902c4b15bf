"""Scan policy Markdown into sentences that keep their links and section heading.

Contact extraction reads a document sentence by sentence: a link's anchor text, its URL,
the sentence around it and the heading above it are the evidence for what the link is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import NamedTuple

# Invisible characters that Open Terms Archive renderings leave inside link text and
# addresses (word joiner, zero-width space, soft hyphen, byte-order mark).
_INVISIBLE_CHARACTERS = "\u2060\u200b\u200c\u200d\u00ad\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARACTERS}]")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~&])")
# Emphasis markers not escaped by a backslash: "**", "__", a single "*" or "_" that
# follows no word character and precedes no space (an opening marker), or one that
# follows a character other than a space and precedes no word character (a closing
# marker, as in "*Note*"). Each branch starts with its marker and checks the
# characters before it with a lookbehind, so the regex engine can skip ahead to the
# next "*" or "_" instead of trying every position.
_EMPHASIS = re.compile(
    r"\*(?<!\\\*)\*|_(?<!\\_)_|\*(?<![\\\w*]\*)(?!\s)|_(?<![\\\w_]_)(?!\s)"
    r"|\*(?<=[^\\\s*]\*)(?![\w*])|_(?<=[^\\\s_]_)(?!\w)"
)

# A Markdown link, not an image: [anchor](target "optional title"). One level of nested
# parentheses is allowed in the target, as in Wikipedia-style URLs. The "[" comes
# before the lookbehind that rejects "\[" and "![", so the regex engine can skip ahead
# to the next "[". The anchor and target take runs of characters possessively
# (Python 3.11 syntax), because giving any back could never let "]" or ")" follow.
_LINK = re.compile(
    r"\[(?<![\\!]\[)(?P<anchor>(?:[^\[\]\\]++|\\.)*+)\]"
    r"\(\s*<?(?P<target>(?:[^()\s<>]++|\([^()\s]*\))*+)>?(?:\s+\"[^\"]*\")?\s*\)"
)
_AUTOLINK = re.compile(r"<(?P<target>(?:https?://|mailto:)[^<>\s]+)>", re.IGNORECASE)
# A bare URL in running text, as in GitHub Flavored Markdown's extended autolinks. It
# is an http(s) URL or a "www." host name with a dot in its host. It starts the text
# or follows a space, "(", "*", "_", "~" or a curly opening quote. A straight quote
# does not count, because it opens the attributes of raw HTML tags (src="https://...").
# ``_trim_bare_url`` cuts its end.
_BARE_URL = re.compile(
    r"(?<![^\s(*_~“‘])(?:https?://|www\.)[\w-]+(?:\.[\w-]+)+(?:[/?#:][^\s<>]*)?",
    re.IGNORECASE,
)
# Characters that end a sentence or a quotation rather than a URL when last.
_URL_TRAILING = "?!.,:;*_~'\"”’"
_URL_CLOSERS = {")": "(", "]": "[", "}": "{"}
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(?P<title>.+?)\s*#*\s*$")
_SETEXT_RULE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_LIST_MARKER = re.compile(r"^\s*(?:[*+-]|\d+[.)])\s+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
# The end of a sentence: a full stop, "!", "?" or ";", closing quotes or a parenthesis
# (group "close", kept by the sentence), then the space (group "gap") before a capital
# letter or digit.
_SENTENCE_END = re.compile(
    r"[.!?;](?P<close>[\"'”’)]*)(?P<gap>\s+)(?=[\"'“‘(\[]?[A-Z0-9])"
)
# Words whose full stop does not end the sentence ("Inc. 910", "D. Roosevelt"). Street
# and company abbreviations keep an address inside its sentence ("Willow Rd. Menlo
# Park", "Example Pte. Ltd.").
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:Inc|Ltd|Co|Corp|Pte|St|Rd|Ave|Blvd|Mr|Mrs|Ms|Dr|No|Nr|Art|Sec"
    r"|e\.g|i\.e|etc|vs|U\.S|approx))\.$"
)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    """A link inside a sentence: its anchor text, raw target and span in the text."""

    anchor: str
    target: str
    start: int
    end: int
    #: Whether the link is a URL written in the text, without Markdown link syntax.
    bare: bool = False


@dataclass(frozen=True)
class Sentence:
    """One sentence of plain text, the links it contains and its section heading."""

    text: str
    links: tuple[Link, ...]
    heading: str


def clean_text(text: str) -> str:
    """Remove invisible characters, Markdown escapes and emphasis markers."""
    # Each substitution runs only when its characters occur, because most policy
    # text has none of them. The invisible characters are all outside ASCII, and
    # str.isascii() takes constant time in CPython.
    if not text.isascii():
        text = _remove_invisible(text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    return text


def _remove_invisible(text: str) -> str:
    # A substring test per character is much faster than the pattern.
    if any(character in text for character in _INVISIBLE_CHARACTERS):
        return _INVISIBLE.sub("", text)
    return text


def split_blocks(markdown: str) -> Iterator[tuple[str, str]]:
    """Yield ``(heading, block)`` pairs: paragraphs, list items and table cells.

    The heading is the latest ATX or setext heading above the block, so a generic link
    ("here") in a section titled "Delete your account" keeps that evidence.
    """
    heading = ""
    lines: list[str] = []
    previous = ""
    for raw_line in _remove_invisible(markdown).splitlines():
        line = raw_line.rstrip()
        # The substring tests skip patterns that cannot match, on most lines.
        atx = _HEADING.match(line) if "#" in line else None
        if atx or (lines and previous.strip() and _SETEXT_RULE.match(line)):
            yield from _flush(heading, lines[:-1] if not atx else lines)
            heading = clean_text(atx.group("title") if atx else previous).strip()
            lines = []
        elif not line.strip() or ("---" in line and _TABLE_RULE.match(line)):
            yield from _flush(heading, lines)
            lines = []
        elif _LIST_MARKER.match(line) or line.lstrip().startswith("|"):
            yield from _flush(heading, lines)
            lines = [line]
        else:
            lines.append(line)
        previous = line
    yield from _flush(heading, lines)


def _flush(heading: str, lines: list[str]) -> Iterator[tuple[str, str]]:
    if not lines:
        return
    text = " ".join(line.strip() for line in lines)
    text = _LIST_MARKER.sub("", text, count=1)
    if text.startswith("|"):
        for cell in text.strip("|").split("|"):
            for part in _BREAK.split(cell):
                if part.strip():
                    yield heading, _LIST_MARKER.sub("", part.strip(), count=1)
        return
    for part in _BREAK.split(text):
        if part.strip():
            yield heading, part.strip()


def plain_with_links(block: str) -> tuple[str, list[Link]]:
    """Replace each Markdown link by its anchor text and record where it now sits.

    Autolinks and bare URLs keep their URL as their text.
    """
    found = _find_links(block)
    if not found:
        return clean_text(block), []
    pieces: list[str] = []
    links: list[Link] = []
    length = 0
    cursor = 0
    for item in found:
        before = clean_text(block[cursor : item.start])
        pieces.append(before)
        length += len(before)
        pieces.append(item.anchor)
        end = length + len(item.anchor)
        links.append(Link(item.anchor, item.target, length, end, bare=item.bare))
        length = end
        cursor = item.end
    pieces.append(clean_text(block[cursor:]))
    return "".join(pieces), links


class _FoundLink(NamedTuple):
    """A link's span in the raw block, with its text and target."""

    start: int
    end: int
    anchor: str
    target: str
    bare: bool


def _find_links(block: str) -> list[_FoundLink]:
    """Find Markdown links, autolinks and bare URLs, in order, without overlaps.

    A URL inside a link's text or target is part of that link, not a bare URL.
    """
    found = _markdown_links(block)
    # A substring test skips the pattern on most blocks, which have no URL.
    if "://" not in block and "www." not in block.lower():
        return found
    link_spans = [(item.start, item.end) for item in found]
    for match in _BARE_URL.finditer(block):
        # The target of an image or of an escaped link is not a URL in the text.
        if block[max(0, match.start() - 2) : match.start()] == "](":
            continue
        item = _bare_url(match)
        if not any(start < item.end and item.start < end for start, end in link_spans):
            found.append(item)
    return sorted(found, key=lambda item: item.start)


def _markdown_links(block: str) -> list[_FoundLink]:
    # Most blocks have no link, and a substring test is far cheaper than the patterns.
    matches = list(_LINK.finditer(block)) if "](" in block else []
    if "<" in block:
        matches.extend(_AUTOLINK.finditer(block))
        matches.sort(key=lambda match: match.start())
    found: list[_FoundLink] = []
    for match in matches:
        if found and match.start() < found[-1].end:
            continue
        # An autolink (<https://...>) has no anchor group; its URL is its text.
        if match.re is _AUTOLINK:
            anchor = match.group("target")
        else:
            anchor = clean_text(match.group("anchor") or "").strip()
        target = match.group("target")
        found.append(_FoundLink(match.start(), match.end(), anchor, target, False))
    return found


def _bare_url(match: re.Match[str]) -> _FoundLink:
    """Trim a bare URL's end and give a "www." host the https scheme."""
    written = _trim_bare_url(match.group())
    anchor = _ESCAPE.sub(r"\1", written) if "\\" in written else written
    target = anchor
    if not target.lower().startswith(("http://", "https://")):
        # NOTE: a host written without a scheme is assumed to serve https.
        target = f"https://{target}"
    start = match.start()
    return _FoundLink(start, start + len(written), anchor, target, True)


def _trim_bare_url(url: str) -> str:
    """Remove the punctuation and closing brackets that end the text, not the URL.

    A closing bracket stays when the URL opened it ("/wiki/Example_(policy)").
    """
    while url:
        last = url[-1]
        if last in _URL_TRAILING:
            url = url[:-1]
        elif last in _URL_CLOSERS and url.count(last) > url.count(_URL_CLOSERS[last]):
            url = url[:-1]
        else:
            break
    return url


def iter_sentences(markdown: str) -> Iterator[Sentence]:
    """Yield every sentence of a Markdown document with its links and heading."""
    for heading, block in split_blocks(markdown):
        text, links = plain_with_links(block)
        start = 0
        for end, next_start in [*_sentence_breaks(text), (len(text), len(text))]:
            sentence = text[start:end]
            stripped = sentence.strip()
            if stripped:
                # Link spans are moved to count from the first character kept.
                shift = start + len(sentence) - len(sentence.lstrip())
                inside = _links_within(links, start, end, shift) if links else ()
                yield Sentence(stripped, inside, heading)
            start = next_start


def _links_within(
    links: list[Link], start: int, end: int, shift: int
) -> tuple[Link, ...]:
    """Return the links that start in ``[start, end)``, moved ``shift`` to the left."""
    return tuple(
        replace(link, start=link.start - shift, end=link.end - shift)
        for link in links
        if start <= link.start < end
    )


def _sentence_breaks(text: str) -> Iterator[tuple[int, int]]:
    """Yield where each sentence but the last ends and where the next one starts."""
    for match in _SENTENCE_END.finditer(text):
        stop = match.start("close")
        if not _ABBREVIATION.search(text[max(0, stop - 8) : stop]):
            yield match.end("close"), match.end()
