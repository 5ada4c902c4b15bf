"""Refresh a platform's contact points from the latest versions of its documents."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

# The stored row and the extracted contact point share the name Contact.
from clausewatch.analysis import Contact as ContactPoint
from clausewatch.analysis import extract_contacts
from clausewatch.db.models import Contact, Document, Version
from clausewatch.db.store import Store

logger = logging.getLogger(__name__)


def refresh_all_contacts(
    store: Store,
    platform_ids: Iterable[str],
    known: Mapping[int, Sequence[ContactPoint]] | None = None,
) -> None:
    """Refresh several platforms, logging a failure on one and continuing.

    ``known`` maps a document id to the contacts already found in its latest
    version, which are used instead of reading that version again.
    """
    for platform_id in sorted(set(platform_ids)):
        try:
            refresh_contacts(store, platform_id, known)
        except Exception:  # noqa: BLE001 - one platform must not stop the others
            logger.exception(
                "contact extraction failed for platform %s, so its previous "
                "contacts are kept",
                platform_id,
            )


def refresh_contacts(
    store: Store,
    platform_id: str,
    known: Mapping[int, Sequence[ContactPoint]] | None = None,
) -> int:
    """Replace the stored contacts of a platform and return how many were found.

    Runs once per platform after a run that added versions, because extraction reads
    every document of the platform and takes about a second for a long policy.
    ``known`` is as in ``refresh_all_contacts``.
    """
    known = known or {}
    with store.session() as session:
        documents = session.scalars(
            select(Document).where(Document.platform_id == platform_id)
        ).all()
        found: dict[tuple[str, str], tuple[int, str, int]] = {}
        for document in documents:
            contacts = known.get(document.id)
            if contacts is None:
                contacts = _latest_contacts(session, document)
            for rank, contact in enumerate(contacts):
                key = (contact.kind, contact.value)
                if key not in found or rank < found[key][2]:
                    found[key] = (document.id, contact.context, rank)
        session.execute(delete(Contact).where(Contact.platform_id == platform_id))
        for (kind, value), (document_id, context, rank) in found.items():
            session.add(
                Contact(
                    platform_id=platform_id,
                    document_id=document_id,
                    kind=kind,
                    value=value,
                    context=context,
                    rank=rank,
                )
            )
    logger.info("platform %s: %d contact points", platform_id, len(found))
    return len(found)


def _latest_contacts(session: Session, document: Document) -> list[ContactPoint]:
    markdown = session.scalar(
        select(Version.markdown)
        .where(Version.document_id == document.id)
        .order_by(Version.number.desc())
        .limit(1)
    )
    if not markdown:
        return []
    return extract_contacts(markdown, base_url=_contacts_base_url(document.declaration))


def _contacts_base_url(declaration: Mapping[str, Any] | None) -> str | None:
    """Return the URL that relative links of a document resolve against."""
    pages = (declaration or {}).get("pages") or [{}]
    url = pages[0].get("url")
    return str(url) if url else None
