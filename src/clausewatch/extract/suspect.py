"""Recognise captures that are not the document: blocked, error, empty or cut pages."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Fewer words than this and the capture is empty for any real policy.
MIN_WORDS = 40
#: A version shorter than this fraction of the previous one is suspect.
MIN_LENGTH_RATIO = 0.5
#: Pages up to this many words that contain one blocking phrase are suspect; up to
#: ``MAX_WORDS_FOR_PHRASES`` words they need two distinct phrases. Longer pages are
#: never judged by their phrases, so a policy that mentions "log in" stays valid.
SHORT_PAGE_WORDS = 150
MAX_WORDS_FOR_PHRASES = 400

# Phrases of non-document pages, by the reason code they give.
_PHRASE_FAMILIES: dict[str, tuple[str, ...]] = {
    "bot-check": (
        r"captcha",
        r"verify (?:that )?you(?:'| a)re (?:a )?human",
        r"are you a robot",
        r"checking (?:if the site connection is secure|your browser)",
        r"unusual traffic",
        r"press (?:&|and) hold",
        r"just a moment\W*$",
        r"attention required",
        r"cloudflare ray id",
        r"ddos protection",
        r"bot (?:detection|protection)",
    ),
    "blocked": (
        r"access (?:is )?denied",
        r"403 forbidden",
        r"request (?:was )?blocked",
        r"you (?:have been|are) blocked",
        r"too many requests",
        r"rate limit(?:ed)?",
        r"not available in your (?:country|region)",
    ),
    "javascript": (
        r"(?:enable|turn on|activate) javascript",
        r"javascript (?:is )?(?:disabled|required)",
        r"requires javascript",
        r"browser (?:is )?not supported",
        r"enable cookies",
    ),
    "login": (
        r"(?:log|sign) ?in to (?:continue|view|access)",
        r"please (?:log|sign) ?in",
        r"session (?:has )?expired",
        r"create an account to continue",
    ),
    "error": (
        r"\b(?:404|500|502|503)\b",
        r"page (?:was )?not found",
        r"something went wrong",
        r"internal server error",
        r"service (?:is )?(?:temporarily )?unavailable",
        r"bad gateway",
        r"an error (?:has )?occurred",
        r"try again later",
    ),
}
_PHRASES = tuple(
    (code, re.compile("|".join(phrases), re.IGNORECASE | re.MULTILINE))
    for code, phrases in _PHRASE_FAMILIES.items()
)
_WORD = re.compile(r"\w+")
# Characters per word in the head of a text counted before the whole of it: about
# three times the length of an average English word with its space.
_HEAD_CHARS_PER_WORD = 16
_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[#*_>|`\\-]+")


@dataclass(frozen=True)
class SuspectCapture:
    """A finding that a capture is something other than the document."""

    reason: str  # a code, a colon and a message: "shrunk: text is 18% of ..."


@dataclass(frozen=True)
class TextMeasure:
    """Measures of a captured text that its assessment needs, besides the last text."""

    length: int  # in words, counted as the shrink check counts them
    reason: str | None  # the reason the text alone is suspect (empty, blocked), or None


def measure_text(markdown: str) -> TextMeasure:
    """Measure a captured text for ``assess_capture``.

    Separate from it so that tracking can measure texts in its worker processes.
    """
    text = _MARKUP.sub(r" \1 ", markdown)
    word_count = _count_words_to(text, MAX_WORDS_FOR_PHRASES)
    # A short page with a blocking phrase gets that phrase's code before "empty",
    # because "bot-check" points to the fix (a browser fetch, a pause) and "empty"
    # does not.
    reason = _phrase_reason(text, word_count)
    if reason is None and word_count < MIN_WORDS:
        reason = (
            f"empty: the text has only {word_count} words "
            f"(a document needs at least {MIN_WORDS})"
        )
    return TextMeasure(length=len(text.split()), reason=reason)


def assess_capture(
    markdown: str,
    previous_markdown: str | None,
    *,
    measure: TextMeasure | None = None,
) -> SuspectCapture | None:
    """Return why the captured text is suspect, or None when it looks like a document.

    A capture is suspect when it is empty or nearly so, when it is a short page
    dominated by bot-check, blocking, "enable JavaScript", login or error phrases, or
    when it is less than half as long as the previous version. ``measure`` is
    ``measure_text(markdown)`` when the caller has it already.
    """
    measure = measure or measure_text(markdown)
    if measure.reason is not None:
        return SuspectCapture(measure.reason)

    if previous_markdown:
        previous_length = _LENGTHS.get(previous_markdown)
        if previous_length is None:
            previous_length = len(_MARKUP.sub(r" \1 ", previous_markdown).split())
        current_length = measure.length
        _LENGTHS.remember(markdown, current_length)
        if previous_length and current_length < MIN_LENGTH_RATIO * previous_length:
            percent = round(100 * current_length / previous_length)
            return SuspectCapture(
                f"shrunk: text is {percent}% of the previous version "
                f"({current_length} words, was {previous_length})"
            )
    return None


class _LengthCache:
    """Lengths in words of the last few texts assessed, keyed by their Markdown.

    The text assessed now is usually the previous version at the next call, so its
    length is counted once instead of twice. The few entries bound the memory that
    the cached texts take.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._lengths: dict[str, int] = {}

    def get(self, markdown: str) -> int | None:
        return self._lengths.get(markdown)

    def remember(self, markdown: str, length: int) -> None:
        if len(self._lengths) >= self._size:
            # Dicts keep insertion order, so this drops the oldest entry.
            self._lengths.pop(next(iter(self._lengths)), None)
        self._lengths[markdown] = length


_LENGTHS = _LengthCache(size=8)


def _count_words_to(text: str, limit: int) -> int:
    """Count the words of a text exactly up to ``limit``, or return more than it.

    A long text is counted on its head first: a prefix has at most as many words as
    the whole text, so a head with more than ``limit`` words settles the question.
    """
    head_end = _HEAD_CHARS_PER_WORD * limit
    if len(text) > head_end:
        head_count = len(_WORD.findall(text, 0, head_end))
        if head_count > limit:
            return head_count
    return len(_WORD.findall(text))


def _phrase_reason(text: str, word_count: int) -> str | None:
    if word_count > MAX_WORDS_FOR_PHRASES:
        return None
    found: list[tuple[str, str]] = []
    for code, pattern in _PHRASES:
        for match in pattern.finditer(text):
            phrase = match.group().strip().lower()
            if all(phrase != seen for _, seen in found):
                found.append((code, phrase))
    needed = 1 if word_count <= SHORT_PAGE_WORDS else 2
    if len(found) < needed:
        return None
    code, phrase = found[0]
    quoted = ", ".join(f'"{seen}"' for _, seen in found[:3])
    return f"{code}: a {word_count}-word page containing {quoted}"
