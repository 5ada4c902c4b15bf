"""A cheap value that changes whenever the figures of a store may have changed.

Figures that scan many rows (prevalence of every clause type, the vector index of a
clause type) are kept in memory per process under this value. Current clauses change
only with a new version, which raises the highest version id, or with a new
classification, which writes analyses stamped with the current time. Both maxima are
read from an index, so checking freshness costs two index lookups.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Index, func, select
from sqlalchemy.orm import Session

from clausewatch.db.models import Analysis, Version

# Makes the latest classification time an index lookup; created by migration 0003.
ANALYZED_AT_INDEX = Index(None, Analysis.analyzed_at)

FreshnessToken = tuple[int, datetime | str | None]
T = TypeVar("T")
MAX_CACHED_VALUES = 256

_CACHE: OrderedDict[tuple[str, str, FreshnessToken], Any] = OrderedDict()
_LOCK = threading.Lock()


def freshness_token(session: Session) -> FreshnessToken:
    """Return (highest version id, latest analysis time) of the session's store."""
    latest_version, latest_analysis = session.execute(
        select(
            select(func.max(Version.id)).scalar_subquery(),
            select(func.max(Analysis.analyzed_at)).scalar_subquery(),
        )
    ).one()
    return int(latest_version or 0), latest_analysis


def cached_figure(session: Session, name: str, compute: Callable[[], T]) -> T:
    """Return the value cached under name for the store's current freshness token.

    ``compute`` runs when the store changed since the value was cached, or when the
    value was never computed in this process.
    """
    bind = session.get_bind()
    key = (str(bind.engine.url), name, freshness_token(session))
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
