"""Tell whether a phrase is negated by the words just before it."""

from __future__ import annotations

import re

# A negation followed by at most three words and then the phrase: "we do not collect
# biometric data", "never sold", "cannot opt out".
_NEGATION = re.compile(
    r"\b(?:not|never|cannot|can't|can’t|won't|won’t|don't|don’t|doesn't|doesn’t|no"
    r"|neither|nor|without)\b(?:\W+\w+){0,3}\W*$",
    re.IGNORECASE,
)
_WINDOW = 60


def is_negated(text: str, start: int) -> bool:
    """Tell whether the phrase at ``start`` follows a negation within three words."""
    return bool(_NEGATION.search(text[max(0, start - _WINDOW) : start]))
