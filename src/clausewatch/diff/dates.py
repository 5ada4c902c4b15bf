"""Recognition of the "Last updated" / "Effective" date that documents state."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"

# Formats seen in policies: "January 5, 2025", "Jan. 5th 2025", "5 January 2025",
# "5th of January, 2025", "January 2025", "2025-01-05", "01/05/2025", "5.1.2025".
DATE_PATTERN = (
    rf"(?:{_MONTH}\s+{_DAY},?\s+{_YEAR}"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"
    rf"|{_MONTH},?\s+{_YEAR}"
    rf"|{_YEAR}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])"
    rf"|\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:{_YEAR}|\d{{2}}))"
)

# Labels that introduce the date of the document itself, not a date inside a clause.
_LABEL = (
    r"(?:last\s+)?(?:updated|modified|revised|amended|reviewed|changed)"
    r"(?:\s+(?:on|as\s+of))?"
    r"|last\s+(?:update|revision|modification)"
    r"|effective(?:\s+date)?(?:\s+(?:as\s+of|from|on))?"
    r"|in\s+effect\s+(?:as\s+of|from|since)"
    r"|date\s+of\s+(?:last\s+)?(?:revision|update|modification)"
    r"|version\s+date|(?:published|posted)(?:\s+on)?"
)

UPDATE_DATE_PATTERN = re.compile(
    rf"(?P<label>\b(?:{_LABEL}))(?P<separator>\s*[:\-–—]?\s*)(?P<date>\b{DATE_PATTERN})\b",
    re.IGNORECASE,
)
_DATE_ONLY_PATTERN = re.compile(
    rf"\s*\(?(?P<date>{DATE_PATTERN})[.)]?\s*", re.IGNORECASE
)

DATE_PLACEHOLDER = "clausewatchstateddate"
_EMPHASIS = re.compile(r"[*_`]+")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class StatedDate:
    """A document date found in a text, with the label that introduces it."""

    label: str
    date: str


def find_stated_dates(text: str) -> list[StatedDate]:
    """Find every labelled document date ("Last updated: May 2, 2025") in a text.

    Markdown emphasis is ignored. A text that is a bare date and nothing else counts
    as one stated date with an empty label, because segmenters often cut the date
    line from its label.
    """
    text = _EMPHASIS.sub("", text)
    found = [
        StatedDate(label=match["label"], date=match["date"])
        for match in UPDATE_DATE_PATTERN.finditer(text)
    ]
    if not found:
        whole = _DATE_ONLY_PATTERN.fullmatch(text)
        if whole is not None:
            found.append(StatedDate(label="", date=whole["date"]))
    return found


def mask_stated_dates(text: str) -> str:
    """Replace each labelled document date, or a text that is only a date, by a token.

    Two texts that differ only in such dates are equal after masking. Dates inside a
    clause ("we delete data by May 2, 2025") have no label and stay as they are.
    """
    if _DIGIT.search(text) is None:
        return text
    if _DATE_ONLY_PATTERN.fullmatch(text):
        return DATE_PLACEHOLDER
    return UPDATE_DATE_PATTERN.sub(
        lambda match: f"{match['label']}{match['separator']}{DATE_PLACEHOLDER}", text
    )
