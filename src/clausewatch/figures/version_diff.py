"""Provision diff between any two stored versions of one document.

Provisions keep their record IDs across versions, so two versions far apart are
compared by record ID exactly as consecutive ones are when they are recorded: the
stored texts and the stored clause types go through ``clausewatch.diff``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clausewatch.db.models import Document, Version
from clausewatch.db.work import DocumentWork, StoredProvision
from clausewatch.diff import (
    ProvisionChange,
    ProvisionState,
    diff_provisions,
    document_change_sentence,
)
from clausewatch.errors import NotFoundError
from clausewatch.figures.numbering import version_ranges
from clausewatch.taxonomy import default_taxonomy


@dataclass(frozen=True)
class VersionDiff:
    """The changes between two versions of a document, oldest version first."""

    document_record_id: str
    platform_id: str
    terms_type: str
    from_number: int
    from_captured_at: datetime
    to_number: int
    to_captured_at: datetime
    sentence: str
    changes: tuple[ProvisionChange, ...]


def diff_versions(
    session: Session, document: Document, from_number: int, to_number: int
) -> list[ProvisionChange]:
    """Compare the provisions of two versions of a document.

    Raises NotFoundError when either version does not exist.
    """
    return list(version_diff(session, document, from_number, to_number).changes)


def version_diff(
    session: Session,
    document: Document,
    from_number: int | None = None,
    to_number: int | None = None,
) -> VersionDiff:
    """Compare two versions, by default the last two, with the summary sentence.

    Raises NotFoundError when a version does not exist or the document has fewer than
    two versions and none is named.
    """
    numbers = list(
        session.scalars(
            select(Version.number)
            .where(Version.document_id == document.id)
            .order_by(Version.number)
        )
    )
    from_number, to_number = _pick_numbers(document, numbers, from_number, to_number)
    work = DocumentWork(session, document)
    old = _version(session, document, from_number, numbers)
    new = _version(session, document, to_number, numbers)
    names = {key: value.name for key, value in default_taxonomy().clause_types.items()}
    changes = diff_provisions(
        _states(work.provisions_of(old.id)),
        _states(work.provisions_of(new.id)),
        clause_type_names=names,
    )
    sentence = document_change_sentence(
        changes, document=document.terms_type, platform=document.platform.name
    )
    return VersionDiff(
        document_record_id=document.record_id,
        platform_id=document.platform_id,
        terms_type=document.terms_type,
        from_number=old.number,
        from_captured_at=old.captured_at,
        to_number=new.number,
        to_captured_at=new.captured_at,
        sentence=sentence,
        changes=tuple(changes),
    )


def _pick_numbers(
    document: Document,
    numbers: Sequence[int],
    from_number: int | None,
    to_number: int | None,
) -> tuple[int, int]:
    if to_number is None:
        if from_number is None:
            if len(numbers) < 2:
                raise NotFoundError(
                    f"document {document.record_id} has {len(numbers)} version(s); "
                    "a diff needs two, so name the versions or track it again later"
                )
            return numbers[-2], numbers[-1]
        to_number = numbers[-1] if numbers else from_number
    if from_number is None:
        from_number = max(
            (number for number in numbers if number < to_number), default=to_number
        )
    return from_number, to_number


def _version(
    session: Session, document: Document, number: int, numbers: Sequence[int]
) -> Version:
    version = session.execute(
        select(Version).where(
            Version.document_id == document.id, Version.number == number
        )
    ).scalar_one_or_none()
    if version is None:
        # The page, the API and the CLI show this message, so it names both the
        # document page and the command that list the versions with their dates.
        record_id = document.record_id
        raise NotFoundError(
            f"document {record_id} has no version {number}; its versions are "
            f"{version_ranges(numbers) or 'none yet'}, listed with their dates at "
            f"/documents/{record_id} and by clausewatch show {record_id}"
        )
    return version


def _states(provisions: Sequence[StoredProvision]) -> list[ProvisionState]:
    return [
        ProvisionState(
            key=provision.record_id,
            position=provision.position,
            heading_path=provision.heading_path,
            text=provision.text,
            clause_types=provision.clause_types,
            severity=provision.severity,
        )
        for provision in provisions
    ]
