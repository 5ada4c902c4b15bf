"""Extract and segment fetched documents in worker processes during a tracking run.

Turning HTML into Markdown and Markdown into provisions, and finding contact points
in the text, is pure CPU work that needs no database, and it is most of the cost of
recording a new version. Worker processes
do it while the tracking process fetches the next pages and writes earlier documents
to the store, so a first run over many documents uses every core.

The workers are forked when the run starts, before the fetcher starts its threads,
so they begin with the extraction code already imported at almost no cost. A fork
server would first have to import that code, which took over a second while the
tracking process waited for its first worker.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import multiprocessing
import os
import signal
from collections.abc import Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from clausewatch.analysis import Contact, extract_contacts
from clausewatch.declarations.selectors import Selector
from clausewatch.extract import extract_content
from clausewatch.tracking.ingest import PreparedText, prepare_text

logger = logging.getLogger(__name__)

# Below this many CPUs a worker would only compete with the tracking process.
MIN_CPUS_FOR_WORKERS = 2


@dataclass(frozen=True)
class PageBody:
    """One fetched page of a document and how its declaration selects its text."""

    body: bytes
    content_type: str
    text: str | None
    url: str
    select: tuple[Selector, ...] = ()
    remove: tuple[Selector, ...] = ()


@dataclass(frozen=True)
class PreparedDocument:
    """A document's prepared text and the contact points found in it."""

    text: PreparedText
    contacts: tuple[Contact, ...]


def prepare_document(
    pages: Sequence[PageBody], contacts_base_url: str | None
) -> PreparedDocument:
    """Prepare a document's text and find its contact points, as a worker's task.

    Contact extraction reads the whole text, so it runs here rather than in the
    tracking process. ``contacts_base_url`` resolves relative links, as in
    ``refresh_contacts``.
    """
    text = prepare_pages(pages)
    contacts = extract_contacts(text.markdown, base_url=contacts_base_url)
    return PreparedDocument(text, tuple(contacts))


def prepare_pages(pages: Sequence[PageBody]) -> PreparedText:
    """Extract every page of a document, join them and prepare the text.

    Raises ExtractionError as ``extract_content`` does.
    """
    parts = [
        extract_content(
            page.body,
            content_type=page.content_type,
            text=page.text,
            url=page.url,
            select=page.select,
            remove=page.remove,
        ).markdown
        for page in pages
    ]
    if len(parts) == 1:
        # extract_content returns normalized Markdown, and normalizing it again
        # would change nothing (normalizing is idempotent).
        return prepare_text(parts[0], normalized=True)
    return prepare_text("\n\n".join(parts))


def worker_count(requested: int) -> int:
    """Return how many worker processes to use, where 0 means one per CPU."""
    if requested:
        return requested
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return cpus if cpus >= MIN_CPUS_FOR_WORKERS else 1


class ExtractionPool:
    """Prepare documents or texts in worker processes, or here with one process."""

    def __init__(self, processes: int) -> None:
        self._processes = worker_count(processes)
        self._executor: Executor | None = None

    @property
    def processes(self) -> int:
        return self._processes

    async def prepare(
        self, pages: Sequence[PageBody], contacts_base_url: str | None
    ) -> PreparedDocument:
        """Return the prepared text and contacts of one document's pages.

        Raises ExtractionError as ``prepare_pages`` does. When the pool breaks (a
        worker killed by the system, say), the document is prepared in this process
        and the rest of the run goes on without workers.
        """
        if self._processes <= 1:
            return prepare_document(pages, contacts_base_url)
        executor = self._executor or self._start()
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                executor, prepare_document, tuple(pages), contacts_base_url
            )
        except BrokenProcessPool as error:
            logger.warning(
                "extraction worker process failed (%s) while extracting %s; "
                "extracting in the tracking process for the rest of the run",
                error,
                pages[0].url if pages else "a document",
            )
            self._processes = 1
            self.close()
            return prepare_document(pages, contacts_base_url)

    def submit_text(self, markdown: str) -> Future[PreparedText]:
        """Start preparing a Markdown text; with one process, prepare it now."""
        if self._processes > 1:
            executor = self._executor or self._start()
            try:
                return executor.submit(prepare_text, markdown)
            except BrokenProcessPool as error:
                logger.warning(
                    "extraction worker process failed (%s); preparing texts in "
                    "this process for the rest of the run",
                    error,
                )
                self._processes = 1
                self.close()
        done: Future[PreparedText] = Future()
        done.set_result(prepare_text(markdown))
        return done

    def start(self) -> None:
        """Start the worker processes now, unless this pool works in-process.

        Call it before the process starts threads: with the fork start method, a
        worker forked while another thread holds a lock would inherit it locked.
        """
        if self._processes > 1 and self._executor is None:
            self._start()

    def _start(self) -> Executor:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        executor = ProcessPoolExecutor(
            max_workers=self._processes,
            mp_context=context,
            initializer=_end_with_parent,
            initargs=(os.getpid(),),
        )
        # With fork, the first task launches every worker at once.
        executor.submit(int).result()
        self._executor = executor
        return executor

    def __enter__(self) -> ExtractionPool:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


# prctl option that makes Linux send a signal to this process when its parent ends.
_PR_SET_PDEATHSIG = 1


def _end_with_parent(parent_pid: int) -> None:
    """Make this worker end when the tracking process does, even by SIGKILL.

    An idle worker waits on its task queue forever, so without this a killed run
    would leave its workers behind. Only Linux offers it; elsewhere workers end when
    the queue closes at a normal exit.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:
        # The parent ended before the request above took effect.
        os._exit(1)
