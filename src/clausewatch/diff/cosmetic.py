"""Recognition of formatting-only changes between two provision texts.

A change is cosmetic when the texts are equal after removing whitespace differences,
list markers, punctuation, Markdown emphasis and link syntax, invisible characters and
labelled document dates ("Last updated: ..."), and when at most a few words differ in
letter case. Digits, negations and every other word must match exactly.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

from clausewatch.diff.dates import mask_stated_dates

# Capitalising a whole sentence can make a disclaimer conspicuous, which matters in
# law, so only this many words may differ in case alone.
MAX_CASE_CHANGED_WORDS = 3

_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_IMAGE_OR_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^>\s]+)>")
_EMPHASIS = re.compile(r"[*_`~]+")
# Bullets, "1." or "1)" or "(a)" or "iv." numbering, headings and quotes at line start.
# Multi-level numbers ("7.4.", "24.2.5 Notice") count when a dot ends them or a
# capitalised word follows, so that "1.5 million" at a line start stays a number.
# A marker followed by spaces only is kept as written, like one with no space.
_LINE_MARKER = re.compile(
    r"^[ \t]*(?:[-*+•·▪◦‣–—>]|#{1,6}|\(?(?:\d{1,3}|[a-zA-Z]|[ivxlcdmIVXLCDM]{1,6})"
    r"\\?[.)]|\d{1,3}(?:\.\d{1,3})+(?:\.|(?=[ \t]+[A-Z])))[ \t]+(?=\S)",
    re.MULTILINE,
)
# Apostrophes and hyphens between two letters join them: "e-mail" equals "email".
_LETTER_JOINER = re.compile(r"(?<=[^\W\d_])['’‘\-‐‑](?=[^\W\d_])")
# Words and the symbols that carry meaning ("30%", "§ 5", "$10", "< 13") are kept.
# Everything else, punctuation included, is dropped.
_WORD = re.compile(r"[^\W_]+|[%‰§¶&@#$€£¥₹+<>=]")
_JOINER_CHARACTERS = frozenset("'’‘-‐‑")


def remove_invisible(text: str) -> str:
    """Remove zero-width, bidirectional-control and soft-hyphen characters."""
    return _INVISIBLE.sub("", text)


# A provision whose text changes in two versions in a row has its text compared
# twice, so the words of the latest texts are kept, as key terms are.
@functools.lru_cache(maxsize=2048)
def comparison_words(text: str) -> tuple[str, ...]:
    """Reduce a text to the words that decide whether a change is material."""
    text = unicodedata.normalize("NFKC", html.unescape(text))
    text = _INVISIBLE.sub("", text)
    # The checks for trigger characters skip regular expressions that cannot match.
    if "[" in text:
        text = _IMAGE_OR_LINK.sub(r"\1", text)
        text = _REFERENCE_LINK.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
    text = _EMPHASIS.sub("", text).replace("\\", "")
    # Markers go before dates, so "- Last updated: ..." and "Last updated: ..." agree.
    text = _LINE_MARKER.sub("", text)
    text = mask_stated_dates(text.strip())
    if not _JOINER_CHARACTERS.isdisjoint(text):
        text = _LETTER_JOINER.sub("", text)
    return tuple(_WORD.findall(text))


def is_cosmetic(a: str, b: str) -> bool:
    """Decide whether two provision texts differ only in formatting.

    Formatting means whitespace, list markers, punctuation and quote style, Markdown
    emphasis and link syntax, and invisible characters. A link's target URL is
    ignored. Up to ``MAX_CASE_CHANGED_WORDS`` words may change letter case, and a
    labelled document date ("Last updated: January 5, 2025", "Effective
    2025-01-05") may change to another date. Identical texts are cosmetic. A changed
    number, an added or removed "not", or any other changed word is material.
    """
    if a == b:
        return True
    words_a = comparison_words(a)
    words_b = comparison_words(b)
    if len(words_a) != len(words_b):
        return False
    case_changes = 0
    for word_a, word_b in zip(words_a, words_b, strict=True):
        if word_a == word_b:
            continue
        if word_a.casefold() != word_b.casefold():
            return False
        case_changes += 1
    return case_changes <= MAX_CASE_CHANGED_WORDS
