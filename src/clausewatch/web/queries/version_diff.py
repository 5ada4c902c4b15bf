"""Comparison of any two versions of a document, provision by provision.

Provisions keep their record IDs across versions, so the diff stage compares them by
identity: added, removed, modified (with a word-level diff), moved or reclassified.
Every piece of text is escaped here before it is wrapped in ``<ins>`` or ``<del>``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from clausewatch.db.models import Analysis, Document, Provision, ProvisionText, Version
from clausewatch.db.work import SEVERITY_ORDER
from clausewatch.diff import (
    ChangeKind,
    ProvisionChange,
    ProvisionState,
    diff_provisions,
)
from clausewatch.errors import ClausewatchError
from clausewatch.figures import records


class InvalidComparisonError(ClausewatchError):
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
    rows: tuple[DiffRow, ...]
    unchanged: int


def compare_versions(
    session: Session, document: Document, old_number: int, new_number: int
) -> VersionComparison:
    """Diff two versions of a document; raises NotFoundError for a missing version."""
    if old_number == new_number:
        raise InvalidComparisonError(
            f"cannot compare version {old_number} with itself; choose two different "
            "versions"
        )
    old = records.get_version(session, document, old_number)
    new = records.get_version(session, document, new_number)
    summaries = {item.number: item for item in records.list_versions(session, document)}
    before = _states(session, old)
    after = _states(session, new)
    changes = diff_provisions(before, after)

    changed_keys = {change.key for change in changes}
    unchanged = sum(1 for state in after if state.key not in changed_keys)
    return VersionComparison(
        old=summaries[old.number],
        new=summaries[new.number],
        rows=tuple(_row(change) for change in changes),
        unchanged=unchanged,
    )


def _states(session: Session, version: Version) -> list[ProvisionState]:
    provisions = records.list_provisions(session, version)
    labels = _labels(session, version.id)
    states = []
    for item in provisions:
        found = labels.get(item.record_id, {})
        severity = max(found.values(), key=SEVERITY_ORDER.__getitem__, default=None)
        states.append(
            ProvisionState(
                key=item.record_id,
                position=item.position,
                heading_path=item.heading_path,
                text=item.text,
                clause_types=frozenset(found),
                severity=severity,
            )
        )
    return states


def _labels(session: Session, version_id: int) -> dict[str, dict[str, str]]:
    """Clause types and severities of each provision text of a version."""
    labels: dict[str, dict[str, str]] = {}
    rows = session.execute(
        select(Provision.record_id, Analysis.clause_type_id, Analysis.severity)
        .join(ProvisionText, ProvisionText.id == Analysis.provision_text_id)
        .join(Provision, Provision.id == ProvisionText.provision_id)
        .where(ProvisionText.version_id == version_id)
    )
    for record_id, clause_type_id, severity in rows:
        labels.setdefault(record_id, {})[clause_type_id] = severity
    return labels


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
