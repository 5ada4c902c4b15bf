"""Re-run classification over stored provisions without fetching anything.

Each platform's contacts are extracted again from its latest versions too, because
the extraction rules change with the code just as the classifier does.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select

from clausewatch.db.models import (
    Analysis,
    ChangeEvent,
    ClassificationRun,
    Document,
    Platform,
    ProvisionText,
    Version,
)
from clausewatch.db.store import Store
from clausewatch.db.work import DocumentWork, refresh_current_clauses
from clausewatch.segment import Segment, segment_markdown
from clausewatch.tracking.analyze import Analyzer
from clausewatch.tracking.changes import build_change_records
from clausewatch.tracking.contacts import refresh_contacts

logger = logging.getLogger(__name__)


@dataclass
class ReclassifyReport:
    documents: int = 0
    provision_texts: int = 0
    labelled: int = 0
    contacts: int = 0
    model_version: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def document_ids(store: Store) -> list[int]:
    with store.session() as session:
        return list(session.scalars(select(Document.id).order_by(Document.id)))


def platform_ids(store: Store) -> list[str]:
    with store.session() as session:
        return list(session.scalars(select(Platform.id).order_by(Platform.id)))


def reclassify(
    store: Store,
    analyzer: Analyzer,
    *,
    on_document: Callable[[int], None] | None = None,
) -> ReclassifyReport:
    """Replace every stored analysis with the current classifier's.

    Change events are rebuilt from the new analyses too, so their clause types,
    severities and sentences follow the new model everywhere they are shown. Each
    platform's contacts are extracted again from its latest versions.
    """
    started = time.perf_counter()
    report = ReclassifyReport(model_version=analyzer.model_version)
    for document_id in document_ids(store):
        with store.document_work(document_id) as work:
            texts, labelled = _reclassify_document(work, analyzer)
        report.documents += 1
        report.provision_texts += texts
        report.labelled += labelled
        if on_document is not None:
            on_document(document_id)
    for platform_id in platform_ids(store):
        report.contacts += refresh_contacts(store, platform_id)
    report.seconds = round(time.perf_counter() - started, 3)
    logger.info(
        "reclassified %d provision texts of %d documents with %s in %.1f s",
        report.provision_texts,
        report.documents,
        report.model_version,
        report.seconds,
    )
    return report


def _reclassify_document(work: DocumentWork, analyzer: Analyzer) -> tuple[int, int]:
    session = work.session
    rows = session.execute(
        select(
            ProvisionText.id,
            ProvisionText.version_id,
            ProvisionText.position,
            ProvisionText.text,
            ProvisionText.text_sha256,
        )
        .join(Version, Version.id == ProvisionText.version_id)
        .where(Version.document_id == work.document.id)
        .order_by(ProvisionText.id)
    ).all()
    ids = [row.id for row in rows]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        session.execute(delete(Analysis).where(Analysis.provision_text_id.in_(chunk)))
        session.execute(
            delete(ClassificationRun).where(
                ClassificationRun.provision_text_id.in_(chunk)
            )
        )
    results = analyzer.analyze_texts(
        [row.text for row in rows],
        [row.text_sha256 for row in rows],
        _lead_ins(work, [(row.version_id, row.position, row.text) for row in rows]),
    )
    work.add_analyses_many(
        [
            (row.id, records, language, abstained)
            for row, (records, language, abstained) in zip(rows, results, strict=True)
        ],
        model_version=analyzer.model_version,
        analyzed_at=datetime.now(UTC),
    )
    labelled = sum(1 for records, _, _ in results if records)
    refresh_current_clauses(session, work.document)
    _rebuild_changes(work, analyzer)
    return len(rows), labelled


def _lead_ins(
    work: DocumentWork, placed_texts: Sequence[tuple[int, int, str]]
) -> list[str]:
    """Return the list lead-in of each (version id, position, text) stored.

    Lead-ins are not stored, so each version's Markdown is segmented again. When the
    segment at a stored text's position has other text, because segmentation changed
    after the version was recorded, the stored text gets no lead-in.
    """
    markdown_of = {
        row.id: row.markdown
        for row in work.session.execute(
            select(Version.id, Version.markdown).where(
                Version.document_id == work.document.id
            )
        )
    }
    segments_of: dict[int, list[Segment]] = {}
    lead_ins = []
    for version_id, position, text in placed_texts:
        if version_id not in segments_of:
            segments_of[version_id] = segment_markdown(markdown_of[version_id])
        segments = segments_of[version_id]
        segment = segments[position] if position < len(segments) else None
        if segment is not None and segment.text == text:
            lead_ins.append(segment.lead_in)
        else:
            lead_ins.append("")
    return lead_ins


def _rebuild_changes(work: DocumentWork, analyzer: Analyzer) -> None:
    """Recompute the change events of every version after the first."""
    session = work.session
    versions = session.execute(
        select(Version.id, Version.captured_at, Version.reverts_to_number)
        .where(Version.document_id == work.document.id)
        .order_by(Version.number)
    ).all()
    session.execute(
        delete(ChangeEvent).where(ChangeEvent.document_id == work.document.id)
    )
    previous = work.provisions_of(versions[0].id) if versions else []
    for version, earlier in zip(versions[1:], versions, strict=False):
        current = work.provisions_of(version.id)
        records = build_change_records(
            previous,
            current,
            platform=work.document.platform.name,
            document=work.document.terms_type,
            analyzer=analyzer,
            reverts_to=version.reverts_to_number,
        )
        work.add_changes(
            version_id=version.id,
            previous_version_id=earlier.id,
            occurred_at=version.captured_at,
            changes=records,
        )
        previous = current
