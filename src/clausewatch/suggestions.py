"""Close matches for "did you mean" hints in error messages.

A suggestion must look like a typing error of the value given, not merely share a
common word with it. Similarity ratios such as difflib's count the shared " Policy"
or "_data" of two names, so at their usual cutoff "Banana Policy" matched
"Complaints Policy". Here a known name is close when it is at most one edit per
four characters of the value away, in optimal string alignment distance: an
insertion, a deletion, a substitution or a swap of two neighbours each count one.
Values under four characters therefore match only names that differ in case.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import OSA

#: Characters of the given value per allowed edit.
CHARACTERS_PER_EDIT = 4


def close_matches(value: str, choices: Iterable[str], *, limit: int = 3) -> list[str]:
    """Return up to ``limit`` choices that ``value`` is likely a mistyping of.

    Case and surrounding spaces are ignored. The closest come first, and choices
    at the same distance keep their order.
    """
    requested = value.strip().lower()
    allowed_edits = len(requested) // CHARACTERS_PER_EDIT
    scored = []
    for index, choice in enumerate(dict.fromkeys(choices)):
        distance = OSA.distance(
            requested, choice.strip().lower(), score_cutoff=allowed_edits
        )
        if distance <= allowed_edits:
            scored.append((distance, index, choice))
    return [choice for _, _, choice in sorted(scored)[:limit]]
