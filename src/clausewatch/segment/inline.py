"""Plain text of inline Markdown, for heading paths and for sizing fragments."""

from __future__ import annotations

import re

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_LINK_ANYWHERE = re.compile(r"!?\[[^\]]*\]\([^)]*\)")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_MARKUP_TO_SPACE = str.maketrans(dict.fromkeys("*_`#>|", " "))
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+", re.MULTILINE)
_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_WORD = re.compile(r"\w+")


def plain_text(markdown: str, *, strip_list_markers: bool = True) -> str:
    """Return the visible words of inline Markdown on one line.

    Images are dropped, links keep their text, escapes lose their backslash, and
    emphasis, code and table pipes are removed. List markers are removed too unless
    ``strip_list_markers`` is false, as for a heading numbered "1. Scope".
    """
    # Each substitution runs only when its trigger character occurs, because this
    # runs for most blocks of every version.
    text = markdown
    if "[" in text:
        text = _LINK.sub(r"\1", _IMAGE.sub(" ", text))
    if "<" in text:
        text = _HTML_BREAK.sub(" ", text)
    if strip_list_markers:
        text = _LIST_MARKER.sub(" ", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    return " ".join(text.translate(_MARKUP_TO_SPACE).split())


def is_link_only(markdown: str) -> bool:
    """Tell whether the fragment has no words outside links and images."""
    if "](" not in markdown:
        return not _WORD.search(markdown)
    without_links = _LINK_ANYWHERE.sub(" ", markdown)
    return not _WORD.search(_ESCAPE.sub(" ", _LIST_MARKER.sub(" ", without_links)))


def count_words(text: str) -> int:
    """Count the word tokens of plain text."""
    return len(_WORD.findall(text))
