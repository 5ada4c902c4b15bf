"""The date a document states about itself ("Last updated: March 3, 2025")."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"

_LABEL = re.compile(
    r"\b(?:last\s+(?:updated|modified|revised|amended|changed|update|revision)"
    r"|date\s+of\s+(?:the\s+)?last\s+(?:update|revision|modification)"
    r"|updated|modified|revised|amended|effective(?:\s+date)?|version\s+date"
    r"|in\s+effect\s+(?:as\s+of|from|since)|valid\s+(?:from|as\s+of))\b",
    re.IGNORECASE,
)
# Words and punctuation allowed between the label and the date, including a time of
# day ("Updated: 16:09, 29 July 2025") and a weekday ("Monday, March 3, 2025").
_GLUE = (
    r"(?:[\s:,\-–—(]|\bon\b|\bas\s+of\b|\bfrom\b|\bdate\b|\bis\b|\bwas\b"
    r"|\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b)*?"
)
_DATE = re.compile(
    _GLUE
    + r"(?:(?P<iso_year>\d{4})[-/](?P<iso_month>\d{1,2})[-/](?P<iso_day>\d{1,2})(?!\d)"
    + rf"|(?P<mdy_month>{_MONTH})\s*(?P<mdy_day>{_DAY}),?\s+(?P<mdy_year>\d{{4}})\b"
    + rf"|(?P<dmy_day>{_DAY})(?:\s+of)?\s+(?P<dmy_month>{_MONTH}),?\s+"
    + r"(?P<dmy_year>\d{4})\b"
    + r"|(?P<num_first>\d{1,2})(?P<num_separator>[/.])(?P<num_second>\d{1,2})"
    + r"[/.](?P<num_year>\d{4})\b"
    + rf"|(?P<my_month>{_MONTH}),?\s+(?P<my_year>\d{{4}})\b)",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"[*_\\]")
_EARLIEST_YEAR = 1990
_LATEST_YEAR = 2100


def find_stated_date(markdown: str) -> date | None:
    """Find the date the document states as its last update or effective date.

    Looks for a label ("Last updated", "Effective date", "Revised", "Updated on"...)
    followed by a date in a common format: "March 3, 2025", "3 March 2025",
    "2024-11-01", "01/02/2024" (month first unless the first number exceeds 12),
    "01.02.2024" (day first) or "November 2024" (read as its first day). Returns the
    first such date in the text, or None.
    """
    text = _MARKUP.sub("", markdown)
    for label in _LABEL.finditer(text):
        found = _DATE.match(text, label.end())
        if found is None:
            continue
        stated = _to_date(found)
        if stated is not None:
            return stated
    return None


def _to_date(found: re.Match[str]) -> date | None:
    parts = found.groupdict()
    if parts["iso_year"]:
        year, month, day = parts["iso_year"], parts["iso_month"], parts["iso_day"]
    elif parts["mdy_year"]:
        year, day = parts["mdy_year"], parts["mdy_day"]
        month = str(_month_number(parts["mdy_month"]))
    elif parts["dmy_year"]:
        year, day = parts["dmy_year"], parts["dmy_day"]
        month = str(_month_number(parts["dmy_month"]))
    elif parts["num_year"]:
        year = parts["num_year"]
        first, second = parts["num_first"], parts["num_second"]
        # Dots are the European day-first form; slashes are read month first, as in
        # the US, unless that is impossible.
        day_first = parts["num_separator"] == "." or int(first) > 12
        day, month = (first, second) if day_first else (second, first)
    else:
        year, day = parts["my_year"], "1"
        month = str(_month_number(parts["my_month"]))
    return _valid_date(int(year), int(month), int(day.rstrip("stndrh")))


def _month_number(name: str) -> int:
    return _MONTHS[name.rstrip(".").lower()]


def _valid_date(year: int, month: int, day: int) -> date | None:
    if not _EARLIEST_YEAR <= year <= _LATEST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
