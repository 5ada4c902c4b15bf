"""The unit of work of one document: every write of one capture goes through here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from clausewatch.db.models import (
    Analysis,
    Base,
    ChangeEvent,
    ClassificationRun,
    CurrentClause,
    Document,
    Provision,
    ProvisionText,
    Snapshot,
    SuspectCapture,
    Version,
    VersionSnapshot,
)
from clausewatch.db.record_ids import next_record_ids
from clausewatch.db.search_index import index_version_texts


@dataclass(frozen=True)
class LatestVersion:
    id: int
    number: int
    captured_at: datetime
    text_sha256: str
    markdown: str


@dataclass(frozen=True)
class StoredProvision:
    """A provision as it appears in one stored version."""

    provision_id: int
    record_id: str
    text_id: int
    position: int
    heading_path: tuple[str, ...]
    text: str
    text_sha256: str
    clause_types: frozenset[str]
    severity: str | None


@dataclass(frozen=True)
class NewProvisionText:
    """A provision text to store in a new version (provision_id None: a new clause)."""

    provision_id: int | None
    position: int
    heading_path: tuple[str, ...]
    kind: str
    text: str
    text_sha256: str
    match_similarity: float | None


@dataclass(frozen=True)
class AnalysisRecord:
    clause_type_id: str
    confidence: float
    source: str
    severity: str
    severity_reason: str
    stance: str = "affirms"


@dataclass(frozen=True)
class ChangeRecord:
    kind: str
    material: bool
    sentence: str
    summary: dict[str, Any]
    provision_id: int | None = None
    max_severity: str | None = None


SEVERITY_ORDER = {"Low": 0, "Medium": 1, "High": 2, "Critical": 3}


class DocumentWork:
    def __init__(self, session: Session, document: Document) -> None:
        self.session = session
        self.document = document

    # -- reading -------------------------------------------------------------------

    def latest_version(self) -> LatestVersion | None:
        row = self.session.execute(
            select(Version)
            .where(Version.document_id == self.document.id)
            .order_by(Version.number.desc())
            .limit(1)
        ).scalar_one_or_none()
        if row is None:
            return None
        return LatestVersion(
            row.id, row.number, row.captured_at, row.text_sha256, row.markdown
        )

    def latest_version_id(self) -> int | None:
        """Return the id of the latest version without loading its text."""
        return self.session.scalar(
            select(Version.id)
            .where(Version.document_id == self.document.id)
            .order_by(Version.number.desc())
            .limit(1)
        )

    def latest_suspect_since(self, moment: datetime) -> SuspectCapture | None:
        """Return the latest suspect capture made at or after `moment`."""
        return self.session.execute(
            select(SuspectCapture)
            .where(
                SuspectCapture.document_id == self.document.id,
                SuspectCapture.captured_at >= moment,
            )
            .order_by(SuspectCapture.captured_at.desc(), SuspectCapture.id.desc())
            .limit(1)
        ).scalar_one_or_none()

    def version_number_with_text(self, text_sha256: str) -> int | None:
        """Return the number of the latest earlier version with exactly this text."""
        return self.session.scalar(
            select(Version.number)
            .where(
                Version.document_id == self.document.id,
                Version.text_sha256 == text_sha256,
            )
            .order_by(Version.number.desc())
            .limit(1)
        )

    def has_snapshot(self, sha256: str, fetched_at: datetime, origin: str) -> bool:
        found = self.session.scalar(
            select(Snapshot.id)
            .where(
                Snapshot.document_id == self.document.id,
                Snapshot.sha256 == sha256,
                Snapshot.fetched_at == fetched_at,
                Snapshot.origin == origin,
            )
            .limit(1)
        )
        return found is not None

    def latest_snapshot_hash(self, url: str) -> str | None:
        """Return the SHA-256 of this URL's latest capture that is part of a version."""
        return self.session.scalar(
            select(Snapshot.sha256)
            .join(VersionSnapshot, VersionSnapshot.snapshot_id == Snapshot.id)
            .where(Snapshot.document_id == self.document.id, Snapshot.url == url)
            .order_by(Snapshot.fetched_at.desc(), Snapshot.id.desc())
            .limit(1)
        )

    def provisions_of(self, version_id: int) -> list[StoredProvision]:
        rows = self.session.execute(
            select(
                ProvisionText.id,
                ProvisionText.provision_id,
                ProvisionText.position,
                ProvisionText.heading_path,
                ProvisionText.text,
                ProvisionText.text_sha256,
                Provision.record_id,
            )
            .join(Provision, Provision.id == ProvisionText.provision_id)
            .where(ProvisionText.version_id == version_id)
            .order_by(ProvisionText.position)
        ).all()
        labels = self._labels_of(version_id)
        return [
            StoredProvision(
                provision_id=row.provision_id,
                record_id=row.record_id,
                text_id=row.id,
                position=row.position,
                heading_path=tuple(row.heading_path),
                text=row.text,
                text_sha256=row.text_sha256,
                clause_types=frozenset(labels.get(row.id, {})),
                severity=_max_severity(labels.get(row.id, {}).values()),
            )
            for row in rows
        ]

    def provisions_written(
        self,
        version_id: int,
        stored: Sequence[tuple[int, int, str]],
        texts: Sequence[NewProvisionText],
    ) -> list[StoredProvision]:
        """Return the provisions that add_provision_texts just wrote, with their labels.

        Gives the same list as ``provisions_of`` for the new version, but builds it
        from the texts in memory, because reading a version's texts back costs about
        as much as writing them. Only the labels are read from the database.
        """
        ordered = sorted(texts, key=lambda text: text.position)
        labels = self._labels_of(version_id)
        return [
            StoredProvision(
                provision_id=provision_id,
                record_id=record_id,
                text_id=text_id,
                position=text.position,
                heading_path=text.heading_path,
                text=text.text,
                text_sha256=text.text_sha256,
                clause_types=frozenset(labels.get(text_id, {})),
                severity=_max_severity(labels.get(text_id, {}).values()),
            )
            for (provision_id, text_id, record_id), text in zip(
                stored, ordered, strict=True
            )
        ]

    def _labels_of(self, version_id: int) -> dict[int, dict[str, str]]:
        """Return {text id: {clause type: severity}} for the texts of one version."""
        # One join on the version replaces IN lists of text ids, which cost a query
        # per 500 texts and their parameters even when nothing was classified.
        labels: dict[int, dict[str, str]] = {}
        for text_id, clause_type, severity in self.session.execute(
            select(
                Analysis.provision_text_id, Analysis.clause_type_id, Analysis.severity
            )
            .join(ProvisionText, ProvisionText.id == Analysis.provision_text_id)
            .where(ProvisionText.version_id == version_id)
        ):
            labels.setdefault(text_id, {})[clause_type] = severity
        return labels

    def retired_provisions_by_text(self) -> dict[str, int]:
        """Map text hash -> provision id for clauses absent from the latest version.

        A clause that disappears and later returns word for word keeps its record ID.
        """
        rows = self.session.execute(
            select(ProvisionText.text_sha256, Provision.id)
            .join(Provision, Provision.id == ProvisionText.provision_id)
            .where(
                Provision.document_id == self.document.id,
                Provision.is_current.is_(False),
            )
            .order_by(ProvisionText.id)
        )
        return {text_sha: provision_id for text_sha, provision_id in rows}

    # -- writing -------------------------------------------------------------------

    def add_snapshot(
        self,
        *,
        sha256: str,
        url: str,
        final_url: str,
        status: int,
        content_type: str,
        headers: dict[str, str] | None,
        size: int,
        fetched_at: datetime,
        origin: str,
        imported_from: str | None = None,
    ) -> int:
        snapshot = Snapshot(
            document_id=self.document.id,
            sha256=sha256,
            url=url,
            final_url=final_url,
            status=status,
            content_type=content_type,
            headers=headers,
            size=size,
            fetched_at=fetched_at,
            origin=origin,
            imported_from=imported_from,
        )
        self.session.add(snapshot)
        self.session.flush()
        if (
            self.document.first_tracked_at is None
            or fetched_at < self.document.first_tracked_at
        ):
            self.document.first_tracked_at = fetched_at
        return snapshot.id

    def mark_verified(self, at: datetime) -> None:
        """Record a successful capture.

        Advance last_verified_at (never backwards) and clear the last error.
        """
        if (
            self.document.last_verified_at is None
            or at > self.document.last_verified_at
        ):
            self.document.last_verified_at = at
        self.document.last_error = None
        self.document.last_error_at = None

    def link_snapshots(self, version_id: int, snapshot_ids: Iterable[int]) -> None:
        for snapshot_id in snapshot_ids:
            self.session.add(
                VersionSnapshot(version_id=version_id, snapshot_id=snapshot_id)
            )
        self.session.flush()

    def add_suspect(
        self,
        *,
        snapshot_id: int | None,
        captured_at: datetime,
        reason: str,
        length: int,
    ) -> None:
        """Record a capture kept out of the history, and show why on the document.

        The reason stays the document's last error until a capture is accepted.
        """
        self.document.last_error = f"suspect capture kept out of the history: {reason}"
        self.document.last_error_at = captured_at
        self.session.add(
            SuspectCapture(
                document_id=self.document.id,
                snapshot_id=snapshot_id,
                captured_at=captured_at,
                reason=reason,
                text_length=length,
            )
        )
        self.session.flush()

    def add_version(
        self,
        *,
        number: int,
        captured_at: datetime,
        text_sha256: str,
        markdown: str,
        stated_date: date | None,
        reverts_to_number: int | None,
    ) -> int:
        version = Version(
            document_id=self.document.id,
            number=number,
            captured_at=captured_at,
            text_sha256=text_sha256,
            markdown=markdown,
            stated_date=stated_date,
            reverts_to_number=reverts_to_number,
        )
        self.session.add(version)
        self.session.flush()
        return version.id

    def add_provision_texts(
        self, version_id: int, texts: Sequence[NewProvisionText]
    ) -> list[tuple[int, int, str]]:
        """Store a version's provisions.

        Returns (provision_id, text_id, record_id) for each text. New clauses get new
        record IDs. Every provision of the version becomes current and its last version
        moves here. Clauses not in this version stop being current.
        Rows are written with bulk inserts because large documents have over a thousand
        provisions.
        """
        new_positions = [text.position for text in texts if text.provision_id is None]
        fresh_ids = next_record_ids(self.session, "P", len(new_positions))
        created: dict[int, int] = {}
        provisions = _table(Provision)
        if new_positions:
            rows = self.session.execute(
                insert(provisions).returning(provisions.c.id, provisions.c.record_id),
                [
                    {
                        "record_id": record_id,
                        "document_id": self.document.id,
                        "first_version_id": version_id,
                        "last_version_id": version_id,
                        "is_current": True,
                    }
                    for record_id in fresh_ids
                ],
            ).all()
            by_record = {record_id: provision_id for provision_id, record_id in rows}
            created = {
                position: by_record[record_id]
                for position, record_id in zip(new_positions, fresh_ids, strict=True)
            }
        provision_ids = [
            text.provision_id
            if text.provision_id is not None
            else created[text.position]
            for text in texts
        ]
        if texts:
            self.session.execute(
                insert(_table(ProvisionText)),
                [
                    {
                        "provision_id": provision_id,
                        "version_id": version_id,
                        "position": text.position,
                        "heading_path": list(text.heading_path),
                        "kind": text.kind,
                        "text": text.text,
                        "text_sha256": text.text_sha256,
                        "match_similarity": text.match_similarity,
                    }
                    for provision_id, text in zip(provision_ids, texts, strict=True)
                ],
            )
            index_version_texts(self.session, version_id)

        # Only the rows that were current can change to not current, so retired
        # provisions of a long history are not rewritten at every version.
        in_version = select(ProvisionText.provision_id).where(
            ProvisionText.version_id == version_id
        )
        self.session.execute(
            update(provisions)
            .where(
                provisions.c.document_id == self.document.id,
                provisions.c.is_current.is_(True),
                provisions.c.id.not_in(in_version),
            )
            .values(is_current=False)
        )
        self.session.execute(
            update(provisions)
            .where(provisions.c.id.in_(in_version))
            .values(is_current=True, last_version_id=version_id)
        )
        rows = self.session.execute(
            select(ProvisionText.provision_id, ProvisionText.id, Provision.record_id)
            .join(Provision, Provision.id == ProvisionText.provision_id)
            .where(ProvisionText.version_id == version_id)
            .order_by(ProvisionText.position)
        ).all()
        return [
            (provision_id, text_id, record_id)
            for provision_id, text_id, record_id in rows
        ]

    def add_analyses(
        self,
        text_id: int,
        records: Sequence[AnalysisRecord],
        *,
        language: str,
        abstained: bool,
        model_version: str,
        analyzed_at: datetime,
    ) -> None:
        self.add_analyses_many(
            [(text_id, records, language, abstained)],
            model_version=model_version,
            analyzed_at=analyzed_at,
        )

    def add_analyses_many(
        self,
        items: Sequence[tuple[int, Sequence[AnalysisRecord], str, bool]],
        *,
        model_version: str,
        analyzed_at: datetime,
    ) -> None:
        """Store (text id, analysis records, language, abstained) for many texts."""
        if not items:
            return
        self.session.execute(
            insert(_table(ClassificationRun)),
            [
                {
                    "provision_text_id": text_id,
                    "language": language,
                    "abstained": abstained,
                    "model_version": model_version,
                    "analyzed_at": analyzed_at,
                }
                for text_id, _, language, abstained in items
            ],
        )
        analyses = [
            {
                "provision_text_id": text_id,
                "clause_type_id": record.clause_type_id,
                "confidence": record.confidence,
                "source": record.source,
                "severity": record.severity,
                "severity_reason": record.severity_reason,
                "stance": record.stance,
                "model_version": model_version,
                "analyzed_at": analyzed_at,
            }
            for text_id, records, _, _ in items
            for record in records
        ]
        if analyses:
            self.session.execute(insert(_table(Analysis)), analyses)

    def add_changes(
        self,
        *,
        version_id: int,
        previous_version_id: int | None,
        occurred_at: datetime,
        changes: Sequence[ChangeRecord],
    ) -> None:
        if not changes:
            return
        self.session.execute(
            insert(_table(ChangeEvent)),
            [
                {
                    "platform_id": self.document.platform_id,
                    "document_id": self.document.id,
                    "version_id": version_id,
                    "previous_version_id": previous_version_id,
                    "provision_id": change.provision_id,
                    "kind": change.kind,
                    "material": change.material,
                    "occurred_at": occurred_at,
                    "sentence": change.sentence,
                    "summary": change.summary,
                    "max_severity": change.max_severity,
                }
                for change in changes
            ],
        )


def _table(model: type[Base]) -> Table:
    """Return the Core table of a model, for bulk inserts and updates.

    Core statements skip the ORM's per-row bookkeeping, which costs more than SQLite
    itself in bulk (about 30 us against 12 us a row of provision text). They do not
    refresh ORM objects in the session, and no unit of work loads objects of the
    tables written this way.
    """
    return cast(Table, model.__table__)


def _max_severity(severities: Iterable[str]) -> str | None:
    ranked = sorted(severities, key=lambda level: SEVERITY_ORDER.get(level, -1))
    return ranked[-1] if ranked else None


def refresh_current_clauses(session: Session, document: Document) -> None:
    """Rebuild the current-clause rows of a document from its latest version."""
    session.execute(
        delete(CurrentClause).where(CurrentClause.document_id == document.id)
    )
    latest_id = (
        select(Version.id)
        .where(Version.document_id == document.id)
        .order_by(Version.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            ProvisionText.provision_id,
            Analysis.clause_type_id,
            ProvisionText.id,
            Analysis.severity,
            Analysis.confidence,
            Analysis.stance,
        )
        .join(Analysis, Analysis.provision_text_id == ProvisionText.id)
        .where(ProvisionText.version_id == latest_id)
    ).all()
    if rows:
        session.execute(
            insert(_table(CurrentClause)),
            [
                {
                    "provision_id": row.provision_id,
                    "clause_type_id": row.clause_type_id,
                    "provision_text_id": row.id,
                    "platform_id": document.platform_id,
                    "document_id": document.id,
                    "severity": row.severity,
                    "confidence": row.confidence,
                    "stance": row.stance,
                }
                for row in rows
            ],
        )
