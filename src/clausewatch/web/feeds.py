"""Atom feeds of changes: all, per platform, per document and per clause type.

Each entry carries the change sentence, its structured summary and, for a modified
provision, the word-level diff. The entry content is HTML that feedgen escapes into
the XML, and every piece of policy text in it is escaped once more before, so a
feed reader never runs markup from a policy. Change sentences quote policy Markdown,
so titles and content show them as plain text. A feed's alternate link is the page
that shows the same changes.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from feedgen.feed import FeedGenerator
from sqlalchemy.orm import Session

from clausewatch.errors import NotFoundError
from clausewatch.figures import records
from clausewatch.figures.changes import ChangeFilter, ChangeItem, list_changes
from clausewatch.taxonomy import default_taxonomy
from clausewatch.web import urls
from clausewatch.web.context import WebContext, db_session, web_context
from clausewatch.web.plain_text import policy_plain
from clausewatch.web.rendering import stored_word_diff

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(db_session)]
ATOM_TYPE = "application/atom+xml; charset=utf-8"
FEED_LENGTH = 50


@router.get("/feeds/changes.atom")
def all_changes(request: Request, session: SessionDep) -> Response:
    return _feed(
        request,
        session,
        ChangeFilter(),
        "All changes",
        urls.feed_path(),
        alternate="/changes",
    )


@router.get("/feeds/platforms/{platform_id}.atom")
def platform_changes(
    request: Request, platform_id: str, session: SessionDep
) -> Response:
    platform = records.get_platform(session, platform_id)
    return _feed(
        request,
        session,
        ChangeFilter(platform_id=platform.id),
        f"Changes of {platform.name}",
        urls.feed_path("platforms", platform.id),
        alternate=urls.platform_path(platform.id),
    )


@router.get("/feeds/documents/{record_id}.atom")
def document_changes(request: Request, record_id: str, session: SessionDep) -> Response:
    document = records.get_document_by_record(session, record_id)
    return _feed(
        request,
        session,
        ChangeFilter(document_record_id=document.record_id),
        f"Changes of {document.platform.name} {document.terms_type}",
        urls.feed_path("documents", document.record_id),
        alternate=urls.document_path(document.record_id),
    )


@router.get("/feeds/clause-types/{clause_type_id}.atom")
def clause_type_changes(
    request: Request, clause_type_id: str, session: SessionDep
) -> Response:
    clause_type = default_taxonomy().clause_types.get(clause_type_id)
    if clause_type is None:
        raise NotFoundError(
            f"clause type {clause_type_id!r} not found; the list of clause types is "
            "at /clause-types"
        )
    return _feed(
        request,
        session,
        ChangeFilter(clause_type_id=clause_type.id),
        f"Changes of {clause_type.name} clauses",
        urls.feed_path("clause-types", clause_type.id),
        alternate=urls.clause_type_path(clause_type.id),
    )


def _feed(
    request: Request,
    session: Session,
    filters: ChangeFilter,
    title: str,
    path: str,
    *,
    alternate: str,
) -> Response:
    """Build the feed at path; alternate is the page that shows the same changes."""
    context = web_context(request)
    items = list_changes(session, filters, limit=FEED_LENGTH).items
    generator = FeedGenerator()
    generator.id(context.permanent_url(path))
    generator.title(f"clausewatch: {title}")
    generator.link(href=context.permanent_url(path), rel="self")
    generator.link(href=context.permanent_url(alternate), rel="alternate")
    generator.author({"name": "clausewatch"})
    generator.updated(items[0].occurred_at if items else datetime.now(UTC))
    # feedgen prepends entries, so adding oldest first lists the newest first.
    for item in reversed(items):
        _add_entry(generator, context, item)
    return Response(generator.atom_str(pretty=True), media_type=ATOM_TYPE)


def _add_entry(generator: FeedGenerator, context: WebContext, item: ChangeItem) -> None:
    entry = generator.add_entry()
    entry.id(_tag_uri(context, item))
    entry.title(
        f"{item.platform_name} {item.terms_type}: {policy_plain(item.sentence)}"
    )
    entry.updated(item.occurred_at)
    entry.published(item.occurred_at)
    entry.link(href=context.permanent_url(_entry_path(item)), rel="alternate")
    for clause_type_id in item.clause_types:
        entry.category(term=clause_type_id)
    entry.content(entry_html(item), type="html")


def _tag_uri(context: WebContext, item: ChangeItem) -> str:
    host = urlsplit(context.settings.base_url).hostname or "localhost"
    return f"tag:{host},2026:change:{item.id}"


def _entry_path(item: ChangeItem) -> str:
    if item.provision_record_id:
        return urls.provision_path(item.provision_record_id)
    if item.previous_version_number:
        return urls.diff_path(
            item.document_record_id, item.previous_version_number, item.version_number
        )
    return urls.document_path(item.document_record_id)


def entry_html(item: ChangeItem) -> str:
    """Build the HTML content of a feed entry: sentence, summary list, escaped diff."""
    escape = html.escape
    summary = item.summary
    facts = [
        ("Kind", item.kind + ("" if item.material else " (cosmetic)")),
        ("Version", _version_label(item)),
        ("Severity", item.max_severity or "none"),
    ]
    if item.clause_types:
        facts.append(("Clause types", ", ".join(item.clause_types)))
    for key, label in (
        ("terms_added", "Terms added"),
        ("terms_removed", "Terms removed"),
    ):
        if summary.get(key):
            facts.append((label, ", ".join(str(term) for term in summary[key])))
    counts = summary.get("counts")
    if isinstance(counts, dict) and counts:
        facts.append(
            ("Counts", ", ".join(f"{kind}: {count}" for kind, count in counts.items()))
        )
    parts = [f"<p>{escape(policy_plain(item.sentence))}</p>", "<ul>"]
    parts += [f"<li>{escape(name)}: {escape(value)}</li>" for name, value in facts]
    parts.append("</ul>")
    diff = stored_word_diff(item)
    if diff is not None:
        parts.append(f'<p style="white-space: pre-wrap">{diff.html()}</p>')
    return "".join(parts)


def _version_label(item: ChangeItem) -> str:
    if item.previous_version_number:
        return f"{item.previous_version_number} to {item.version_number}"
    return str(item.version_number)
