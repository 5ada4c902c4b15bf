"""Track declared documents: fetch every page, store snapshots, record new versions.

Fetching runs concurrently, and the fetcher enforces the per-host limits. A fetched
document's snapshots are stored at once; its text is extracted and segmented in a
worker process (see ``extraction_pool``) while other pages arrive. Database writes
happen one document at a time in the event loop's thread, each in its own unit of
work. A document whose fetch or extraction fails gets its ``last_error`` and the run
moves on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from clausewatch.analysis import Contact as ContactPoint
from clausewatch.db.store import DocumentEntry, Store
from clausewatch.declarations import DocumentDeclaration, PlatformDeclaration
from clausewatch.errors import ClausewatchError
from clausewatch.fetch import Fetcher, FetchResult
from clausewatch.settings import Settings
from clausewatch.snapshot import BlobStore
from clausewatch.tracking.contacts import refresh_all_contacts
from clausewatch.tracking.extraction_pool import ExtractionPool, PageBody
from clausewatch.tracking.ingest import (
    IngestResult,
    Outcome,
    PreparedText,
    ingest_capture,
)

if TYPE_CHECKING:
    # Only for annotations: the analyzer loads scikit-learn and SciPy (seconds).
    from clausewatch.tracking.analyze import Analyzer

logger = logging.getLogger(__name__)


@dataclass
class TrackReport:
    documents: int = 0
    new_versions: int = 0
    unchanged: int = 0
    suspect: int = 0
    failed: list[str] = field(default_factory=list)
    # One line per suspect capture: the document and why it was kept out.
    suspect_captures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class DocumentJob:
    platform: PlatformDeclaration
    document: DocumentDeclaration
    document_id: int


def declaration_record(document: DocumentDeclaration) -> dict[str, object]:
    """Build the declaration record stored with the document, for provenance."""
    return {
        "terms_type": document.terms_type,
        "pages": [
            {
                "url": page.url,
                "select": [str(item) for item in page.select],
                "remove": [str(item) for item in page.remove],
                "browser": page.browser,
                "pdf": page.pdf,
            }
            for page in document.pages
        ],
    }


def reject_other_platforms(
    store: Store, platforms: Sequence[PlatformDeclaration]
) -> tuple[list[PlatformDeclaration], list[str]]:
    """Return the declarations that may update their platform, and errors for others.

    A declaration updates the stored platform of its id, whatever its name. But an id
    made from the file name was not chosen by the author, so a file that happens to
    be named after another platform ("x.yaml") would rename that platform and move
    its documents. Such a declaration is rejected when the stored platform of its id
    has another name.
    """
    derived = [platform for platform in platforms if platform.id_from_file_name]
    stored = store.platform_names(platform.id for platform in derived)
    allowed: list[PlatformDeclaration] = []
    rejected: list[str] = []
    for platform in platforms:
        name = stored.get(platform.id)
        if not platform.id_from_file_name or name is None or name == platform.name:
            allowed.append(platform)
            continue
        rejected.append(
            f'{platform.source}: platform id "{platform.id}" comes from the file '
            f'name, and the stored platform "{platform.id}" is named "{name}", '
            f'not "{platform.name}"; not tracked. To update that platform, write '
            f"id: {platform.id} in the file (or give it the stored name); to track "
            "another platform, rename the file."
        )
    return allowed, rejected


def plan_jobs(
    store: Store, platforms: Sequence[PlatformDeclaration]
) -> list[DocumentJob]:
    declared = [
        (platform, document)
        for platform in platforms
        for document in platform.documents
    ]
    document_ids = store.ensure_documents(
        [
            DocumentEntry(
                platform_id=platform.id,
                platform_name=platform.name,
                terms_type=document.terms_type,
                category=platform.category,
                declaration=declaration_record(document),
            )
            for platform, document in declared
        ]
    )
    return [
        DocumentJob(platform, document, document_id)
        for (platform, document), document_id in zip(
            declared, document_ids, strict=True
        )
    ]


async def _fetch_pages(
    fetcher: Fetcher, document: DocumentDeclaration
) -> list[FetchResult]:
    return list(
        await asyncio.gather(
            *(fetcher.fetch(page.url, browser=page.browser) for page in document.pages)
        )
    )


async def track(
    store: Store,
    settings: Settings,
    platforms: Sequence[PlatformDeclaration],
    *,
    analyzer: Analyzer | None,
    on_document: Callable[[DocumentJob, str], None] | None = None,
    fetcher: Fetcher | None = None,
    pool: ExtractionPool | None = None,
) -> TrackReport:
    """Fetch and record every document of the given platforms.

    Without a ``pool``, the run starts its own extraction workers. A caller that
    starts threads of its own (a progress display, say) passes a pool started
    before them, because workers are forked from this process.
    """
    started = time.perf_counter()
    platforms, rejected = reject_other_platforms(store, platforms)
    for message in rejected:
        logger.error("declaration rejected: %s", message)
    jobs = plan_jobs(store, platforms)
    report = TrackReport(documents=len(jobs), failed=rejected)
    changed_platforms: set[str] = set()
    contacts: dict[int, Sequence[ContactPoint]] = {}

    def settled(job: DocumentJob, status: str) -> None:
        _count(report, status)
        if status == Outcome.NEW_VERSION.value:
            changed_platforms.add(job.platform.id)
        if on_document is not None:
            on_document(job, status)

    # Workers are forked before the fetcher starts any thread.
    own_pool = pool is None
    pool = pool or ExtractionPool(settings.extraction_processes)
    pool.start()
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    try:
        pending = [_fetch_job(fetcher, store.blobs, job) for job in jobs]
        extracting: list[asyncio.Task[None]] = []
        for next_done in asyncio.as_completed(pending):
            job, fetched = await next_done
            outcome = _store_capture(store, job, fetched, report)
            if isinstance(outcome, Capture):
                # Extraction runs in a worker while the next pages arrive.
                extracting.append(
                    asyncio.create_task(
                        _record_text(
                            store, pool, outcome, analyzer, report, settled, contacts
                        )
                    )
                )
            else:
                settled(job, outcome)
        await asyncio.gather(*extracting)
    finally:
        if own_pool:
            pool.close()
        if own_fetcher:
            await fetcher.aclose()

    refresh_all_contacts(store, changed_platforms, contacts)
    report.seconds = round(time.perf_counter() - started, 3)
    logger.info(
        "tracked %d documents in %.1f s: %d new versions, %d unchanged, %d failed",
        report.documents,
        report.seconds,
        report.new_versions,
        report.unchanged,
        len(report.failed),
    )
    return report


@dataclass(frozen=True)
class Fetched:
    """A document's fetched pages and the SHA-256 of each, already in the blob store."""

    results: list[FetchResult]
    digests: list[str]


async def _fetch_job(
    fetcher: Fetcher, blobs: BlobStore, job: DocumentJob
) -> tuple[DocumentJob, Fetched | ClausewatchError]:
    try:
        results = await _fetch_pages(fetcher, job.document)
    except ClausewatchError as error:
        return job, error
    # Writing a blob waits for the disk (fsync), so it runs in a thread while the
    # event loop records other documents.
    digests = await asyncio.to_thread(
        lambda: [blobs.put(result.body) for result in results]
    )
    return job, Fetched(results, digests)


def _count(report: TrackReport, status: str) -> None:
    if status == Outcome.NEW_VERSION.value:
        report.new_versions += 1
    elif status == Outcome.UNCHANGED.value:
        report.unchanged += 1
    elif status == Outcome.SUSPECT.value:
        report.suspect += 1


def _fail(store: Store, job: DocumentJob, message: str, report: TrackReport) -> str:
    label = f"{job.platform.id} {job.document.terms_type}"
    logger.error("tracking %s failed: %s", label, message)
    store.record_error(job.document_id, message, datetime.now(UTC))
    report.failed.append(f"{label}: {message}")
    return "failed"


@dataclass(frozen=True)
class Capture:
    """A document's fetched pages, stored as snapshots, whose text is to be read."""

    job: DocumentJob
    pages: tuple[PageBody, ...]
    snapshot_ids: tuple[int, ...]
    captured_at: datetime


def _store_capture(
    store: Store,
    job: DocumentJob,
    fetched: Fetched | ClausewatchError,
    report: TrackReport,
) -> Capture | str:
    """Store a document's snapshots; return what is left to do, or the outcome."""
    if isinstance(fetched, ClausewatchError):
        return _fail(store, job, str(fetched), report)
    try:
        return store_snapshots(store, job, fetched)
    except ClausewatchError as error:
        return _fail(store, job, str(error), report)


async def _record_text(
    store: Store,
    pool: ExtractionPool,
    capture: Capture,
    analyzer: Analyzer | None,
    report: TrackReport,
    settled: Callable[[DocumentJob, str], None],
    contacts: dict[int, Sequence[ContactPoint]],
) -> None:
    job = capture.job
    base_url = job.document.pages[0].url if job.document.pages else None
    try:
        prepared = await pool.prepare(capture.pages, base_url)
        result = record_text(store, capture, prepared.text, analyzer)
    except ClausewatchError as error:
        settled(job, _fail(store, job, str(error), report))
        return
    status = result.outcome.value
    if result.outcome is Outcome.SUSPECT:
        report.suspect_captures.append(
            f"{job.platform.id} {job.document.terms_type}: suspect capture kept out "
            f"of the history: {result.reason}"
        )
    if status == Outcome.NEW_VERSION.value:
        # The text is now the document's latest version, so its contacts are too.
        contacts[job.document_id] = prepared.contacts
    settled(job, status)


def store_snapshots(store: Store, job: DocumentJob, fetched: Fetched) -> Capture | str:
    """Record the fetched pages of one document, whose blobs are stored, as snapshots.

    Returns "unchanged" when every page has the bytes of the capture behind the
    latest version, and otherwise the capture whose text is to be extracted.
    """
    results = fetched.results
    with store.document_work(job.document_id) as work:
        unchanged_bytes = True
        snapshot_ids = []
        for page, result, digest in zip(
            job.document.pages, results, fetched.digests, strict=True
        ):
            if work.latest_snapshot_hash(page.url) != digest:
                unchanged_bytes = False
            snapshot_ids.append(
                work.add_snapshot(
                    sha256=digest,
                    url=page.url,
                    final_url=result.final_url,
                    status=result.status,
                    content_type=result.content_type,
                    headers=result.headers,
                    size=len(result.body),
                    fetched_at=result.fetched_at,
                    origin="browser" if result.via_browser else "fetch",
                )
            )
        captured_at = max(result.fetched_at for result in results)
        latest_id = work.latest_version_id()
        if unchanged_bytes and latest_id is not None:
            # Same bytes as the capture behind the latest version: nothing to extract.
            work.link_snapshots(latest_id, snapshot_ids)
            work.mark_verified(captured_at)
            return Outcome.UNCHANGED.value
    # The snapshots are committed before extraction, so a page that cannot be
    # extracted still leaves its snapshot stored as evidence.
    pages = tuple(
        PageBody(
            body=result.body,
            content_type=result.content_type,
            text=result.text() if result.content_type != "application/pdf" else None,
            url=result.final_url,
            select=tuple(page.select),
            remove=tuple(page.remove),
        )
        for page, result in zip(job.document.pages, results, strict=True)
    )
    return Capture(job, pages, tuple(snapshot_ids), captured_at)


def record_text(
    store: Store,
    capture: Capture,
    prepared: PreparedText,
    analyzer: Analyzer | None,
) -> IngestResult:
    """Record the prepared text of a capture as a new version, if it is one."""
    job = capture.job
    with store.document_work(job.document_id) as work:
        return ingest_capture(
            work,
            markdown=prepared,
            captured_at=capture.captured_at,
            snapshot_ids=capture.snapshot_ids,
            analyzer=analyzer,
            platform_name=job.platform.name,
        )
