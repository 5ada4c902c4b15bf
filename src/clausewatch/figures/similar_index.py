"""An in-memory index of one clause type's current provisions and their vectors.

Ranking the candidates of a common clause type reads thousands of rows and vectors, so
each process keeps one index per clause type. It rebuilds an index only after the
store has changed, which a new version (the highest version id moves) or a new
classification (the highest analysis id moves) shows. Identical texts share one
vector row.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clausewatch.db.models import Analysis, CurrentClause, ProvisionText, Version
from clausewatch.figures.embeddings import (
    DIMENSIONS,
    SentenceEncoder,
    ensure_vectors,
    stored_vectors,
)

# Indexes kept per process. Each contains one float32 row of 384 values per distinct
# text.
MAX_CACHED_TYPES = 64


@dataclass(frozen=True)
class TypeIndex:
    """Current provisions of one clause type, as arrays aligned row by row."""

    token: tuple[int, int]
    provision_ids: np.ndarray  # int64, one per current provision of the type
    text_ids: np.ndarray  # int64, the provision text in the latest version
    platform_codes: np.ndarray  # int32, index into platforms
    platforms: tuple[str, ...]
    confidences: np.ndarray  # float32
    severities: tuple[str, ...]
    vector_rows: np.ndarray  # int32, index into vectors
    vectors: np.ndarray  # float32, one unit row per distinct text


_CACHE: OrderedDict[tuple[str, str], TypeIndex] = OrderedDict()
_LOCK = threading.Lock()


def store_token(session: Session) -> tuple[int, int]:
    """Return a value that changes whenever current clauses may have changed."""
    latest_version = session.scalar(select(func.max(Version.id))) or 0
    latest_analysis = session.scalar(select(func.max(Analysis.id))) or 0
    return int(latest_version), int(latest_analysis)


def type_index(
    session: Session, clause_type_id: str, encoder: SentenceEncoder
) -> TypeIndex:
    """Return the index of a clause type, building it when the store has changed."""
    key = (str(session.get_bind().url), f"{encoder.model_id}:{clause_type_id}")
    token = store_token(session)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached.token == token:
            _CACHE.move_to_end(key)
            return cached
    built = _build(session, clause_type_id, encoder, token)
    with _LOCK:
        _CACHE[key] = built
        _CACHE.move_to_end(key)
        while len(_CACHE) > MAX_CACHED_TYPES:
            _CACHE.popitem(last=False)
    return built


def _build(
    session: Session,
    clause_type_id: str,
    encoder: SentenceEncoder,
    token: tuple[int, int],
) -> TypeIndex:
    rows = session.execute(
        select(
            CurrentClause.provision_id,
            CurrentClause.provision_text_id,
            CurrentClause.platform_id,
            CurrentClause.confidence,
            CurrentClause.severity,
            ProvisionText.text_sha256,
        )
        .join(ProvisionText, ProvisionText.id == CurrentClause.provision_text_id)
        .where(CurrentClause.clause_type_id == clause_type_id)
        .order_by(CurrentClause.provision_id)
    ).all()
    digests = list(dict.fromkeys(row.text_sha256 for row in rows))
    vectors = _vectors_of(session, digests, encoder)
    digest_rows = {digest: index for index, digest in enumerate(digests)}
    platforms = list(dict.fromkeys(row.platform_id for row in rows))
    platform_rows = {platform: index for index, platform in enumerate(platforms)}
    return TypeIndex(
        token=token,
        provision_ids=np.array([row.provision_id for row in rows], dtype=np.int64),
        text_ids=np.array([row.provision_text_id for row in rows], dtype=np.int64),
        platform_codes=np.array(
            [platform_rows[row.platform_id] for row in rows], dtype=np.int32
        ),
        platforms=tuple(platforms),
        confidences=np.array([row.confidence for row in rows], dtype=np.float32),
        severities=tuple(row.severity for row in rows),
        vector_rows=np.array(
            [digest_rows[row.text_sha256] for row in rows], dtype=np.int32
        ),
        vectors=vectors,
    )


def _vectors_of(
    session: Session, digests: list[str], encoder: SentenceEncoder
) -> np.ndarray:
    found = stored_vectors(session, digests, model_id=encoder.model_id)
    missing = [digest for digest in digests if digest not in found]
    for start in range(0, len(missing), 500):
        chunk = missing[start : start + 500]
        texts = dict(
            session.execute(
                select(ProvisionText.text_sha256, ProvisionText.text)
                .where(ProvisionText.text_sha256.in_(chunk))
                .distinct()
            ).all()
        )
        found.update(ensure_vectors(session, texts, encoder))
    if not digests:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.stack([found[digest] for digest in digests])
