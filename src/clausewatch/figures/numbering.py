"""Numbering of versions and provisions in published records: both count from 1.

A document's versions count from 1 in capture order. A version's provisions count from
1 in document order, so "provision 7 of version 3" names one clause on the page, in
the JSON API, the PDF, the citation and the CLI alike. The store keeps a provision's
place as a 0-based position; ``provision_number`` is the one conversion from it. The
number can differ between versions of a document; the record ID never changes.
"""

from __future__ import annotations

from collections.abc import Sequence

VERSION_NUMBER_HELP = "Version number within its document, counting from 1."
_NUMBER_RULE = (
    'counting from 1 in document order, as pages show it ("provision 7 of version '
    '3"). The same provision can have another number in another version; its record '
    "ID never changes."
)
PROVISION_NUMBER_HELP = f"Provision number within the version listed, {_NUMBER_RULE}"
LATEST_NUMBER_HELP = f"Provision number within the version last_version, {_NUMBER_RULE}"


def provision_number(position: int) -> int:
    """Return the published number of the provision stored at a 0-based position."""
    return position + 1


def described(text: str) -> dict[str, str]:
    """Metadata of a dataclass field that gives the OpenAPI document its description.

    Pydantic reads "description" from a standard dataclass field's metadata.
    """
    return {"description": text}


def version_ranges(numbers: Sequence[int]) -> str:
    """Write version numbers as ranges: (1, 2, 3, 5) gives "1-3, 5".

    A provision removed in one version and restored in a later one has a gap, which
    "versions 1-5" would hide.
    """
    ordered = sorted(set(numbers))
    parts: list[str] = []
    start = previous = None
    for number in ordered:
        if previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            parts.append(_range(start, previous))
        start = previous = number
    if start is not None:
        parts.append(_range(start, previous))
    return ", ".join(parts)


def _range(start: int, end: int | None) -> str:
    return str(start) if end is None or end == start else f"{start}-{end}"
