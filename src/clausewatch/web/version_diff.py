"""Two versions of a document side by side or inline, from the figures' version diff.

Every piece of policy text is escaped here before it is wrapped in ``<ins>`` or
``<del>``, so templates can insert the result as markup.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from sqlalchemy.orm import Session

from clausewatch.db.models import Document
from clausewatch.diff import ChangeKind, ProvisionChange
from clausewatch.figures import records
from clausewatch.figures.diff_record import SameVersionError, require_two_versions
from clausewatch.figures.version_diff import VersionDiff, version_diff
from clausewatch.web.errors import InvalidParameterError


class InvalidComparisonError(InvalidParameterError):
    """Two version numbers that cannot be compared (the same version twice)."""


@dataclass(frozen=True)
class DiffRow:
    """One changed provision, ready to show side by side or inline."""

    kind: str
    record_id: str
    cosmetic: bool
    sentence: str
    before_html: str
    after_html: str
    inline_html: str


@dataclass(frozen=True)
class VersionComparison:
    """The changes between two versions, in the newer version's order."""

    old: records.VersionSummary
    new: records.VersionSummary
    sentence: str
    rows: tuple[DiffRow, ...]
    unchanged: int


def compare_versions(
    session: Session,
    document: Document,
    old_number: int | None = None,
    new_number: int | None = None,
) -> VersionComparison:
    """Diff two versions of a document, by default the last two.

    Raises NotFoundError for a missing version, or when none is named and the
    document has fewer than two.
    """
    found = checked_version_diff(session, document, old_number, new_number)
    summaries = {item.number: item for item in records.list_versions(session, document)}
    new = summaries[found.to_number]
    changed_in_new = {change.key for change in found.changes if change.after}
    return VersionComparison(
        old=summaries[found.from_number],
        new=new,
        sentence=found.sentence,
        rows=tuple(_row(change) for change in found.changes),
        unchanged=new.provisions - len(changed_in_new),
    )


def checked_version_diff(
    session: Session,
    document: Document,
    old_number: int | None = None,
    new_number: int | None = None,
) -> VersionDiff:
    """Diff two versions as the diff page and the API do, by default the last two.

    Raises InvalidComparisonError when both numbers name the same version, and
    NotFoundError as ``version_diff`` does.
    """
    found = version_diff(session, document, old_number, new_number)
    try:
        require_two_versions(found)
    except SameVersionError as error:
        raise InvalidComparisonError(str(error)) from None
    return found


def _row(change: ProvisionChange) -> DiffRow:
    before = change.before.text if change.before else ""
    after = change.after.text if change.after else ""
    if change.word_diff is not None:
        before_html = _side(change.word_diff.ops, "delete", "del")
        after_html = _side(change.word_diff.ops, "insert", "ins")
        inline_html = change.word_diff.html()
    elif change.kind is ChangeKind.ADDED:
        before_html = ""
        after_html = inline_html = f"<ins>{html.escape(after)}</ins>"
    elif change.kind is ChangeKind.REMOVED:
        after_html = ""
        before_html = inline_html = f"<del>{html.escape(before)}</del>"
    else:
        before_html = html.escape(before)
        after_html = inline_html = html.escape(after)
    return DiffRow(
        kind=change.kind.value,
        record_id=change.key,
        cosmetic=change.cosmetic,
        sentence=change.summary.sentence,
        before_html=before_html,
        after_html=after_html,
        inline_html=inline_html,
    )


def _side(ops: tuple[tuple[str, str], ...], shown: str, tag: str) -> str:
    parts = []
    for op, text in ops:
        if op == "equal":
            parts.append(html.escape(text))
        elif op == shown:
            parts.append(f"<{tag}>{html.escape(text)}</{tag}>")
    return "".join(parts)
