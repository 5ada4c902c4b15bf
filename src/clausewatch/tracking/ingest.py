"""Turn one capture of a document into a version, its provisions and its changes.

Both live tracking and history import end here, so a version is recorded the same way
whatever its source. The steps are: normalize, skip unchanged text, quarantine suspect
captures, segment, match provisions to the previous version (keeping record IDs),
classify, diff, and store change events dated with the capture's own time.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from clausewatch.db.work import (
    DocumentWork,
    LatestVersion,
    NewProvisionText,
    StoredProvision,
    refresh_current_clauses,
)
from clausewatch.extract import (
    TextMeasure,
    assess_capture,
    find_stated_date,
    measure_text,
    normalize_markdown,
)
from clausewatch.match import match_provisions
from clausewatch.segment import Segment, segment_markdown
from clausewatch.tracking.changes import build_change_records

if TYPE_CHECKING:
    # Only for annotations: the analyzer loads scikit-learn and SciPy (seconds).
    from clausewatch.tracking.analyze import Analyzer

logger = logging.getLogger(__name__)

# Reason code that assess_capture gives a capture much shorter than the last version.
SHRUNK_CODE = "shrunk:"


class Outcome(StrEnum):
    NEW_VERSION = "new_version"
    UNCHANGED = "unchanged"
    SUSPECT = "suspect"
    OUT_OF_ORDER = "out_of_order"
    # Only an import gives this: a file of a history folder that does not lead its
    # document's timeline at its date, kept as a snapshot only.
    OTHER_SOURCE = "other_source"


@dataclass(frozen=True)
class IngestResult:
    outcome: Outcome
    version_number: int | None = None
    provisions: int = 0
    new_provisions: int = 0
    reverts_to: int | None = None
    reason: str | None = None
    # The new version and its provisions, which the next capture of the same
    # document in one run can reuse instead of reading them back.
    version_id: int | None = None
    stored_provisions: tuple[StoredProvision, ...] | None = None


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PreparedText:
    """A capture's normalized text with what recording it needs from the text alone.

    Computing this needs no database, so tracking prepares it in worker processes
    while the tracking process stores earlier documents. The segments are computed
    even when the text turns out unchanged or suspect, where they go unused.
    """

    markdown: str
    sha256: str
    segments: tuple[Segment, ...]
    measure: TextMeasure
    stated_date: date | None


def prepare_text(markdown: str, *, normalized: bool = False) -> PreparedText:
    """Normalize a capture's Markdown, hash it and split it into provisions.

    ``normalized`` skips normalizing Markdown that ``normalize_markdown`` returned.
    """
    text = markdown if normalized else normalize_markdown(markdown)
    return PreparedText(
        markdown=text,
        sha256=text_hash(text),
        segments=tuple(segment_markdown(text)),
        measure=measure_text(text),
        stated_date=find_stated_date(text),
    )


def ingest_capture(
    work: DocumentWork,
    *,
    markdown: str | PreparedText,
    captured_at: datetime,
    snapshot_ids: Sequence[int],
    analyzer: Analyzer | None,
    platform_name: str,
    earlier: IngestResult | None = None,
) -> IngestResult:
    """Record the text of one capture whose snapshots the caller has stored.

    ``earlier`` is the result of an earlier capture of the same document in this
    run. When its version is still the latest, its provisions serve as the previous
    version's, which saves reading them back during a long import. ``markdown`` may
    come already prepared by ``prepare_text``.
    """
    prepared = markdown if isinstance(markdown, PreparedText) else None
    if isinstance(markdown, PreparedText):
        normalized, digest = markdown.markdown, markdown.sha256
    else:
        normalized = normalize_markdown(markdown)
        digest = text_hash(normalized)
    latest = work.latest_version()

    if latest is not None and latest.text_sha256 == digest:
        work.link_snapshots(latest.id, snapshot_ids)
        work.mark_verified(captured_at)
        return IngestResult(Outcome.UNCHANGED, version_number=latest.number)

    if latest is not None and captured_at < latest.captured_at:
        # An older capture arriving after newer ones cannot be put between stored
        # versions without rewriting their changes, so it stays as evidence only.
        reason = (
            f"capture dated {captured_at.isoformat()} is older than version "
            f"{latest.number} ({latest.captured_at.isoformat()}); "
            "kept as a snapshot only"
        )
        return IngestResult(Outcome.OUT_OF_ORDER, reason=reason)

    suspect = assess_capture(
        normalized,
        latest.markdown if latest else None,
        measure=prepared.measure if prepared else None,
    )
    if suspect is not None and not _confirms_shrink(work, suspect.reason, latest):
        work.add_suspect(
            snapshot_id=snapshot_ids[0] if snapshot_ids else None,
            captured_at=captured_at,
            reason=suspect.reason,
            length=len(normalized),
        )
        # Tracking and import report each suspect capture to their caller, and the
        # reason becomes the document's last error, so this is only a trace.
        logger.info(
            "suspect capture of document %s kept out of the history: %s",
            work.document.record_id,
            suspect.reason,
        )
        return IngestResult(Outcome.SUSPECT, reason=suspect.reason)

    segments = list(prepared.segments) if prepared else segment_markdown(normalized)
    previous = _previous_provisions(work, latest, earlier)
    # A document's first version has no retired clauses that could return.
    texts = _carry_identities(work, previous, segments, may_revive=latest is not None)

    number = (latest.number + 1) if latest else 1
    reverts_to = work.version_number_with_text(digest)
    version_id = work.add_version(
        number=number,
        captured_at=captured_at,
        text_sha256=digest,
        markdown=normalized,
        stated_date=prepared.stated_date if prepared else find_stated_date(normalized),
        reverts_to_number=reverts_to,
    )
    work.link_snapshots(version_id, snapshot_ids)
    stored = work.add_provision_texts(version_id, texts)

    if analyzer is not None:
        analyzer.analyze_version(
            work,
            stored,
            texts,
            previous,
            captured_at,
            lead_ins=[segment.lead_in for segment in segments],
        )
    refresh_current_clauses(work.session, work.document)
    current = work.provisions_written(version_id, stored, texts)
    if latest is not None:
        changes = build_change_records(
            previous,
            current,
            platform=platform_name,
            document=work.document.terms_type,
            analyzer=analyzer,
            reverts_to=reverts_to,
        )
        work.add_changes(
            version_id=version_id,
            previous_version_id=latest.id,
            occurred_at=captured_at,
            changes=changes,
        )
    work.mark_verified(captured_at)

    new_count = sum(1 for text in texts if text.provision_id is None)
    logger.info(
        "document %s: version %d with %d provisions (%d new)%s",
        work.document.record_id,
        number,
        len(texts),
        new_count,
        f", reverts to version {reverts_to}" if reverts_to else "",
    )
    return IngestResult(
        Outcome.NEW_VERSION,
        version_number=number,
        provisions=len(texts),
        new_provisions=new_count,
        reverts_to=reverts_to,
        version_id=version_id,
        stored_provisions=tuple(current),
    )


def _previous_provisions(
    work: DocumentWork, latest: LatestVersion | None, earlier: IngestResult | None
) -> list[StoredProvision]:
    if latest is None:
        return []
    if (
        earlier is not None
        and earlier.version_id == latest.id
        and earlier.stored_provisions is not None
    ):
        return list(earlier.stored_provisions)
    return work.provisions_of(latest.id)


def _confirms_shrink(
    work: DocumentWork, reason: str, latest: LatestVersion | None
) -> bool:
    """Return True when a shrunk capture follows another shrunk one of the document.

    One capture at less than half the previous length is quarantined, because blocked
    pages and broken extractions look like that. When the next capture is short too,
    the document itself has most likely been cut down, and rejecting it forever would
    freeze the history, so the second one becomes a version. Error, captcha, login and
    empty pages are never confirmed this way.
    """
    if latest is None or not reason.startswith(SHRUNK_CODE):
        return False
    previous = work.latest_suspect_since(latest.captured_at)
    return previous is not None and previous.reason.startswith(SHRUNK_CODE)


def _carry_identities(
    work: DocumentWork,
    previous: list[StoredProvision],
    segments: list[Segment],
    *,
    may_revive: bool,
) -> list[NewProvisionText]:
    """Give each segment the identity of its matching previous provision, if any."""
    matches = match_provisions(
        [provision.text for provision in previous],
        [segment.text for segment in segments],
        previous_headings=[provision.heading_path for provision in previous],
        current_headings=[segment.heading_path for segment in segments],
    )
    retired: dict[str, int] | None = None
    used: set[int] = set()
    texts: list[NewProvisionText] = []
    for segment, match in zip(segments, matches, strict=True):
        digest = text_hash(segment.text)
        provision_id: int | None = None
        similarity: float | None = None
        if match.previous_index is not None:
            provision_id = previous[match.previous_index].provision_id
            similarity = match.similarity
        elif may_revive:
            if retired is None:
                retired = work.retired_provisions_by_text()
            revived = retired.get(digest)
            if revived is not None and revived not in used:
                provision_id, similarity = revived, 1.0
        if provision_id is not None:
            used.add(provision_id)
        texts.append(
            NewProvisionText(
                provision_id=provision_id,
                position=segment.position,
                heading_path=segment.heading_path,
                kind=segment.kind,
                text=segment.text,
                text_sha256=digest,
                match_similarity=similarity,
            )
        )
    return texts
