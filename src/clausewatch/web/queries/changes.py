"""Stored change events, filtered and paged for the changes page and feeds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, cast, func, select
from sqlalchemy.orm import Session, aliased

from clausewatch.db.models import ChangeEvent, Document, Platform, Provision, Version
from clausewatch.diff import WordDiff

SEVERITIES = ("Low", "Medium", "High", "Critical")
CHANGE_KINDS = ("version", "added", "removed", "modified", "moved", "reclassified")


@dataclass(frozen=True)
class ChangeFilter:
    """Criteria of a change listing. None or False leaves a criterion unused."""

    platform_id: str | None = None
    document_record_id: str | None = None
    clause_type_id: str | None = None
    min_severity: str | None = None
    material_only: bool = False
    kind: str | None = None
    provisions_only: bool = False
    since: datetime | None = None


@dataclass(frozen=True)
class ChangeItem:
    """One change event with the names needed to show and link it."""

    id: int
    kind: str
    material: bool
    occurred_at: datetime
    sentence: str
    summary: dict[str, Any]
    max_severity: str | None
    platform_id: str
    platform_name: str
    document_record_id: str
    terms_type: str
    version_number: int
    previous_version_number: int | None
    provision_record_id: str | None

    @property
    def word_diff(self) -> WordDiff | None:
        """The stored word-level diff of a modified provision, if any."""
        ops = self.summary.get("word_diff")
        if not ops:
            return None
        return WordDiff(tuple((str(op), str(text)) for op, text in ops))

    @property
    def clause_types(self) -> tuple[str, ...]:
        """Clause types before and after the change, each once."""
        before = self.summary.get("clause_types_before") or []
        after = self.summary.get("clause_types_after") or []
        return tuple(dict.fromkeys([*before, *after]))


def list_changes(
    session: Session,
    filters: ChangeFilter,
    *,
    limit: int,
    offset: int = 0,
    count: bool = True,
) -> tuple[list[ChangeItem], int]:
    """Return one page of matching changes, newest first, and how many match.

    With ``count=False`` the total is not queried and is returned as -1.
    """
    query = _filtered(filters)
    total = -1
    if count:
        counted = query.with_only_columns(ChangeEvent.id).subquery()
        total = session.scalar(select(func.count()).select_from(counted)) or 0
    rows = session.execute(
        query.order_by(ChangeEvent.occurred_at.desc(), ChangeEvent.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [_item(*row) for row in rows], total


# Built once: creating aliases is costly, and every listing joins the same two.
_NEW_VERSION = aliased(Version, name="new_version")
_OLD_VERSION = aliased(Version, name="old_version")


def _filtered(filters: ChangeFilter) -> Select[Any]:
    new_version, old_version = _NEW_VERSION, _OLD_VERSION
    query = (
        select(
            ChangeEvent,
            Platform.name,
            Document.record_id,
            Document.terms_type,
            new_version.number,
            old_version.number,
            Provision.record_id,
        )
        .join(Platform, Platform.id == ChangeEvent.platform_id)
        .join(Document, Document.id == ChangeEvent.document_id)
        .join(new_version, new_version.id == ChangeEvent.version_id)
        .outerjoin(old_version, old_version.id == ChangeEvent.previous_version_id)
        .outerjoin(Provision, Provision.id == ChangeEvent.provision_id)
    )
    if filters.platform_id:
        query = query.where(ChangeEvent.platform_id == filters.platform_id)
    if filters.document_record_id:
        query = query.where(Document.record_id == filters.document_record_id.upper())
    if filters.kind:
        query = query.where(ChangeEvent.kind == filters.kind)
    if filters.provisions_only:
        query = query.where(ChangeEvent.kind != "version")
    if filters.since is not None:
        query = query.where(ChangeEvent.occurred_at >= filters.since)
    if filters.material_only:
        query = query.where(ChangeEvent.material.is_(True))
    if filters.min_severity in SEVERITIES:
        allowed = SEVERITIES[SEVERITIES.index(filters.min_severity) :]
        query = query.where(ChangeEvent.max_severity.in_(allowed))
    if filters.clause_type_id:
        # The summary stores clause types as JSON lists of ids; matching the quoted id
        # in its text works the same on SQLite and PostgreSQL.
        # NOTE: a key term equal to a quoted clause type id would also match.
        quoted = '%"' + _escape_like(filters.clause_type_id) + '"%'
        query = query.where(cast(ChangeEvent.summary, String).like(quoted, escape="\\"))
    return query


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _item(
    event: ChangeEvent,
    platform_name: str,
    document_record_id: str,
    terms_type: str,
    version_number: int,
    previous_version_number: int | None,
    provision_record_id: str | None,
) -> ChangeItem:
    return ChangeItem(
        id=event.id,
        kind=event.kind,
        material=event.material,
        occurred_at=event.occurred_at,
        sentence=event.sentence,
        summary=dict(event.summary or {}),
        max_severity=event.max_severity,
        platform_id=event.platform_id,
        platform_name=platform_name,
        document_record_id=document_record_id,
        terms_type=terms_type,
        version_number=version_number,
        previous_version_number=previous_version_number,
        provision_record_id=provision_record_id,
    )
