"""Find the lead-in sentence of a list: the words that introduce its items.

Terms of service and developer policies list what the user must not do, or
promises, under a lead-in such as "You agree not to:". The items read like data
practices ("- collect personal data of other users"), so the classifier reads each
item with its lead-in, which the patterns file's ``user_rule_lead_in`` judges. The
lead-in is the paragraph or heading right before the list, which the segmenter
records with each item, or the opening of a provision whose items follow in its
own text ("You represent and warrant that: (a) ...; (b) ...").
"""

from __future__ import annotations

import re

#: Maximum number of words before the lead-in sentence in a provision that opens with
#: one, such as a run-in title ("**Prohibited uses.** You agree not to:"). A lead-in
#: after longer text follows the provision's own statements, which it does not rule.
MAX_WORDS_BEFORE_OPENING_LEAD_IN = 8

# A sentence ends with a full stop, "!" or "?", closing quotes or emphasis, then
# whitespace before a capital or a digit, so "e.g. a" stays one sentence.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"'”’)\]*_]*\s+(?=[\"“‘(\[*_]*[A-Z0-9])")
# Emphasis that may close a lead-in after its colon ("**You may not:**").
_CLOSING_MARKUP = "*_ \t\n"
# A colon, then the first item: a list marker on the next line, or an enumerator
# such as "(a)", "(ii)" or "3)" on the same line.
_ITEMS_FOLLOW = re.compile(
    r":[*_]*(?:[ \t]*\n\s*(?:[-*+•]|\d{1,3}[.)]|\(?[a-z0-9]{1,4}\))[ \t]"
    r"|[ \t]*\((?:[a-z]|[ivx]{1,4}|\d{1,2})\))"
)
_WORD = re.compile(r"\w+")
# List markers, enumerators and emphasis, then "we" or "our" ("- (f) we may collect").
_OPENS_WITH_WE = re.compile(
    r"(?:[-*+•][ \t]+|\d{1,3}[.)][ \t]+|\(?[a-z0-9]{1,4}\)[ \t]+|[*_]+)*(?:we|our)\b",
    re.IGNORECASE,
)


def lead_in_sentence(lead_in: str) -> str:
    """Return the last sentence of ``lead_in`` when it ends with a colon, else ""."""
    stripped = lead_in.rstrip(_CLOSING_MARKUP)
    if not stripped.endswith(":"):
        return ""
    return _SENTENCE_BREAK.split(stripped)[-1]


def opening_lead_in(text: str) -> str:
    """Return the lead-in sentence that ``text`` opens with, before its own items.

    Returns "" when no colon is followed by an item, or when more than
    ``MAX_WORDS_BEFORE_OPENING_LEAD_IN`` words come before the lead-in sentence.
    """
    if ":" not in text:
        return ""
    found = _ITEMS_FOLLOW.search(text)
    if found is None:
        return ""
    head = text[: found.start() + 1]
    sentence = lead_in_sentence(head)
    before = head[: len(head) - len(sentence)]
    if len(_WORD.findall(before)) > MAX_WORDS_BEFORE_OPENING_LEAD_IN:
        return ""
    return sentence


def opens_with_we(item: str) -> bool:
    """Return whether a list item opens with "we" or "our" after its marker.

    Such an item states the platform's own practice even under a lead-in for the
    user ("You represent that: (f) we may collect usage data").
    """
    return _OPENS_WITH_WE.match(item.lstrip()) is not None
