"""How other platforms handle the same clause: the closest provisions of its type.

For a provision, the candidates are the current provisions of the same clause type on
other platforms. Confidently labelled candidates (confidence at least
``CONFIDENT_LABEL``) come first, and less confident ones fill the remaining places only
when too few platforms have a confident one. Candidates are ranked by the cosine
similarity of their sentence embeddings (see ``embeddings``), or of TF-IDF vectors when
the embedding model is not installed. Each platform appears at most once, with its
closest provision, and candidates below ``MIN_SIMILARITY`` are left out, because a
weak match would show a different practice as if it were the same one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from clausewatch.db.models import (
    Analysis,
    CurrentClause,
    Document,
    Platform,
    Provision,
    ProvisionText,
)
from clausewatch.errors import ConfigurationError
from clausewatch.figures.embeddings import SentenceEncoder, ensure_vectors
from clausewatch.figures.risk import excerpt
from clausewatch.figures.stability import find_provision

logger = logging.getLogger(__name__)

CONFIDENT_LABEL = 0.6
MIN_SIMILARITY = 0.35


@dataclass(frozen=True)
class SimilarProvision:
    """A provision of the same clause type on another platform, closest first."""

    record_id: str
    platform_id: str
    platform_name: str
    document_record_id: str
    terms_type: str
    clause_type_id: str
    severity: str
    confidence: float
    excerpt: str
    similarity: float


@dataclass(frozen=True)
class _Candidate:
    provision_id: int
    platform_id: str
    confidence: float
    severity: str
    text_sha256: str
    text: str


def similar_provisions(
    session: Session,
    provision_record_id: str,
    *,
    limit: int = 3,
    clause_type_id: str | None = None,
    encoder: SentenceEncoder | None = None,
) -> list[SimilarProvision]:
    """Return the closest provisions of the same clause type on other platforms.

    The clause type is the provision's most confident one unless ``clause_type_id``
    names another of its types. Returns an empty list when the provision has no
    clause type. Raises NotFoundError for an unknown record ID.
    """
    provision = find_provision(session, provision_record_id)
    source = session.execute(
        select(ProvisionText.id, ProvisionText.text_sha256, ProvisionText.text).where(
            ProvisionText.provision_id == provision.id,
            ProvisionText.version_id == provision.last_version_id,
        )
    ).one()
    type_id = clause_type_id or _main_clause_type(session, source.id)
    if type_id is None:
        return []
    platform_id = session.scalar(
        select(Document.platform_id).where(Document.id == provision.document_id)
    )
    candidates = _candidates(session, type_id, excluding_platform=str(platform_id))
    if not candidates:
        return []

    scores = _similarities(
        session, source.text_sha256, source.text, candidates, encoder
    )
    chosen = _best_per_platform(candidates, scores, limit)
    return _describe(session, type_id, chosen)


def _main_clause_type(session: Session, text_id: int) -> str | None:
    return session.scalar(
        select(Analysis.clause_type_id)
        .where(Analysis.provision_text_id == text_id)
        .order_by(Analysis.confidence.desc(), Analysis.clause_type_id)
        .limit(1)
    )


def _candidates(
    session: Session, clause_type_id: str, *, excluding_platform: str
) -> list[_Candidate]:
    rows = session.execute(
        select(
            CurrentClause.provision_id,
            CurrentClause.platform_id,
            CurrentClause.confidence,
            CurrentClause.severity,
            ProvisionText.text_sha256,
            ProvisionText.text,
        )
        .join(ProvisionText, ProvisionText.id == CurrentClause.provision_text_id)
        .where(
            CurrentClause.clause_type_id == clause_type_id,
            CurrentClause.platform_id != excluding_platform,
        )
        .order_by(CurrentClause.provision_id)
    ).all()
    return [_Candidate(*row) for row in rows]


def _similarities(
    session: Session,
    source_sha256: str,
    source_text: str,
    candidates: Sequence[_Candidate],
    encoder: SentenceEncoder | None,
) -> np.ndarray:
    encoder = encoder or shared_encoder()
    if encoder is None:
        return _tfidf_similarities(source_text, [item.text for item in candidates])
    texts = {source_sha256: source_text}
    texts.update({item.text_sha256: item.text for item in candidates})
    vectors = ensure_vectors(session, texts, encoder)
    matrix = np.stack([vectors[item.text_sha256] for item in candidates])
    scores: np.ndarray = matrix @ vectors[source_sha256]
    return scores


def _tfidf_similarities(source: str, texts: Sequence[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=1)
    matrix = vectorizer.fit_transform([source, *texts])
    scores: np.ndarray = (matrix[1:] @ matrix[0].T).toarray().ravel()
    return scores


def _best_per_platform(
    candidates: Sequence[_Candidate], scores: np.ndarray, limit: int
) -> list[tuple[_Candidate, float]]:
    best: dict[tuple[bool, str], tuple[_Candidate, float]] = {}
    for candidate, score in zip(candidates, scores.tolist(), strict=True):
        if score < MIN_SIMILARITY:
            continue
        key = (candidate.confidence >= CONFIDENT_LABEL, candidate.platform_id)
        if key not in best or score > best[key][1]:
            best[key] = (candidate, score)
    confident = sorted(
        (value for (sure, _), value in best.items() if sure), key=_rank_key
    )
    chosen = confident[:limit]
    taken = {candidate.platform_id for candidate, _ in chosen}
    others = sorted(
        (
            value
            for (sure, platform), value in best.items()
            if not sure and platform not in taken
        ),
        key=_rank_key,
    )
    return chosen + others[: limit - len(chosen)]


def _rank_key(value: tuple[_Candidate, float]) -> tuple[float, int]:
    candidate, score = value
    return (-score, candidate.provision_id)


def _describe(
    session: Session, clause_type_id: str, chosen: Sequence[tuple[_Candidate, float]]
) -> list[SimilarProvision]:
    ids = [candidate.provision_id for candidate, _ in chosen]
    details = {
        provision_id: (record_id, document_record_id, terms_type, platform_name)
        for provision_id, record_id, document_record_id, terms_type, platform_name in (
            session.execute(
                select(
                    Provision.id,
                    Provision.record_id,
                    Document.record_id,
                    Document.terms_type,
                    Platform.name,
                )
                .join(Document, Document.id == Provision.document_id)
                .join(Platform, Platform.id == Document.platform_id)
                .where(Provision.id.in_(ids))
            ).all()
        )
    }
    result = []
    for candidate, score in chosen:
        record_id, document_record_id, terms_type, platform_name = details[
            candidate.provision_id
        ]
        result.append(
            SimilarProvision(
                record_id=record_id,
                platform_id=candidate.platform_id,
                platform_name=platform_name,
                document_record_id=document_record_id,
                terms_type=terms_type,
                clause_type_id=clause_type_id,
                severity=candidate.severity,
                confidence=candidate.confidence,
                excerpt=excerpt(candidate.text),
                similarity=round(float(score), 4),
            )
        )
    return result


_ENCODER_LOCK = threading.Lock()
_ENCODER: list[SentenceEncoder | None] = []


def shared_encoder() -> SentenceEncoder | None:
    """Return the process-wide sentence encoder, or None when it cannot be loaded.

    Loading takes about a second, so it happens once; without the model packages the
    similar-provisions figure falls back to TF-IDF, and a warning says so once.
    """
    with _ENCODER_LOCK:
        if not _ENCODER:
            try:
                _ENCODER.append(SentenceEncoder.load())
            except ConfigurationError as error:
                logger.warning("similar provisions use TF-IDF: %s", error)
                _ENCODER.append(None)
        return _ENCODER[0]
