"""Full-text search over the current text of every provision.

SQLite uses the FTS5 table ``provision_texts_fts`` (ranked by BM25); PostgreSQL uses
``to_tsvector('english', text)`` with its GIN index (ranked by ``ts_rank``). Both are
created by migration 0002. The FTS5 table contains the distinct texts of each
provision, added version by version by ``clausewatch.db.search_index``. Only the
latest text of each provision is searched, so a clause appears once however many
versions repeat it.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from clausewatch.errors import quote_value
from clausewatch.figures import records
from clausewatch.web.errors import NO_WORD_EXPLANATION, InvalidParameterError
from clausewatch.web.plain_text import policy_plain

# Snippet markers: control characters, replaced by <mark> only after the snippet is
# escaped. A policy text containing them would get a stray <mark>, never live markup.
_OPEN, _CLOSE = "\x02", "\x03"
# Markdown drops control characters, so the markers cross the plain-text conversion as
# private-use characters.
_PLAIN_OPEN, _PLAIN_CLOSE = "\ue000", "\ue001"
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12


class InvalidSearchError(InvalidParameterError):
    """A search query has no word to look for."""


@dataclass(frozen=True)
class SearchHit:
    """One provision matching a search, with an escaped HTML snippet."""

    record_id: str
    platform_id: str
    platform_name: str
    document_record_id: str
    terms_type: str
    heading_path: tuple[str, ...]
    snippet_html: str
    is_current: bool


def search_terms(query: str) -> list[str]:
    """Split a query into words, ignoring punctuation and search operators."""
    return _WORD.findall(query)[:MAX_TERMS]


def search_provisions(
    session: Session,
    query: str,
    *,
    platform_id: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[SearchHit], int]:
    """Return one page of provisions matching every word of the query, and the total.

    Raises InvalidSearchError when the query contains no word, and NotFoundError
    when ``platform_id`` is not tracked, so a mistyped id is not shown as an empty
    result.
    """
    terms = search_terms(query)
    if not terms:
        raise InvalidSearchError(
            f"search query {quote_value(query)} {NO_WORD_EXPLANATION}"
        )
    if platform_id:
        records.get_platform(session, platform_id)
    if session.get_bind().dialect.name == "postgresql":
        return _search_postgresql(session, terms, platform_id, limit, offset)
    return _search_sqlite(session, terms, platform_id, limit, offset)


# The index contains the first row of each distinct text of a provision, so a hit is
# joined to the provision's latest row by the text's hash.
_SQLITE_FROM = """
    FROM provision_texts_fts
    JOIN provision_texts AS hit ON hit.id = provision_texts_fts.rowid
    JOIN provisions AS p ON p.id = hit.provision_id
    JOIN provision_texts AS pt ON pt.provision_id = p.id
     AND pt.version_id = p.last_version_id AND pt.text_sha256 = hit.text_sha256
    JOIN documents AS d ON d.id = p.document_id
    JOIN platforms AS pl ON pl.id = d.platform_id
    WHERE provision_texts_fts MATCH :match
      AND (:platform IS NULL OR d.platform_id = :platform)
"""


def _search_sqlite(
    session: Session,
    terms: list[str],
    platform_id: str | None,
    limit: int,
    offset: int,
) -> tuple[list[SearchHit], int]:
    # Each word is quoted, so FTS5 reads it as a plain string and never as syntax.
    match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
    parameters = {"match": match, "platform": platform_id}
    total = session.execute(
        text("SELECT count(*) " + _SQLITE_FROM), parameters
    ).scalar_one()
    rows = session.execute(
        text(
            "SELECT p.record_id, pl.id, pl.name, d.record_id, d.terms_type, "
            "pt.heading_path, "
            f"snippet(provision_texts_fts, 0, '{_OPEN}', '{_CLOSE}', '…', 40), "
            "p.is_current "
            + _SQLITE_FROM
            + " ORDER BY bm25(provision_texts_fts), p.id LIMIT :limit OFFSET :offset"
        ),
        {**parameters, "limit": limit, "offset": offset},
    ).all()
    return [_hit(row) for row in rows], total


_POSTGRESQL_FROM = """
    FROM provision_texts AS pt
    JOIN provisions AS p ON p.id = pt.provision_id AND p.last_version_id = pt.version_id
    JOIN documents AS d ON d.id = p.document_id
    JOIN platforms AS pl ON pl.id = d.platform_id
    WHERE to_tsvector('english', pt.text) @@ plainto_tsquery('english', :query)
      AND (CAST(:platform AS TEXT) IS NULL OR d.platform_id = :platform)
"""


def _search_postgresql(
    session: Session,
    terms: list[str],
    platform_id: str | None,
    limit: int,
    offset: int,
) -> tuple[list[SearchHit], int]:
    parameters = {"query": " ".join(terms), "platform": platform_id}
    total = session.execute(
        text("SELECT count(*) " + _POSTGRESQL_FROM), parameters
    ).scalar_one()
    headline_options = (
        f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=40, MinWords=15, "
        "ShortWord=2, FragmentDelimiter=…"
    )
    rows = session.execute(
        text(
            "SELECT p.record_id, pl.id, pl.name, d.record_id, d.terms_type, "
            "pt.heading_path, "
            "ts_headline('english', pt.text, plainto_tsquery('english', :query), "
            ":options), p.is_current "
            + _POSTGRESQL_FROM
            + " ORDER BY ts_rank(to_tsvector('english', pt.text), "
            "plainto_tsquery('english', :query)) DESC, p.id "
            "LIMIT :limit OFFSET :offset"
        ),
        {**parameters, "options": headline_options, "limit": limit, "offset": offset},
    ).all()
    return [_hit(row) for row in rows], total


def _hit(row: tuple[object, ...]) -> SearchHit:
    record_id, platform_id, platform_name, document_id, terms_type = row[:5]
    heading_path, snippet, is_current = row[5:]
    return SearchHit(
        record_id=str(record_id),
        platform_id=str(platform_id),
        platform_name=str(platform_name),
        document_record_id=str(document_id),
        terms_type=str(terms_type),
        heading_path=_heading_tuple(heading_path),
        snippet_html=_mark(str(snippet or "")),
        is_current=bool(is_current),
    )


def _heading_tuple(value: object) -> tuple[str, ...]:
    # A raw SQL query returns the JSON column as text on SQLite, a list on PostgreSQL.
    if isinstance(value, str):
        value = json.loads(value)
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    return ()


def _mark(snippet: str) -> str:
    """Turn a snippet with match markers into plain, escaped text with ``<mark>``."""
    snippet = snippet.replace(_PLAIN_OPEN, "").replace(_PLAIN_CLOSE, "")
    snippet = snippet.replace(_OPEN, _PLAIN_OPEN).replace(_CLOSE, _PLAIN_CLOSE)
    escaped = html.escape(policy_plain(snippet), quote=True)
    return _balanced_marks(escaped)


def _balanced_marks(escaped: str) -> str:
    # A marker inside a link target is dropped with the target, so its partner may be
    # left alone: each <mark> opens only when none is open, and is always closed.
    parts = []
    is_open = False
    for piece in re.split(f"([{_PLAIN_OPEN}{_PLAIN_CLOSE}])", escaped):
        if piece == _PLAIN_OPEN:
            if not is_open:
                parts.append("<mark>")
            is_open = True
        elif piece == _PLAIN_CLOSE:
            if is_open:
                parts.append("</mark>")
            is_open = False
        else:
            parts.append(piece)
    if is_open:
        parts.append("</mark>")
    return "".join(parts)
