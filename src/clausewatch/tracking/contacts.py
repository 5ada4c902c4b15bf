"""Refresh a platform's contact points from the latest versions of its documents."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import delete, select

from clausewatch.analysis import extract_contacts
from clausewatch.db.models import Contact, Document, Version
from clausewatch.db.store import Store

logger = logging.getLogger(__name__)


def refresh_all_contacts(store: Store, platform_ids: Iterable[str]) -> None:
    """Refresh several platforms, logging a failure on one and continuing."""
    for platform_id in sorted(set(platform_ids)):
        try:
            refresh_contacts(store, platform_id)
        except Exception:  # noqa: BLE001 - one platform must not stop the others
            logger.exception(
                "contact extraction failed for platform %s, so its previous "
                "contacts are kept",
                platform_id,
            )


def refresh_contacts(store: Store, platform_id: str) -> int:
    """Replace the stored contacts of a platform and return how many were found.

    Runs once per platform after a run that added versions, because extraction reads
    every document of the platform and takes about a second for a long policy.
    """
    with store.session() as session:
        documents = session.scalars(
            select(Document).where(Document.platform_id == platform_id)
        ).all()
        found: dict[tuple[str, str], tuple[int, str, int]] = {}
        for document in documents:
            markdown = session.scalar(
                select(Version.markdown)
                .where(Version.document_id == document.id)
                .order_by(Version.number.desc())
                .limit(1)
            )
            if not markdown:
                continue
            pages = (document.declaration or {}).get("pages") or [{}]
            base_url = pages[0].get("url")
            for rank, contact in enumerate(
                extract_contacts(markdown, base_url=base_url)
            ):
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
