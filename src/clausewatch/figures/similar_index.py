"""An in-memory index of one clause type's current provisions and their vectors.

Ranking the candidates of a common clause type reads thousands of rows and vectors, so
each process keeps one index per clause type under the store's freshness token (see
``freshness``) and rebuilds it only after the store has changed. Identical texts share
one vector row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clausewatch.db.models import CurrentClause, Document, ProvisionText
from clausewatch.errors import ClausewatchError
from clausewatch.figures.embeddings import (
    DIMENSIONS,
    SentenceEncoder,
    ensure_vectors,
    stored_vectors,
    texts_by_digest,
)
from clausewatch.figures.freshness import cached_figure
from clausewatch.taxonomy import default_taxonomy

logger = logging.getLogger(__name__)

# A request embeds at most this many missing texts (32 sentences of about 30 words
# took 0.5 s on two CPU cores). With more missing, it ranks by TF-IDF instead.
MAX_VECTORS_PER_REQUEST = 32


class MissingVectorsError(ClausewatchError):
    """Too many texts of a clause type have no stored vector to embed in one request."""


@dataclass(frozen=True)
class TypeIndex:
    """Current provisions of one clause type, as arrays aligned row by row."""

    provision_ids: np.ndarray  # int64, one per current provision of the type
    text_ids: np.ndarray  # int64, the provision text in the latest version
    platform_codes: np.ndarray  # int32, index into platforms
    platforms: tuple[str, ...]
    terms_type_codes: np.ndarray  # int32, index into terms_types
    terms_types: tuple[str, ...]  # the document types, such as "Privacy Policy"
    denies: np.ndarray  # bool, the provision denies the practice (see stance)
    confidences: np.ndarray  # float32
    # float32, the provision's highest confidence over all its clause types
    top_confidences: np.ndarray
    text_lengths: np.ndarray  # int32, characters
    severities: tuple[str, ...]
    vector_rows: np.ndarray  # int32, index into vectors
    vectors: np.ndarray  # float32, one unit row per distinct text
    # Unit vectors of the clause type's example sentences from the taxonomy.
    examples: np.ndarray
    # Per vector row: the highest cosine to an example sentence.
    typicality: np.ndarray

    def typicality_of(self, vector: np.ndarray) -> float:
        """Return how close a vector is to the clause type's example sentences."""
        if self.examples.size == 0:
            return 1.0
        return float((self.examples @ vector).max())


def type_index(
    session: Session,
    clause_type_id: str,
    encoder: SentenceEncoder,
    *,
    max_missing: int | None = None,
) -> TypeIndex | None:
    """Return the index of a clause type, building it when the store has changed.

    Returns None, and caches nothing, when more than ``max_missing`` texts of the type
    have no stored vector. None as ``max_missing`` embeds every missing text.
    """
    try:
        return cached_figure(
            session,
            f"similar:{encoder.model_id}:{clause_type_id}",
            lambda: _build(session, clause_type_id, encoder, max_missing),
        )
    except MissingVectorsError as error:
        logger.info("similar provisions of %s use TF-IDF: %s", clause_type_id, error)
        return None


def _build(
    session: Session,
    clause_type_id: str,
    encoder: SentenceEncoder,
    max_missing: int | None,
) -> TypeIndex:
    rows = session.execute(
        select(
            CurrentClause.provision_id,
            CurrentClause.provision_text_id,
            CurrentClause.platform_id,
            CurrentClause.confidence,
            CurrentClause.severity,
            CurrentClause.stance,
            Document.terms_type,
            ProvisionText.text_sha256,
            func.length(ProvisionText.text).label("text_length"),
        )
        .join(ProvisionText, ProvisionText.id == CurrentClause.provision_text_id)
        .join(Document, Document.id == CurrentClause.document_id)
        .where(CurrentClause.clause_type_id == clause_type_id)
        .order_by(CurrentClause.provision_id)
    ).all()
    top = top_confidences(session, clause_type_id)
    digests = list(dict.fromkeys(row.text_sha256 for row in rows))
    vectors = _vectors_of(session, digests, encoder, max_missing)
    examples = _example_vectors(clause_type_id, encoder)
    if examples.size and len(vectors):
        typicality = (vectors @ examples.T).max(axis=1)
    else:
        typicality = np.ones(len(vectors), dtype=np.float32)
    digest_rows = {digest: index for index, digest in enumerate(digests)}
    platforms = list(dict.fromkeys(row.platform_id for row in rows))
    platform_rows = {platform: index for index, platform in enumerate(platforms)}
    terms_types = list(dict.fromkeys(row.terms_type for row in rows))
    terms_type_rows = {name: index for index, name in enumerate(terms_types)}
    return TypeIndex(
        provision_ids=np.array([row.provision_id for row in rows], dtype=np.int64),
        text_ids=np.array([row.provision_text_id for row in rows], dtype=np.int64),
        platform_codes=np.array(
            [platform_rows[row.platform_id] for row in rows], dtype=np.int32
        ),
        platforms=tuple(platforms),
        terms_type_codes=np.array(
            [terms_type_rows[row.terms_type] for row in rows], dtype=np.int32
        ),
        terms_types=tuple(terms_types),
        denies=np.array([row.stance == "denies" for row in rows], dtype=bool),
        confidences=np.array([row.confidence for row in rows], dtype=np.float32),
        top_confidences=np.array(
            [top.get(row.provision_id, row.confidence) for row in rows],
            dtype=np.float32,
        ),
        text_lengths=np.array([row.text_length for row in rows], dtype=np.int32),
        severities=tuple(row.severity for row in rows),
        vector_rows=np.array(
            [digest_rows[row.text_sha256] for row in rows], dtype=np.int32
        ),
        vectors=vectors,
        examples=examples,
        typicality=typicality,
    )


def top_confidences(session: Session, clause_type_id: str) -> dict[int, float]:
    """Map each current provision of a type to its highest confidence of any type."""
    of_type = select(CurrentClause.provision_id).where(
        CurrentClause.clause_type_id == clause_type_id
    )
    rows = session.execute(
        select(CurrentClause.provision_id, func.max(CurrentClause.confidence))
        .where(CurrentClause.provision_id.in_(of_type))
        .group_by(CurrentClause.provision_id)
    ).all()
    return {provision_id: float(confidence) for provision_id, confidence in rows}


def _vectors_of(
    session: Session,
    digests: list[str],
    encoder: SentenceEncoder,
    max_missing: int | None,
) -> np.ndarray:
    found = stored_vectors(session, digests, model_id=encoder.model_id)
    missing = [digest for digest in digests if digest not in found]
    # NOTE: import and tracking store no vectors, but `clausewatch embed` does, and
    # scripts/run.sh runs it after an import. Until it has run, the first request for
    # a large clause type ranks by TF-IDF. Only callers without max_missing embed
    # every missing text here, which for the whole test corpus takes minutes.
    if max_missing is not None and len(missing) > max_missing:
        raise MissingVectorsError(
            f"{len(missing)} of {len(digests)} provision texts have no stored vector "
            f"for {encoder.model_id}, more than the {max_missing} embedded per "
            "request; run `clausewatch embed` after an import or tracking run"
        )
    for start in range(0, len(missing), 500):
        chunk = missing[start : start + 500]
        found.update(ensure_vectors(session, texts_by_digest(session, chunk), encoder))
    if not digests:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.stack([found[digest] for digest in digests])


def _example_vectors(clause_type_id: str, encoder: SentenceEncoder) -> np.ndarray:
    clause_type = default_taxonomy().clause_types.get(clause_type_id)
    # A type dropped from the taxonomy has no examples; its candidates all count
    # as typical then.
    if clause_type is None or not clause_type.positive_examples:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return encoder.encode(list(clause_type.positive_examples))
