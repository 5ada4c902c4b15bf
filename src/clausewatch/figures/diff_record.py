"""The diff between two versions as one JSON-ready record, for the API and the CLI.

``clausewatch diff --json`` and ``GET /api/v1/documents/{record_id}/diff`` both return
this record, built from the same ``version_diff`` as the HTML diff page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clausewatch.db.models import Document, ProvisionText, Version
from clausewatch.diff import ChangeSummary, ProvisionChange
from clausewatch.errors import ClausewatchError
from clausewatch.figures.numbering import described
from clausewatch.figures.version_diff import VersionDiff

WORD_DIFF_HELP = (
    "Word-level diff of a modified provision as [op, text] pairs, op being equal, "
    "insert or delete; null for other kinds. The equal and delete texts joined give "
    "the old text, the equal and insert texts the new one."
)


class SameVersionError(ClausewatchError):
    """Both version numbers of a diff name the same version."""

    exit_code = 2


def require_two_versions(found: VersionDiff) -> None:
    """Reject a diff of a version with itself, for the CLI, the page and the API.

    The numbers are checked after defaults apply, so naming only the latest version
    as the older one is rejected too.
    """
    if found.from_number == found.to_number:
        raise SameVersionError(
            f"cannot compare version {found.from_number} with itself; choose two "
            "different versions"
        )


@dataclass(frozen=True)
class ProvisionChangeRecord:
    """One changed provision between the two versions."""

    record_id: str
    kind: str
    material: bool = field(
        metadata=described("False for formatting noise alone (a cosmetic change).")
    )
    summary: ChangeSummary
    word_diff: list[tuple[str, str]] | None = field(metadata=described(WORD_DIFF_HELP))
    text_before: str | None
    text_after: str | None


@dataclass(frozen=True)
class VersionDiffRecord:
    """The provision changes between two versions of a document, oldest first."""

    document_record_id: str
    platform_id: str
    terms_type: str
    from_version: int
    from_captured_at: datetime
    to_version: int
    to_captured_at: datetime
    sentence: str
    unchanged: int = field(
        metadata=described(
            "Provisions of the newer version that neither changed nor moved."
        )
    )
    changes: list[ProvisionChangeRecord]


def version_diff_record(
    session: Session, found: VersionDiff, *, material_only: bool = False
) -> VersionDiffRecord:
    """Turn a computed version diff into its record.

    ``material_only`` leaves cosmetic changes out of ``changes``, but ``unchanged``
    still excludes the provisions that changed only cosmetically.
    """
    changed_in_new = {change.key for change in found.changes if change.after}
    return VersionDiffRecord(
        document_record_id=found.document_record_id,
        platform_id=found.platform_id,
        terms_type=found.terms_type,
        from_version=found.from_number,
        from_captured_at=found.from_captured_at,
        to_version=found.to_number,
        to_captured_at=found.to_captured_at,
        sentence=found.sentence,
        unchanged=_provision_count(session, found) - len(changed_in_new),
        changes=[
            _change_record(change)
            for change in found.changes
            if change.material or not material_only
        ],
    )


def _change_record(change: ProvisionChange) -> ProvisionChangeRecord:
    return ProvisionChangeRecord(
        record_id=change.key,
        kind=change.kind.value,
        material=change.material,
        summary=change.summary,
        word_diff=list(change.word_diff.ops) if change.word_diff else None,
        text_before=change.before.text if change.before else None,
        text_after=change.after.text if change.after else None,
    )


def _provision_count(session: Session, found: VersionDiff) -> int:
    count = session.scalar(
        select(func.count(ProvisionText.id))
        .join(Version, Version.id == ProvisionText.version_id)
        .join(Document, Document.id == Version.document_id)
        .where(
            Document.record_id == found.document_record_id,
            Version.number == found.to_number,
        )
    )
    return count or 0
