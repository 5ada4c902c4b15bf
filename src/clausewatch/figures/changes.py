"""The changes feed and platform timelines, read from stored change events.

Every page, feed and command that lists changes calls ``list_changes``, so a filter
means the same thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, literal_column, select, tuple_
from sqlalchemy.orm import Session, aliased

from clausewatch.db.models import ChangeEvent, Document, Platform, Provision, Version
from clausewatch.diff import WordDiff
from clausewatch.errors import ClausewatchError, NotFoundError
from clausewatch.figures import records
from clausewatch.suggestions import close_matches
from clausewatch.taxonomy import default_taxonomy

SEVERITIES = ("Low", "Medium", "High", "Critical")
CHANGE_KINDS = ("version", "added", "removed", "modified", "moved", "reclassified")
MAX_PAGE_SIZE = 500
# Event, platform name, document record ID, terms type, version number, previous
# version number and provision record ID (both None where outer joins find no row).
ChangeQuery = Select[ChangeEvent, str, str, str, int, int, str]


class InvalidFilterError(ClausewatchError, ValueError):
    """A changes filter names an unknown kind or severity, or a page is out of range."""

    exit_code = 2


@dataclass(frozen=True)
class ChangeFilter:
    """The changes to list. None or False leaves a dimension unfiltered.

    ``min_severity`` keeps changes whose highest severity before or after is at least
    that level. ``clause_type_id`` keeps changes whose provision had the type before or
    after the change. ``since`` and ``until`` bound the capture time of the version
    that shows the change (``until`` excluded).
    """

    platform_id: str | None = None
    document_record_id: str | None = None
    clause_type_id: str | None = None
    min_severity: str | None = None
    material_only: bool = False
    kind: str | None = None
    provisions_only: bool = False
    since: datetime | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        if self.min_severity is not None and self.min_severity not in SEVERITIES:
            raise InvalidFilterError(
                f"invalid severity {self.min_severity!r}: use one of "
                f"{', '.join(SEVERITIES)}"
            )
        if self.kind is not None and self.kind not in CHANGE_KINDS:
            raise InvalidFilterError(
                f"invalid change kind {self.kind!r}: use one of "
                f"{', '.join(CHANGE_KINDS)}"
            )


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


@dataclass(frozen=True)
class ChangePage:
    """One page of changes, newest first, with the number of all matching changes."""

    items: tuple[ChangeItem, ...]
    total: int
    limit: int
    offset: int


def list_changes(
    session: Session, filters: ChangeFilter, *, limit: int = 50, offset: int = 0
) -> ChangePage:
    """Return one page of matching changes, newest first, and how many match."""
    if not 1 <= limit <= MAX_PAGE_SIZE or offset < 0:
        raise InvalidFilterError(
            f"invalid page limit={limit} offset={offset}: the limit must be 1 to "
            f"{MAX_PAGE_SIZE} and the offset 0 or more"
        )
    query = _filtered(session, filters)
    total = session.scalar(
        select(func.count()).select_from(
            query.with_only_columns(ChangeEvent.id).subquery()
        )
    )
    rows = session.execute(
        query.order_by(ChangeEvent.occurred_at.desc(), ChangeEvent.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return ChangePage(tuple(_item(*row) for row in rows), total or 0, limit, offset)


def changes_after(
    session: Session,
    filters: ChangeFilter,
    *,
    after: tuple[datetime, int] | None,
    limit: int,
) -> list[ChangeItem]:
    """Return up to ``limit`` matching changes, oldest first, after a key.

    The key is the (occurred_at, id) of the last change already read, so bulk exports
    page through every change without an offset that grows with the store.
    """
    query = _filtered(session, filters)
    if after is not None:
        query = query.where(tuple_(ChangeEvent.occurred_at, ChangeEvent.id) > after)
    rows = session.execute(
        query.order_by(ChangeEvent.occurred_at, ChangeEvent.id).limit(limit)
    ).all()
    return [_item(*row) for row in rows]


def _filtered(session: Session, filters: ChangeFilter) -> ChangeQuery:
    new_version = aliased(Version)
    old_version = aliased(Version)
    query: ChangeQuery = (
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
    if filters.until is not None:
        query = query.where(ChangeEvent.occurred_at < filters.until)
    if filters.material_only:
        query = query.where(ChangeEvent.material.is_(True))
    if filters.min_severity:
        allowed = SEVERITIES[SEVERITIES.index(filters.min_severity) :]
        query = query.where(ChangeEvent.max_severity.in_(allowed))
    if filters.clause_type_id:
        query = query.where(_has_clause_type(session, filters.clause_type_id))
    return query


def _has_clause_type(session: Session, clause_type_id: str) -> Any:
    """SQL condition: the event's summary lists the clause type before or after."""
    dialect = session.get_bind().dialect.name
    conditions = []
    for key in ("clause_types_before", "clause_types_after"):
        if dialect == "postgresql":
            elements = func.json_array_elements_text(
                ChangeEvent.summary[key]
            ).table_valued(literal_column("value"))
        else:
            elements = func.json_each(ChangeEvent.summary, f"$.{key}").table_valued(
                "value"
            )
        conditions.append(
            exists(
                select(1)
                .select_from(elements)
                .where(elements.c.value == clause_type_id)
            )
        )
    return conditions[0] | conditions[1]


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


@dataclass(frozen=True)
class TimelineEntry:
    """One new version of one of a platform's documents, with what it changed."""

    occurred_at: datetime
    document_record_id: str
    terms_type: str
    version_number: int
    sentence: str
    material: bool
    max_severity: str | None
    counts: dict[str, int]


def platform_timeline(
    session: Session, platform_id: str, *, limit: int = 100, offset: int = 0
) -> list[TimelineEntry]:
    """List the document-level change events of a platform, newest first."""
    page = list_changes(
        session,
        ChangeFilter(platform_id=platform_id, kind="version"),
        limit=limit,
        offset=offset,
    )
    return [
        TimelineEntry(
            occurred_at=item.occurred_at,
            document_record_id=item.document_record_id,
            terms_type=item.terms_type,
            version_number=item.version_number,
            sentence=item.sentence,
            material=item.material,
            max_severity=item.max_severity,
            counts=dict(item.summary.get("counts") or {}),
        )
        for item in page.items
    ]


def check_filter_records(session: Session, filters: ChangeFilter) -> None:
    """Check that the platform, document and clause type filtered on exist.

    Raises NotFoundError naming the unknown value, so that a typo is not shown as an
    empty list of changes. An empty value filters on nothing, as in list_changes.
    """
    if filters.platform_id:
        records.get_platform(session, filters.platform_id)
    if filters.document_record_id:
        records.get_document_by_record(session, filters.document_record_id)
    if filters.clause_type_id:
        _check_clause_type(filters.clause_type_id)


def _check_clause_type(clause_type_id: str) -> None:
    known = default_taxonomy().clause_types
    if clause_type_id in known:
        return
    close = close_matches(clause_type_id, known)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise NotFoundError(
        f"no clause type with id {clause_type_id!r}: {hint}use an id listed at "
        "/clause-types, or leave the clause type filter empty"
    )
