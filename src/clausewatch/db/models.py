"""Database schema: tables of platforms, documents, snapshots, versions and provisions.

One schema serves SQLite (the embedded default) and PostgreSQL. Alembic migrations in
``clausewatch/db/migrations`` create it, and a test checks they match these models.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names, so migrations look the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and always returned timezone-aware.

    SQLite has no time zones, so storing naive UTC everywhere keeps comparisons and
    ordering identical on both databases.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Any
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(
                f"naive datetime {value!r} given. Use a timezone-aware UTC datetime."
            )
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: datetime | None, dialect: Any
    ) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """Return the current time, timezone-aware UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class RecordCounter(Base):
    """Monotonic counters behind record IDs. A value is never handed out twice."""

    __tablename__ = "record_counters"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Platform(Base):
    __tablename__ = "platforms"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    documents: Mapped[list[Document]] = relationship(back_populates="platform")


class Document(Base):
    """One governance document of a platform, of one terms type."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("platform_id", "terms_type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(String(16), unique=True)
    platform_id: Mapped[str] = mapped_column(ForeignKey("platforms.id"), index=True)
    terms_type: Mapped[str] = mapped_column(String(80))
    # The declaration as last tracked (URLs, selectors), kept for provenance and
    # re-extraction.
    declaration: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_tracked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    platform: Mapped[Platform] = relationship(back_populates="documents")
    versions: Mapped[list[Version]] = relationship(
        back_populates="document", order_by="Version.number"
    )


class Snapshot(Base):
    """One capture of a source page: raw bytes in the blob store, keyed by SHA-256."""

    __tablename__ = "snapshots"
    __table_args__ = (Index(None, "document_id", "fetched_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text)
    status: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(120))
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    size: Mapped[int] = mapped_column(Integer)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # "fetch" for a live capture, "browser" when rendered, "import" for a history file.
    origin: Mapped[str] = mapped_column(String(16), default="fetch")
    # For an imported snapshot, the absolute path of the history it came from (None
    # for snapshots imported before this was recorded).
    imported_from: Mapped[str | None] = mapped_column(Text)


class Version(Base):
    """A distinct normalized text of a document, created only when the text changes."""

    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("document_id", "number"),
        Index(None, "document_id", "captured_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    number: Mapped[int] = mapped_column(Integer)
    captured_at: Mapped[datetime] = mapped_column(UTCDateTime)
    text_sha256: Mapped[str] = mapped_column(String(64), index=True)
    markdown: Mapped[str] = mapped_column(Text)
    stated_date: Mapped[date | None] = mapped_column(Date)
    # Number of the earlier version whose text this one returns to, if any.
    reverts_to_number: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[Document] = relationship(back_populates="versions")


class VersionSnapshot(Base):
    """Snapshot a version was extracted from (a combined document has several)."""

    __tablename__ = "version_snapshots"

    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("snapshots.id"), primary_key=True
    )


class SuspectCapture(Base):
    """A capture kept as evidence but not made into a version (error page, shrink)."""

    __tablename__ = "suspect_captures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshots.id"))
    captured_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text)
    text_length: Mapped[int] = mapped_column(Integer)


class Provision(Base):
    """One clause followed across versions under a permanent record ID."""

    __tablename__ = "provisions"
    __table_args__ = (Index(None, "document_id", "is_current"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(String(16), unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    first_version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"))
    last_version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"))
    # True while the document's latest version contains this provision.
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)


class ProvisionText(Base):
    """The exact text and place of a provision in one version."""

    __tablename__ = "provision_texts"
    __table_args__ = (
        UniqueConstraint("version_id", "position"),
        Index(None, "provision_id", "version_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provision_id: Mapped[int] = mapped_column(ForeignKey("provisions.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"))
    position: Mapped[int] = mapped_column(Integer)
    heading_path: Mapped[list[str]] = mapped_column(JSON)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64), index=True)
    # Similarity to the matched text of the previous version (1.0 when unchanged).
    match_similarity: Mapped[float | None] = mapped_column(Float)


class Analysis(Base):
    """One clause type assigned to one provision text by one classifier version."""

    __tablename__ = "analyses"
    __table_args__ = (
        UniqueConstraint("provision_text_id", "clause_type_id"),
        Index(None, "clause_type_id", "provision_text_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provision_text_id: Mapped[int] = mapped_column(ForeignKey("provision_texts.id"))
    clause_type_id: Mapped[str] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(10))
    severity_reason: Mapped[str] = mapped_column(Text)
    model_version: Mapped[str] = mapped_column(String(80))
    analyzed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: "affirms" or "denies" the clause type's practice (clausewatch.analysis.stance).
    stance: Mapped[str] = mapped_column(
        String(8), default="affirms", server_default="affirms"
    )


class ClassificationRun(Base):
    """Per provision text: language and whether the classifier abstained, and when."""

    __tablename__ = "classification_runs"

    provision_text_id: Mapped[int] = mapped_column(
        ForeignKey("provision_texts.id"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8))
    abstained: Mapped[bool] = mapped_column(Boolean)
    model_version: Mapped[str] = mapped_column(String(80))
    analyzed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Contact(Base):
    """A contact point found in a platform's documents: privacy e-mail, opt-out page."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("platform_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[str] = mapped_column(ForeignKey("platforms.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    kind: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text)
    context: Mapped[str] = mapped_column(Text)
    rank: Mapped[int] = mapped_column(Integer, default=0)


class ChangeEvent(Base):
    """A documented change: a new version, or a provision added, removed, modified..."""

    __tablename__ = "change_events"
    __table_args__ = (
        Index(None, "platform_id", "occurred_at"),
        Index(None, "document_id", "occurred_at"),
        Index(None, "occurred_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[str] = mapped_column(ForeignKey("platforms.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"))
    previous_version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    provision_id: Mapped[int | None] = mapped_column(
        ForeignKey("provisions.id"), index=True
    )
    # "version" for the document-level event, otherwise a provision change kind.
    kind: Mapped[str] = mapped_column(String(16))
    material: Mapped[bool] = mapped_column(Boolean)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sentence: Mapped[str] = mapped_column(Text)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    max_severity: Mapped[str | None] = mapped_column(String(10))


class CurrentClause(Base):
    """Clause types of every current provision, kept up to date at each new version.

    Prevalence and cross-platform figures read this small table instead of joining
    every provision text of every version.
    """

    __tablename__ = "current_clauses"
    __table_args__ = (
        Index(None, "clause_type_id", "platform_id"),
        Index(None, "platform_id", "severity"),
        Index(None, "document_id"),
    )

    provision_id: Mapped[int] = mapped_column(
        ForeignKey("provisions.id"), primary_key=True
    )
    clause_type_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    provision_text_id: Mapped[int] = mapped_column(ForeignKey("provision_texts.id"))
    platform_id: Mapped[str] = mapped_column(ForeignKey("platforms.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    severity: Mapped[str] = mapped_column(String(10))
    confidence: Mapped[float] = mapped_column(Float)
    stance: Mapped[str] = mapped_column(
        String(8), default="affirms", server_default="affirms"
    )
