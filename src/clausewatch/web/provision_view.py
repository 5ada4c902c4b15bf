"""The provision page as shown: figures plus evidence checks, share links and citation.

The HTML page, its PDF and its JSON all derive from one ``ProvisionView``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode, urlsplit

from sqlalchemy.orm import Session

from clausewatch.figures.activity import documented_filter
from clausewatch.figures.changes import ChangeItem, list_changes
from clausewatch.figures.provision_page import (
    ProvisionPage,
    SnapshotEvidence,
    provision_page,
)
from clausewatch.web import urls
from clausewatch.web.citations import CitationRecord, citation_record
from clausewatch.web.context import WebContext
from clausewatch.web.plain_text import policy_plain

RECENT_CHANGES_SHOWN = 10


@dataclass(frozen=True)
class EvidenceItem:
    """One snapshot behind the provision, with its blob re-checked on this request."""

    sha256: str
    fetched_at: datetime
    origin: str
    source_url: str | None
    source_label: str
    wayback_url: str | None
    stored: bool
    verified: bool


@dataclass(frozen=True)
class ShareLinks:
    """Links that share the permanent URL; all work without JavaScript."""

    permanent_url: str
    x: str
    linkedin: str
    email: str


@dataclass(frozen=True)
class ProvisionView:
    """The provision page with its evidence checks, recent changes and citation."""

    page: ProvisionPage
    evidence: tuple[EvidenceItem, ...]
    recent_changes: tuple[ChangeItem, ...]
    citation: CitationRecord
    share: ShareLinks
    summary: str


def build_view(context: WebContext, session: Session, record_id: str) -> ProvisionView:
    """Assemble the provision page and check its evidence; raises NotFoundError."""
    page = provision_page(session, record_id)
    record = page.record
    permanent_url = context.permanent_url(urls.provision_path(record.record_id))
    recent = list_changes(
        session,
        documented_filter(platform_id=record.platform_id, since=page.activity.since),
        limit=RECENT_CHANGES_SHOWN,
    ).items
    summary = page_summary(page)
    return ProvisionView(
        page=page,
        evidence=tuple(
            _evidence(context, snapshot, record.source_urls)
            for snapshot in record.snapshots
        ),
        recent_changes=tuple(recent),
        citation=citation_record(
            page, permanent_url=permanent_url, accessed=datetime.now(UTC).date()
        ),
        share=share_links(permanent_url, summary),
        summary=summary,
    )


def page_summary(page: ProvisionPage) -> str:
    """Describe the provision in one plain sentence, for Open Graph and share texts."""
    if page.explanation is not None:
        return policy_plain(page.explanation.what_it_is)
    record = page.record
    excerpt = policy_plain(record.text)
    if len(excerpt) > 180:
        excerpt = excerpt[:179].rsplit(" ", 1)[0] + "…"
    return f"{record.platform_name} {record.terms_type}: {excerpt}"


def share_links(permanent_url: str, summary: str) -> ShareLinks:
    return ShareLinks(
        permanent_url=permanent_url,
        x="https://x.com/intent/tweet?"
        + urlencode({"text": summary, "url": permanent_url}),
        linkedin="https://www.linkedin.com/sharing/share-offsite/?"
        + urlencode({"url": permanent_url}),
        email="mailto:?"
        + urlencode(
            {"subject": summary[:120], "body": f"{summary}\n\n{permanent_url}"},
            # mailto bodies need %20 for spaces; quote_plus would write "+".
            quote_via=quote,
        ),
    )


def _evidence(
    context: WebContext, snapshot: SnapshotEvidence, declared: tuple[str, ...]
) -> EvidenceItem:
    source = snapshot.final_url if _is_web_url(snapshot.final_url) else None
    if source is None and declared:
        source = declared[0]
    label = source or f"imported history file {snapshot.url}"
    wayback = (
        urls.wayback_url(source, snapshot.fetched_at.strftime("%Y%m%d%H%M%S"))
        if source
        else None
    )
    check = context.verifier.check(snapshot.sha256)
    return EvidenceItem(
        sha256=snapshot.sha256,
        fetched_at=snapshot.fetched_at,
        origin=snapshot.origin,
        source_url=source,
        source_label=label,
        wayback_url=wayback,
        stored=check.stored,
        verified=check.verified,
    )


def _is_web_url(value: str) -> bool:
    return urlsplit(value).scheme in ("http", "https")
