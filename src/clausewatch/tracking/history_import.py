"""Import an Open Terms Archive versions history with the real dates of its versions.

The files of a history are listed by ``history_files``. Each file becomes an "import"
snapshot (its bytes in the blob store) and goes through the same ingest step as a live
capture. A snapshot already imported (same document, bytes and date) is skipped, so
importing a history twice adds no rows and a longer history adds only what is new. An
already imported file whose blob is missing or altered is written back, so importing a
history again repairs what ``clausewatch verify`` reports for its snapshots.

A platform and document that are not stored yet are created with the first version
of the document. The files before it (suspect captures) are stored with that version,
and when no file gives a version, nothing of the document is stored.

Folders that contain one platform under two names feed one timeline per document, as
``history_timelines`` describes.
"""

from __future__ import annotations

import gc
import logging
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from clausewatch.db.store import DocumentEntry, Store
from clausewatch.db.work import DocumentWork, LatestVersion
from clausewatch.declarations import PlatformDeclaration, load_catalog
from clausewatch.errors import ImportHistoryError
from clausewatch.extract import normalize_markdown
from clausewatch.settings import DOCUMENT_MAX_BYTES
from clausewatch.snapshot import sha256_hex
from clausewatch.tracking.contacts import refresh_all_contacts
from clausewatch.tracking.extraction_pool import ExtractionPool
from clausewatch.tracking.history_files import (
    HistoryFile,
    HistoryListing,
    read_history,
)
from clausewatch.tracking.history_platforms import (
    PlatformMatch,
    ServiceMatches,
    StoredPlatforms,
    match_services,
)
from clausewatch.tracking.history_timelines import (
    DocumentTimeline,
    Folder,
    TimelineFile,
    document_timelines,
)
from clausewatch.tracking.ingest import (
    IngestResult,
    Outcome,
    PreparedText,
    ingest_capture,
    text_hash,
)
from clausewatch.tracking.slugs import platform_slug
from clausewatch.tracking.track import declaration_record

if TYPE_CHECKING:
    # Only for annotations: the analyzer loads scikit-learn and SciPy (seconds).
    from clausewatch.tracking.analyze import Analyzer

logger = logging.getLogger(__name__)

# Files read and sent to the extraction workers ahead of the one being stored: enough
# to keep two workers busy, few enough to bound the texts held in memory.
READ_AHEAD = 8


@dataclass
class ImportReport:
    # Documents and files stored by this import or an earlier one.
    documents: int = 0
    files: int = 0
    # Files that look like versions but were not stored; ``errors`` gives the reason.
    files_skipped: int = 0
    new_versions: int = 0
    reversions: int = 0
    unchanged: int = 0
    already_imported: int = 0
    # Already imported files whose missing or altered blob was written back.
    repaired: list[str] = field(default_factory=list)
    suspect: list[str] = field(default_factory=list)
    out_of_order: list[str] = field(default_factory=list)
    # Files of a folder that does not lead their document's timeline at their date,
    # kept as snapshots only because their text differs from the current version.
    other_source: list[str] = field(default_factory=list)
    # Documents whose timeline joins the files of several folders.
    joined: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Files and folders outside the history's layout, which were ignored.
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def catalog_index(
    platforms: Sequence[PlatformDeclaration],
) -> dict[str, PlatformDeclaration]:
    """Map the slugs of each platform's id, name and aliases to the platform."""
    index: dict[str, PlatformDeclaration] = {}
    for platform in platforms:
        for name in (platform.id, platform.name, *platform.aliases):
            index.setdefault(platform_slug(name), platform)
    return index


def import_history(
    store: Store,
    path: Path,
    *,
    analyzer: Analyzer | None,
    on_file: Callable[[HistoryFile], None] | None = None,
    catalog_platforms: Sequence[PlatformDeclaration] | None = None,
    pool: ExtractionPool | None = None,
    now: datetime | None = None,
    max_bytes: int = DOCUMENT_MAX_BYTES,
) -> tuple[ImportReport, int]:
    """Import every version of a history and return the report and the file count.

    A service whose name, id or alias matches a catalog platform (the bundled catalog
    unless `catalog_platforms` is given) is stored under that platform with its
    declared URLs, so later tracking continues the imported history. A service
    folder whose platform id is another platform's is reported as an error and not
    imported (see ``history_platforms``). Texts are
    normalized and segmented ahead in the ``pool``'s workers; without one, the
    import starts its own (see ``track`` for when a caller should pass one). Files
    dated more than a day after ``now`` (default: the current time) or larger than
    ``max_bytes`` are reported as errors and not imported.
    """
    started = time.perf_counter()
    listing = read_history(path, now=now, max_bytes=max_bytes)
    own_pool = pool is None
    pool = pool or ExtractionPool(0)
    pool.start()
    try:
        with fewer_collections():
            return _import_files(
                store,
                path,
                listing,
                analyzer,
                on_file,
                catalog_platforms,
                started,
                pool,
            )
    finally:
        if own_pool:
            pool.close()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the garbage collector's youngest generation less often.

    An import allocates millions of short-lived objects that reference counting
    already frees. With the default threshold of 700, the collector ran about 2,400
    times over a 508-file history and spent about 2 s of CPU finding no cycles.
    """
    threshold = gc.get_threshold()
    gc.set_threshold(50_000, threshold[1], threshold[2])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def _import_files(
    store: Store,
    path: Path,
    listing: HistoryListing,
    analyzer: Analyzer | None,
    on_file: Callable[[HistoryFile], None] | None,
    catalog_platforms: Sequence[PlatformDeclaration] | None,
    started: float,
    pool: ExtractionPool,
) -> tuple[ImportReport, int]:
    report = ImportReport(
        errors=listing.errors,
        skipped=listing.skipped,
        files_skipped=listing.rejected_files,
    )
    catalog = catalog_index(
        load_catalog() if catalog_platforms is None else catalog_platforms
    )
    services = {item.service for item in listing.files}
    matches = match_services(services, catalog, StoredPlatforms.load(store, services))
    files = _without_collisions(listing.files, matches, report)
    timelines = document_timelines(files, matches.platforms)
    _report_timelines(timelines, path, report)
    changed_platforms: set[str] = set()
    reads = _read_ahead(
        [timed.item for timeline in timelines for timed in timeline.files],
        pool,
        store.imported_snapshot_keys(),
        _history_path(path),
    )
    for timeline in timelines:
        entry = _document_entry(path, timeline)
        files_before = report.files
        versions_before = report.new_versions
        group_reads = _reported(timeline.files, reads, on_file)
        document_id = store.document_id(entry.platform_id, entry.terms_type)
        if document_id is None:
            _import_new_document(store, entry, group_reads, analyzer, report)
        else:
            store.ensure_documents([entry])
            _import_to_document(
                store, document_id, entry, group_reads, analyzer, report
            )
        if report.files > files_before:
            report.documents += 1
        if report.new_versions > versions_before:
            changed_platforms.add(entry.platform_id)
    refresh_all_contacts(store, changed_platforms)
    report.seconds = round(time.perf_counter() - started, 3)
    logger.info(
        "imported %s: %d files, %d new versions in %.1f s",
        path,
        report.files,
        report.new_versions,
        report.seconds,
    )
    return report, len(files)


def _without_collisions(
    files: list[HistoryFile], matches: ServiceMatches, report: ImportReport
) -> list[HistoryFile]:
    """Leave out the files of service folders whose platform id collides."""
    importable: list[HistoryFile] = []
    left_out: Counter[str] = Counter()
    for item in files:
        if item.service in matches.collisions:
            left_out[item.service] += 1
        else:
            importable.append(item)
    for service, count in sorted(left_out.items()):
        report.errors.append(matches.collisions[service].describe(count))
        report.files_skipped += count
    return importable


def _document_entry(path: Path, timeline: DocumentTimeline) -> DocumentEntry:
    """Describe the document of a timeline, as a catalog platform if one fits."""
    platform = timeline.platform.declared
    # An absolute path, so that verify's advice to import it again works from any
    # folder.
    declaration: dict[str, object] = {"imported_from": _history_path(path)}
    declared = platform.document(timeline.terms_type) if platform else None
    if declared is not None:
        declaration.update(declaration_record(declared))
    return DocumentEntry(
        platform_id=timeline.platform.platform_id,
        platform_name=timeline.platform.platform_name,
        terms_type=timeline.terms_type,
        category=platform.category if platform else None,
        declaration=declaration,
    )


def _history_path(path: Path) -> str:
    return str(path.absolute())


def _report_timelines(
    timelines: Sequence[DocumentTimeline], path: Path, report: ImportReport
) -> None:
    """Note the documents joined from several folders, and platforms stored twice."""
    duplicates: dict[str, PlatformMatch] = {}
    for timeline in timelines:
        if timeline.platform.catalog_platform is not None:
            duplicates.setdefault(timeline.folders[0].service, timeline.platform)
        if len(timeline.folders) > 1:
            report.joined.append(_joined_note(timeline))
    for service, match in sorted(duplicates.items()):
        report.errors.append(_duplicate_platform_error(service, match, path))


def _joined_note(timeline: DocumentTimeline) -> str:
    folders = ", ".join(
        f"{folder.name} ({folder.files} file{'' if folder.files == 1 else 's'}, "
        f"{folder.first:%Y-%m-%d} to {folder.last:%Y-%m-%d})"
        for folder in timeline.folders
    )
    leaders = ", then ".join(
        f"{folder.name} from {start:%Y-%m-%d}"
        for folder, start in timeline.leading_from()
    )
    return (
        f"{timeline.terms_type} of {timeline.platform.platform_name}: one timeline "
        f"from {folders}; its versions come from {leaders}"
    )


def _duplicate_platform_error(service: str, match: PlatformMatch, path: Path) -> str:
    assert match.catalog_platform is not None
    catalog = match.catalog_platform
    return (
        f'{service}/: the catalog lists "{service}" as a name of platform '
        f'"{catalog.id}" ({catalog.name}), but this data directory already stores '
        f'it as platform "{match.platform_id}" ({match.platform_name}). Its files '
        f'were imported into "{match.platform_id}", so figures count that platform '
        "twice. To keep one platform, import the history into an empty data "
        f"directory: CLAUSEWATCH_DATA_DIR=NEW_DIR clausewatch import {path}"
    )


def _reported(
    files: list[TimelineFile],
    reads: Iterator[_ReadFile],
    on_file: Callable[[HistoryFile], None] | None,
) -> Iterator[_ReadFile]:
    """Yield the reads of one document's files, telling ``on_file`` after each."""
    for timed in files:
        yield replace(next(reads), led_by=timed.led_by)
        if on_file is not None:
            on_file(timed.item)


def _import_to_document(
    store: Store,
    document_id: int,
    entry: DocumentEntry,
    reads: Iterable[_ReadFile],
    analyzer: Analyzer | None,
    report: ImportReport,
    earlier: IngestResult | None = None,
) -> None:
    """Import files into a stored document, each in its own unit of work."""
    for read in reads:
        if _unreadable(read, report):
            continue
        with store.document_work(document_id) as work:
            if work.has_snapshot(read.sha256, read.item.captured_at, "import"):
                report.already_imported += 1
                report.files += 1
                _restore_blob(store, read, report)
                continue
            result = _ingest(work, entry.platform_name, read, analyzer, earlier)
            assert read.data is not None
            store.blobs.put(read.data)
        _count(report, read, result)
        if result.stored_provisions is not None:
            earlier = result


def _import_new_document(
    store: Store,
    entry: DocumentEntry,
    reads: Iterator[_ReadFile],
    analyzer: Analyzer | None,
    report: ImportReport,
) -> None:
    """Import files of a document not stored yet, creating it with its first version.

    The files up to the first version are stored in one unit of work, which also
    creates the document and, if needed, its platform. Without a version, the unit
    of work is rolled back, and each of those files is reported as skipped.
    """
    pending: list[tuple[_ReadFile, IngestResult]] = []
    document_id: int | None = None
    with store.new_document_work(entry) as work:
        for read in reads:
            if _unreadable(read, report):
                continue
            result = _ingest(work, entry.platform_name, read, analyzer, None)
            pending.append((read, result))
            if result.outcome is Outcome.NEW_VERSION:
                # The blobs are written before the unit of work commits, so that no
                # snapshot row ever names a missing blob.
                for pending_read, _ in pending:
                    assert pending_read.data is not None
                    store.blobs.put(pending_read.data)
                document_id = work.document.id
                break
    if document_id is None:
        for read, result in pending:
            report.files_skipped += 1
            report.errors.append(
                f"{read.item.source}: {result.reason}; skipped: no file of this "
                "document is a version, so nothing of it is stored"
            )
        return
    for read, result in pending:
        _count(report, read, result)
    _import_to_document(
        store, document_id, entry, reads, analyzer, report, pending[-1][1]
    )


def _unreadable(read: _ReadFile, report: ImportReport) -> bool:
    """Report a file that could not be read or decoded; tell whether it was one."""
    if read.data is not None and read.text is not None:
        return False
    report.files_skipped += 1
    report.errors.append(
        f"{read.item.source}: cannot read the file ({read.error}); skipped"
    )
    return True


def _ingest(
    work: DocumentWork,
    platform_name: str,
    read: _ReadFile,
    analyzer: Analyzer | None,
    earlier: IngestResult | None,
) -> IngestResult:
    """Store a file's snapshot in a unit of work and record its text.

    A file of a folder that does not lead the timeline at its date makes a version
    only when the document has none yet, so that a leading folder of suspect
    captures alone does not lose the other folder's text. Otherwise its snapshot is
    linked to the current version when the texts are the same, and is kept alone
    when they differ.
    """
    assert read.data is not None and read.text is not None
    if read.led_by is not None:
        latest = work.latest_version()
        if latest is not None and latest.text_sha256 != _text_hash(read):
            _add_snapshot(work, read)
            return IngestResult(
                Outcome.OTHER_SOURCE, reason=_other_source_reason(read.led_by, latest)
            )
    snapshot_id = _add_snapshot(work, read)
    return ingest_capture(
        work,
        markdown=_prepared_text(read) or read.text,
        captured_at=read.item.captured_at,
        snapshot_ids=[snapshot_id],
        analyzer=analyzer,
        platform_name=platform_name,
        earlier=earlier,
    )


def _add_snapshot(work: DocumentWork, read: _ReadFile) -> int:
    assert read.data is not None
    item = read.item
    return work.add_snapshot(
        sha256=read.sha256,
        url=item.source,
        final_url=item.source,
        status=200,
        content_type="text/markdown",
        headers=None,
        size=len(read.data),
        fetched_at=item.captured_at,
        origin="import",
        imported_from=read.history,
    )


def _text_hash(read: _ReadFile) -> str:
    """Return the SHA-256 of a file's normalized text, as versions record it."""
    prepared = _prepared_text(read)
    if prepared is not None:
        return prepared.sha256
    assert read.text is not None
    return text_hash(normalize_markdown(read.text))


def _other_source_reason(leader: Folder, latest: LatestVersion) -> str:
    return (
        f"{leader.name} leads this document's timeline from "
        f"{leader.first:%Y-%m-%d} and the text differs from version {latest.number}"
    )


def _count(report: ImportReport, read: _ReadFile, result: IngestResult) -> None:
    report.files += 1
    source = read.item.source
    if result.outcome is Outcome.NEW_VERSION:
        report.new_versions += 1
        if result.reverts_to is not None:
            report.reversions += 1
    elif result.outcome is Outcome.UNCHANGED:
        report.unchanged += 1
    elif result.outcome is Outcome.SUSPECT:
        report.suspect.append(f"{source}: {result.reason}")
    elif result.outcome is Outcome.OUT_OF_ORDER:
        report.out_of_order.append(f"{source}: {result.reason}")
    elif result.outcome is Outcome.OTHER_SOURCE:
        report.other_source.append(
            f"{source}: {result.reason}; kept as a snapshot only"
        )


@dataclass(frozen=True)
class _ReadFile:
    """A history file read ahead, with its text on the way to a worker."""

    item: HistoryFile
    data: bytes | None = None
    sha256: str = ""
    text: str | None = None
    error: Exception | None = None
    prepared: Future[PreparedText] | None = None
    # See TimelineFile.led_by.
    led_by: Folder | None = None
    # The absolute path of the history, which verify names to write a blob back.
    history: str = ""


def _read_ahead(
    files: Iterable[HistoryFile],
    pool: ExtractionPool,
    imported: set[tuple[str, datetime]],
    history: str,
) -> Iterator[_ReadFile]:
    """Read the files in order, each sent to the pool a few files before its turn.

    A file whose bytes and date are in ``imported`` is not sent, because it is most
    likely already imported. The import checks that for each document itself.
    """
    pending: deque[_ReadFile] = deque()
    for item in files:
        pending.append(replace(_read(item, pool, imported), history=history))
        if len(pending) > READ_AHEAD:
            yield pending.popleft()
    yield from pending


def _read(
    item: HistoryFile, pool: ExtractionPool, imported: set[tuple[str, datetime]]
) -> _ReadFile:
    try:
        data = item.read()
        text = data.decode("utf-8")
    except (OSError, ImportHistoryError, UnicodeDecodeError) as error:
        return _ReadFile(item, error=error)
    digest = sha256_hex(data)
    if (digest, item.captured_at) in imported:
        return _ReadFile(item, data, digest, text)
    return _ReadFile(item, data, digest, text, prepared=pool.submit_text(text))


def _prepared_text(read: _ReadFile) -> PreparedText | None:
    if read.prepared is None:
        return None
    try:
        return read.prepared.result()
    except BrokenProcessPool as error:
        logger.warning(
            "extraction worker process failed (%s) on %s; preparing it here",
            error,
            read.item.source,
        )
        return None


def _restore_blob(store: Store, read: _ReadFile, report: ImportReport) -> None:
    """Write an imported file's bytes back if its blob is missing or altered.

    The bytes hash to the snapshot's SHA-256, so they are the original capture.
    """
    assert read.data is not None
    problem = store.blobs.restore(read.data)
    if problem is None:
        return
    state = "missing" if problem.problem == "missing" else "altered"
    report.repaired.append(
        f"{read.item.source}: blob {read.sha256} was {state}; written back"
    )
    logger.info("wrote back the %s blob %s of %s", state, read.sha256, read.item.source)
