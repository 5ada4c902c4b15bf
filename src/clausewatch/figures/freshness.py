"""A cheap value that changes whenever the figures of a store may have changed.

Figures that scan many rows (prevalence of every clause type, the vector index of a
clause type) are kept in memory per process under this value. Current clauses change
only with a new version, which raises the highest version id, or with a new
classification, which writes analyses stamped with the current time. Both maxima are
read from an index, so checking freshness costs two index lookups. Figures that depend
on when documents were last captured add the highest snapshot id, a primary key
lookup in the same query.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Index, func, select
from sqlalchemy.orm import Session

from clausewatch.db.models import Analysis, Snapshot, Version

# Makes the latest classification time an index lookup; created by migration 0003.
ANALYZED_AT_INDEX = Index(None, Analysis.analyzed_at)

FreshnessToken = tuple[int, datetime | str | None, int | None]
T = TypeVar("T")
MAX_CACHED_VALUES = 256

_CACHE: OrderedDict[tuple[str, str, FreshnessToken], Any] = OrderedDict()
_LOCK = threading.Lock()


def freshness_token(session: Session, *, captures: bool = False) -> FreshnessToken:
    """Return (highest version id, latest analysis time, highest snapshot id).

    The snapshot id is read only with ``captures``, for figures that depend on when
    documents were last captured: every capture stores a snapshot, even one that
    finds the text unchanged and adds no version.
    """
    columns = [
        select(func.max(Version.id)).scalar_subquery(),
        select(func.max(Analysis.analyzed_at)).scalar_subquery(),
    ]
    if captures:
        columns.append(select(func.max(Snapshot.id)).scalar_subquery())
    row = session.execute(select(*columns)).one()
    latest_snapshot = row[2] if captures else None
    return int(row[0] or 0), row[1], latest_snapshot


def cached_figure(
    session: Session, name: str, compute: Callable[[], T], *, captures: bool = False
) -> T:
    """Return the value cached under name for the store's current freshness token.

    ``compute`` runs when the store changed since the value was cached, or when the
    value was never computed in this process. With ``captures``, a capture that adds
    no version counts as a change too.
    """
    bind = session.get_bind()
    key = (str(bind.engine.url), name, freshness_token(session, captures=captures))
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]  # type: ignore[no-any-return]
    value = compute()
    with _LOCK:
        _CACHE[key] = value
        while len(_CACHE) > MAX_CACHED_VALUES:
            _CACHE.popitem(last=False)
    return value
