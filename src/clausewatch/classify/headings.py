"""Recognise a section heading or an unanswered question kept as a provision.

Policy pages often style a section title as a plain or bold paragraph ("1\\. Personal
Data we collect", "**5.2 Deleting your information.**"), and FAQ pages put each
question on a line of its own above its answer. The segmenter keeps such a line as a
provision because nothing in the Markdown marks it as a heading. It names a topic
without stating a practice, yet it contains the topic's words, so patterns and n-grams
read it as the clause it announces. The classifier abstains on it, and the body of
the section carries the practice.

A short clause stays classified: "We sell your data." is a sentence, and a numbered
one ("3. We sell your data.") counts as a heading only when it is bold or in title
case.
"""

from __future__ import annotations

import re

#: Maximum number of words in a heading, not counting its section number. Longer
#: lines without an end mark are run-on text (a sentence that lost its full stop).
MAX_HEADING_WORDS = 12
#: Maximum number of words in a lone question read as a heading. FAQ questions are
#: far shorter.
MAX_QUESTION_WORDS = 40
#: Texts longer than this, in characters, are not checked. A question of 40 words is
#: about 250 characters, which leaves room for markup and a link address. Most
#: provisions are longer, so the check costs them nothing.
MAX_CHECKED_CHARS = 600

# A bullet, table row or ")" item: the segmenter's unit for a list of data
# categories ("- precise location"), which is a statement of the list's lead-in. An
# item numbered "8." is read like a numbered line, because policies number their
# section titles as an ordered list ("8. Data retention and deletion").
_ITEM_START = re.compile(r"^(?:[-*+•·▪](?:\s|$)|\||\\-|\d{1,9}[)](?:\s|$))")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# An HTML tag left in the text ("<br>", "</strong>"), or one cut off at the end.
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*(?:>|$)")
_BOLD = re.compile(r"^(?:\*\*|__).*(?:\*\*|__)$", re.DOTALL)
# "1.", "5.2", "3.1.", "A.", "IV.", "(b)", "iii)", "Section 4", "Article 12:".
_SECTION_NUMBER = re.compile(
    r"^(?:(?i:section|article|part|chapter)\s+)?"
    r"(?:\d{1,3}(?:\.\d{1,3})*\.?|[A-Z]\.|[IVXLC]{1,6}\.|\(?[a-z]{1,4}\)|\(\d{1,3}\))"
    r"(?:\s*[:.-])?\s+"
)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_TRAILING = "\"'”’)]}*_ "
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s")
# Words a title does not end with. A line ending with one runs on into a list
# ("... we are not liable for", "(2) to comply with a legal obligation; or").
_RUN_ON_ENDINGS = frozenset(
    {"a", "an", "and", "by", "for", "from", "in", "including", "of", "on", "or"}
    | {"that", "the", "to", "with"}
)
_SUBJECT_PRONOUNS = frozenset({"i", "it", "they", "we", "you"})


def is_heading_or_question(text: str) -> bool:
    """Return whether ``text`` is a section heading or a question without its answer.

    ``text`` is a provision's Markdown on one line, as the classifier reads it.
    """
    stripped = text.strip()
    if len(stripped) > MAX_CHECKED_CHARS:
        return False
    if not stripped or _ITEM_START.match(stripped):
        return False
    visible = _visible_text(stripped)
    body = _SECTION_NUMBER.sub("", visible, count=1)
    numbered = body != visible
    words = _WORD.findall(body)
    if not words:
        return False
    end = body.rstrip(_TRAILING)[-1:]

    if end == "?":
        return len(words) <= MAX_QUESTION_WORDS and not _SENTENCE_END.search(body)
    if len(words) > MAX_HEADING_WORDS or not _names_a_topic(body, words, numbered):
        return False
    if end not in ".!:;,":
        return True
    # A numbered line that ends with a full stop is a heading when it is styled as
    # one: all bold, or every longer word capitalised ("4. Responsibility of Users.").
    return (
        numbered
        and end == "."
        and not _SENTENCE_END.search(body)
        and (_BOLD.match(stripped) is not None or _is_title_case(words))
    )


def _names_a_topic(body: str, words: list[str], numbered: bool) -> bool:
    """Tell whether a short line reads as a title rather than as a statement.

    A title starts with a capital letter. A line that starts in lower case or runs on
    into a list is part of a sentence. A line that opens with a subject pronoun ("We
    receive data through cookies") states a practice even when it is styled as a
    heading. A line with a figure is a date or amount line ("Last updated: 1 May
    2024"). A line in capitals is a title only when numbered, because terms of
    service also write whole disclaimers in capitals.
    """
    first = words[0]
    if not first[0].isupper() or words[-1].lower() in _RUN_ON_ENDINGS:
        return False
    if re.split(r"['’]", first.lower())[0] in _SUBJECT_PRONOUNS:
        return False
    if any(character.isdigit() for character in body):
        return False
    return numbered or any(character.islower() for character in body)


def _visible_text(markdown: str) -> str:
    """Return the words of inline Markdown: link texts kept, escapes, emphasis and
    HTML tags removed."""
    text = _LINK.sub(r"\1", markdown) if "[" in markdown else markdown
    text = _ESCAPE.sub(r"\1", text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    return " ".join(text.replace("**", " ").replace("__", " ").split())


def _is_title_case(words: list[str]) -> bool:
    # Short words ("of", "and", "your") stay lower case in titles.
    long_words = [word for word in words if len(word) >= 5]
    return bool(long_words) and all(word[0].isupper() for word in long_words)
