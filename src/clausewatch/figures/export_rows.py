"""Rows of the bulk exports, read from storage in batches so memory stays flat.

Each batch runs in its own short session and continues after the last key of the
previous batch (keyset paging), so neither a long read transaction nor the whole
result is held. A row written to the store between two batches appears if its key
comes later, so an export taken during tracking is not one snapshot of the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from clausewatch.db.models import (
    Analysis,
    Document,
    Platform,
    Provision,
    ProvisionText,
    Version,
)
from clausewatch.figures import records
from clausewatch.figures.changes import ChangeFilter, ChangeItem, changes_after
from clausewatch.figures.dates import aware
from clausewatch.figures.numbering import LATEST_NUMBER_HELP, described
from clausewatch.figures.provision_page import SEVERITY_RANK, ClauseLabel, VersionRef

#: Rows read per query. Memory grows with it, not with the size of the store.
EXPORT_BATCH_SIZE = 500

SessionOpener = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True)
class ProvisionExportRow:
    """A current provision with its clause types and the dates it was seen.

    Fields named as in the API's provision record have the same meaning there.
    """

    record_id: str
    document_record_id: str
    platform_id: str
    platform_name: str
    terms_type: str
    number: int = field(metadata=described(LATEST_NUMBER_HELP))
    heading_path: tuple[str, ...]
    kind: str
    text: str
    text_sha256: str
    first_version: VersionRef
    last_version: VersionRef
    first_seen: datetime = field(
        metadata=described("Capture time of the earliest version containing it.")
    )
    last_seen: datetime = field(
        metadata=described(
            "Latest of its last version's capture, the document's latest capture "
            "and its last verified time, as clause stability gives it for a current "
            "provision."
        )
    )
    labels: tuple[ClauseLabel, ...]


def iter_provision_rows(
    open_session: SessionOpener,
    *,
    platform_id: str | None = None,
    batch_size: int = EXPORT_BATCH_SIZE,
) -> Iterator[ProvisionExportRow]:
    """Yield every current provision, by platform and document as stored.

    Raises NotFoundError before the first row when the platform does not exist.
    """
    with open_session() as session:
        if platform_id:
            records.get_platform(session, platform_id)
    after = 0
    while True:
        with open_session() as session:
            batch = _provision_batch(session, platform_id, after, batch_size)
        if not batch:
            return
        yield from (row for _, row in batch)
        after = batch[-1][0]


def iter_change_rows(
    open_session: SessionOpener,
    *,
    platform_id: str | None = None,
    batch_size: int = EXPORT_BATCH_SIZE,
) -> Iterator[ChangeItem]:
    """Yield every documented change, oldest first, as the changes API lists them.

    Raises NotFoundError before the first row when the platform does not exist.
    """
    filters = ChangeFilter(platform_id=platform_id)
    with open_session() as session:
        if platform_id:
            records.get_platform(session, platform_id)
    after: tuple[datetime, int] | None = None
    while True:
        with open_session() as session:
            batch = changes_after(session, filters, after=after, limit=batch_size)
        if not batch:
            return
        yield from batch
        after = (batch[-1].occurred_at, batch[-1].id)


def _provision_batch(
    session: Session, platform_id: str | None, after: int, limit: int
) -> list[tuple[int, ProvisionExportRow]]:
    first = aliased(Version)
    last = aliased(Version)
    query = (
        select(Provision.id, Provision.record_id, ProvisionText, Document, Platform)
        .add_columns(first.number, first.captured_at, last.number, last.captured_at)
        .join(
            ProvisionText,
            (ProvisionText.provision_id == Provision.id)
            & (ProvisionText.version_id == Provision.last_version_id),
        )
        .join(Document, Document.id == Provision.document_id)
        .join(Platform, Platform.id == Document.platform_id)
        .join(first, first.id == Provision.first_version_id)
        .join(last, last.id == Provision.last_version_id)
        .where(Provision.is_current.is_(True), Provision.id > after)
        .order_by(Provision.id)
        .limit(limit)
    )
    if platform_id:
        query = query.where(Document.platform_id == platform_id)
    rows = session.execute(query).all()
    labels = _labels_by_text(session, [row[2].id for row in rows])
    latest = _latest_captures(session, {row[3].id for row in rows})
    result = []
    for row in rows:
        provision_id, record_id, text, document, platform = row[:5]
        first_number, first_at, last_number, last_at = row[5:]
        seen = [first_at, last_at, document.last_verified_at, latest[document.id]]
        result.append(
            (
                provision_id,
                ProvisionExportRow(
                    record_id=record_id,
                    document_record_id=document.record_id,
                    platform_id=platform.id,
                    platform_name=platform.name,
                    terms_type=document.terms_type,
                    number=text.position + 1,
                    heading_path=tuple(text.heading_path),
                    kind=text.kind,
                    text=text.text,
                    text_sha256=text.text_sha256,
                    first_version=VersionRef(first_number, first_at),
                    last_version=VersionRef(last_number, last_at),
                    first_seen=first_at,
                    last_seen=max(value for value in seen if value is not None),
                    labels=labels.get(text.id, ()),
                ),
            )
        )
    return result


def _labels_by_text(
    session: Session, text_ids: Sequence[int]
) -> dict[int, tuple[ClauseLabel, ...]]:
    found: dict[int, list[ClauseLabel]] = {}
    if not text_ids:
        return {}
    rows = session.scalars(
        select(Analysis).where(Analysis.provision_text_id.in_(text_ids))
    )
    for row in rows:
        found.setdefault(row.provision_text_id, []).append(ClauseLabel.from_row(row))
    # The provision record's order: highest severity, then highest confidence.
    return {
        text_id: tuple(
            sorted(
                labels,
                key=lambda label: (
                    -SEVERITY_RANK.get(label.severity, -1),
                    -label.confidence,
                ),
            )
        )
        for text_id, labels in found.items()
    }


def _latest_captures(
    session: Session, document_ids: set[int]
) -> dict[int, datetime | None]:
    if not document_ids:
        return {}
    rows = session.execute(
        select(Version.document_id, func.max(Version.captured_at))
        .where(Version.document_id.in_(document_ids))
        .group_by(Version.document_id)
    )
    return {document_id: aware(latest) for document_id, latest in rows}
