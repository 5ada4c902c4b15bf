"""The data-access layer: one Store per process, one unit of work per tracked document.

Pipeline code never writes SQL. It calls a `DocumentWork` to record snapshots,
versions, provisions and changes. The unit of work commits them together or not at
all, so an interrupted run leaves each document either as it was or fully updated.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from clausewatch.db.engine import (
    make_engine,
    migrate,
    session_factory,
    sqlite_file,
    stored_revisions,
    unreachable_database,
)
from clausewatch.db.models import (
    Document,
    Platform,
    Snapshot,
)
from clausewatch.db.record_ids import next_record_ids
from clausewatch.db.work import DocumentWork
from clausewatch.errors import ConfigurationError, MissingDatabaseError, NotFoundError
from clausewatch.settings import Settings
from clausewatch.snapshot import BlobStore

logger = logging.getLogger(__name__)


def _create_engine(settings: Settings) -> Engine:
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigurationError(
            f"cannot use {settings.data_dir} as the data directory: "
            f"{error.strerror}; give a writable folder with --data-dir or "
            "CLAUSEWATCH_DATA_DIR"
        ) from error
    return make_engine(settings.resolved_database_url)


def _existing_engine(settings: Settings) -> Engine:
    """Open the engine of a database that ``clausewatch init`` has created.

    A SQLite file that does not exist is not created, and a database without the
    clausewatch tables (an empty SQLite file, a new PostgreSQL database) is
    reported, not filled.
    """
    url = settings.resolved_database_url
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        raise MissingDatabaseError(_missing_database_message(settings, str(path)))
    engine = make_engine(url, create_folder=False)
    try:
        revisions = stored_revisions(engine)
    except OperationalError as error:
        engine.dispose()
        raise unreachable_database(engine, error) from error
    if not revisions:
        engine.dispose()
        where = str(path) if path is not None else engine.url.render_as_string()
        raise MissingDatabaseError(
            _missing_database_message(
                settings, f"{where} (it has no clausewatch tables)"
            )
        )
    return engine


def _missing_database_message(settings: Settings, where: str) -> str:
    option = (
        "--database-url or CLAUSEWATCH_DATABASE_URL"
        if settings.database_url
        else "--data-dir or CLAUSEWATCH_DATA_DIR"
    )
    return (
        f"no clausewatch database at {where}; run clausewatch init to create it, "
        f"or check {option} if it should already exist"
    )


@dataclass(frozen=True)
class Counts:
    platforms: int
    documents: int
    snapshots: int
    versions: int
    provisions: int
    provision_texts: int
    change_events: int
    suspect_captures: int

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


class Store:
    """Database and blob store of one data directory."""

    def __init__(self, engine: Engine, blobs: BlobStore) -> None:
        self.engine = engine
        self.blobs = blobs
        self.sessions: sessionmaker[Session] = session_factory(engine)

    @classmethod
    def open(cls, settings: Settings, *, create: bool = True) -> Store:
        """Open the store described by settings and migrate it to the latest schema.

        With ``create`` (the default) the data directory and the database are
        created when missing. Without it, commands that only read stop with
        MissingDatabaseError instead of creating an empty store at a mistyped path.
        """
        if create:
            engine = _create_engine(settings)
        else:
            engine = _existing_engine(settings)
        migrate(engine)
        blobs = BlobStore(settings.blob_dir)
        blobs.remove_stale_temporaries()
        return cls(engine, blobs)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Open a read-mostly session, committed on success, rolled back on error."""
        with self.sessions() as session, session.begin():
            yield session

    def ensure_document(
        self,
        *,
        platform_id: str,
        platform_name: str,
        terms_type: str,
        category: str | None = None,
        declaration: dict[str, Any] | None = None,
    ) -> int:
        """Create the platform and document rows if needed.

        Returns the document's id.
        """
        entry = DocumentEntry(
            platform_id, platform_name, terms_type, category, declaration
        )
        return self.ensure_documents([entry])[0]

    def imported_snapshot_keys(self) -> set[tuple[str, datetime]]:
        """Return the SHA-256 and date of every snapshot stored by an import."""
        with self.session() as session:
            rows = session.execute(
                select(Snapshot.sha256, Snapshot.fetched_at).where(
                    Snapshot.origin == "import"
                )
            )
            return {(sha256, fetched_at) for sha256, fetched_at in rows}

    def ensure_documents(self, entries: Sequence[DocumentEntry]) -> list[int]:
        """Create the platform and document rows of many documents at once.

        One transaction serves them all: a tracking run starts by ensuring every
        declared document, and one transaction each took about a third of a run in
        which nothing changed. Returns the document ids in entry order.
        """
        with self.session() as session:
            return [_ensure_document(session, entry) for entry in entries]

    @contextmanager
    def document_work(self, document_id: int) -> Iterator[DocumentWork]:
        """Open the unit of work of one document, whose writes commit together."""
        with self.sessions() as session, session.begin():
            document = session.get(Document, document_id)
            if document is None:
                raise NotFoundError(f"document {document_id} does not exist")
            yield DocumentWork(session, document)

    def document_id(self, platform_id: str, terms_type: str) -> int | None:
        """Return the id of a platform's document of a terms type, if it is stored."""
        with self.session() as session:
            return session.scalar(
                select(Document.id).where(
                    Document.platform_id == platform_id,
                    Document.terms_type == terms_type,
                )
            )

    @contextmanager
    def new_document_work(self, entry: DocumentEntry) -> Iterator[DocumentWork]:
        """Open a unit of work that creates a document, kept only with a version.

        The platform and document rows are created in the unit of work. When it ends
        without a version of the document, everything in it is rolled back, so a
        document (and a platform) never exists without a version because of it.
        """
        with self.sessions() as session, session.begin():
            document = session.get_one(Document, _ensure_document(session, entry))
            work = DocumentWork(session, document)
            yield work
            if work.latest_version_id() is None:
                session.rollback()

    def platform_names(self, platform_ids: Iterable[str]) -> dict[str, str]:
        """Return the stored name of each of these platforms that exists."""
        with self.session() as session:
            rows = session.execute(
                select(Platform.id, Platform.name).where(
                    Platform.id.in_(set(platform_ids))
                )
            )
            return {platform_id: name for platform_id, name in rows}

    def platform_ids_named(self, names: Iterable[str]) -> dict[str, str]:
        """Return the id of the stored platform of each of these names that exists.

        Of several platforms with one name, the first id in sort order is returned.
        """
        with self.session() as session:
            rows = session.execute(
                select(Platform.name, Platform.id)
                .where(Platform.name.in_(set(names)))
                .order_by(Platform.id.desc())
            )
            return {name: platform_id for name, platform_id in rows}

    def record_error(self, document_id: int, message: str, at: datetime) -> None:
        """Store a failed fetch or extraction on the document, changing nothing else."""
        with self.session() as session:
            document = session.get(Document, document_id)
            if document is not None:
                document.last_error = message
                document.last_error_at = at

    def counts(self) -> Counts:
        from clausewatch.db import models

        tables = {
            "platforms": models.Platform,
            "documents": models.Document,
            "snapshots": models.Snapshot,
            "versions": models.Version,
            "provisions": models.Provision,
            "provision_texts": models.ProvisionText,
            "change_events": models.ChangeEvent,
            "suspect_captures": models.SuspectCapture,
        }
        with self.session() as session:
            values = {
                name: session.scalar(select(func.count()).select_from(model)) or 0
                for name, model in tables.items()
            }
        return Counts(**values)

    def snapshot_hashes(self) -> list[str]:
        """Return every distinct SHA-256 referenced by a snapshot row, sorted."""
        with self.session() as session:
            return list(
                session.scalars(
                    select(Snapshot.sha256).distinct().order_by(Snapshot.sha256)
                )
            )


@dataclass(frozen=True)
class DocumentEntry:
    """A document to create if missing, with its platform."""

    platform_id: str
    platform_name: str
    terms_type: str
    category: str | None = None
    declaration: dict[str, Any] | None = None


def _ensure_document(session: Session, entry: DocumentEntry) -> int:
    platform = session.get(Platform, entry.platform_id)
    if platform is None:
        platform = Platform(
            id=entry.platform_id, name=entry.platform_name, category=entry.category
        )
        session.add(platform)
    else:
        if platform.name != entry.platform_name:
            logger.warning(
                "platform %s is renamed from %r to %r by its declaration",
                entry.platform_id,
                platform.name,
                entry.platform_name,
            )
        platform.name = entry.platform_name
        platform.category = entry.category or platform.category
    document = session.execute(
        select(Document).where(
            Document.platform_id == entry.platform_id,
            Document.terms_type == entry.terms_type,
        )
    ).scalar_one_or_none()
    if document is None:
        (record_id,) = next_record_ids(session, "D")
        document = Document(
            record_id=record_id,
            platform_id=entry.platform_id,
            terms_type=entry.terms_type,
            declaration=entry.declaration,
        )
        session.add(document)
    elif entry.declaration is not None:
        _warn_of_new_urls(document, entry.declaration)
        document.declaration = entry.declaration
    session.flush()
    return document.id


def _page_urls(declaration: dict[str, Any] | None) -> list[str]:
    pages = (declaration or {}).get("pages") or []
    return [str(page.get("url")) for page in pages if page.get("url")]


def _warn_of_new_urls(document: Document, declaration: dict[str, Any]) -> None:
    """Log when a declaration moves a tracked document to other URLs.

    A platform that moves its policy is a real event, but so is a declaration that
    reuses a platform id by mistake, and the next version would then hold another
    document's text. The warning lets a person tell the two apart.
    """
    before, after = _page_urls(document.declaration), _page_urls(declaration)
    if before and after and before != after:
        logger.warning(
            "document %s (%s %s) now fetches %s instead of %s; its next version "
            "comes from the new address",
            document.record_id,
            document.platform_id,
            document.terms_type,
            ", ".join(after),
            ", ".join(before),
        )
