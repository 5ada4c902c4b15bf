"""Tell whether a phrase sits in a negated clause.

A phrase is negated when a negation ("not", "never", "no", "without") comes before it in
the same clause: "we do not collect biometric data", "we do not use personal data to
build profiles or to sell it to any third party". A clause ends at a full stop, colon,
semicolon, a contrasting word ("but", "however", "unless", "except") or ", only". A
negation inside a condition ("if you do not opt out") does not negate the rest of the
sentence, so "if you do not opt out, we share it with any third party" still counts.
``is_negated`` also counts a phrase that an exclusion leaves out ("excluding health
data"); ``negations_before``, which the stance of a provision reads, does not.
"""

from __future__ import annotations

import re

# Every "n't" contraction negates: "don't", "won't", and also "isn't", "wasn't",
# "haven't", "shouldn't" ("the data wasn't collected from children").
_NEGATION = re.compile(
    r"\b(?:not|never|cannot|no|neither|nor|without)\b|\b\w+n['’]t\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(
    r"[.;:!?]\s|,\s*only\b|\b(?:but|however|unless|except|although|instead)\b",
    re.IGNORECASE,
)
_CONDITION = re.compile(
    r"\b(?:if|unless|whether|when|where|until)\b(?:\W+\w+){0,3}\W*$", re.IGNORECASE
)
# An exclusion reaches up to three words after it, so "excluding race or ethnicity"
# excludes both, but stops at a comma, where a list may go on with included items.
# "Except if you opt out" and "except as required by law" state a condition, which
# leaves the words after it in place.
_EXCLUSION = re.compile(
    r"\b(?:except(?: for)?|excluding|other than|apart from|aside from|save for"
    r"|with the exception of|not including)\s+"
    r"(?!(?:if|when|where|as|that|to|in|by|under|unless|while)\b)"
    r"(?:[\w'’-]+\s+){0,3}$",
    re.IGNORECASE,
)
# Far enough back for a long negated list, short enough to stay in one sentence.
_WINDOW = 200


def is_negated(text: str, start: int) -> bool:
    """Tell whether the phrase at ``start`` is negated or excluded.

    It is negated when it follows a negation in the same clause, and excluded when
    it follows "except for", "excluding" or a similar word ("all categories except
    for precise location").
    """
    if _EXCLUSION.search(text[max(0, start - _WINDOW) : start]):
        return True
    return bool(negations_before(text, start))


def negations_before(text: str, start: int) -> list[tuple[int, str]]:
    """Return (offset in ``text``, word) of each negation that reaches ``start``.

    These are the negations before the phrase in its clause, outside a condition, in
    text order, so the last one is the nearest.
    """
    offset = max(0, start - _WINDOW)
    before = text[offset:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause_start = breaks[-1].end() if breaks else 0
    clause = before[clause_start:]
    return [
        (offset + clause_start + negation.start(), negation.group().lower())
        for negation in _NEGATION.finditer(clause)
        if not _CONDITION.search(clause[: negation.start()])
    ]
