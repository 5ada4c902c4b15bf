"""How other platforms handle the same clause: the closest provisions of its type.

For a provision, the candidates are the current provisions of the same clause type on
other platforms labelled with a confidence of at least ``CONFIDENT_LABEL``, in the
same type of document (terms of service are compared with terms of service) and with
the same stance. Those for which the type is a main one (within ``MAIN_TYPE_MARGIN``
of their highest confidence of any type) come first, and those mainly about another
practice fill the remaining places only when too few platforms have a main one.
Texts shorter than ``MIN_CANDIDATE_CHARS`` are left out. Candidates are ranked by the
cosine similarity of their sentence embeddings (see ``embeddings``), or of TF-IDF
vectors when the embedding model is not installed or too many texts of the type have
no stored vector to embed within one request. Each platform appears at most once,
with its closest provision.

A source labelled with a confidence below ``SOURCE_CONFIDENCE`` gets no comparison.
Labels are also checked against the taxonomy's example sentences of the clause type:
a source that reads unlike all of them gets no comparison, and such candidates are
skipped, as are candidates below ``MIN_SIMILARITY`` (``MIN_TFIDF_SIMILARITY`` for
TF-IDF). A wrong label or a weak match would otherwise show a different practice as
if it were the same one. The TF-IDF fallback applies every rule except the check
against the example sentences. The precision of the result is measured in
``tests/test_similar_precision.py``.

Each provision shown carries its stance. A provision that denies the practice ("we
do not sell your data") is compared only with other denials, because a denial and a
permission are opposite practices.
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
from clausewatch.figures.similar_index import (
    MAX_VECTORS_PER_REQUEST,
    TypeIndex,
    top_confidences,
    type_index,
)
from clausewatch.figures.stability import find_provision

logger = logging.getLogger(__name__)

CONFIDENT_LABEL = 0.6
# A source labelled with less confidence gets no comparison. On the judged sources
# below it, about one shown candidate in three described another practice, because
# the source's own label was wrong.
SOURCE_CONFIDENCE = 0.8
# Cosine of sentence embeddings. Of the candidates judged before this floor, 12 of 33
# from 0.5 to 0.55 described another practice, against 59 of 384 above.
MIN_SIMILARITY = 0.55
# NOTE: the precision of the TF-IDF fallback has not been measured, so it keeps the
# floor that the embedding ranking had before.
MIN_TFIDF_SIMILARITY = 0.5
# Cosine to the nearest example sentence of the clause type in the taxonomy, below
# which a label is doubted: the source gets no comparison, a candidate is skipped.
TYPICAL_SOURCE = 0.46
TYPICAL_CANDIDATE = 0.55
MAIN_TYPE_MARGIN = 0.1
# A shorter candidate is nearly always a heading or the lead-in of a list ("How long
# we keep your data"): it names the topic but shows no practice to compare.
MIN_CANDIDATE_CHARS = 50


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
    stance: str = "affirms"


@dataclass(frozen=True)
class _Source:
    """Facts of the source provision that decide which candidates may be shown."""

    platform_id: str  # candidates come from other platforms
    # Candidates come from the same type of document only. In terms of service a
    # clause type often reads as a rule for the user ("you must be 13"), in a privacy
    # policy as a data practice ("we delete data of children under 13"). Of the 32
    # candidates from the other type judged before this rule, 16 described another
    # practice, against 55 of 385 from the same type.
    terms_type: str
    denies: bool  # candidates have the same stance


@dataclass(frozen=True)
class _Choice:
    provision_id: int
    text_id: int
    platform_id: str
    confidence: float
    severity: str
    similarity: float


def similar_provisions(
    session: Session,
    provision_record_id: str,
    *,
    limit: int = 3,
    clause_type_id: str | None = None,
    encoder: SentenceEncoder | None = None,
    max_missing_vectors: int | None = MAX_VECTORS_PER_REQUEST,
) -> list[SimilarProvision]:
    """Return the closest provisions of the same clause type on other platforms.

    The clause type is the provision's most confident one unless ``clause_type_id``
    is given. Returns an empty list when the provision has no clause type or its
    text reads unlike the type's example sentences. When more than
    ``max_missing_vectors`` texts of the type have no stored vector, the ranking
    uses TF-IDF instead of embedding them (None embeds them all). Raises
    NotFoundError for an unknown record ID.
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
    label = _source_label(session, source.id, type_id)
    if label is None:
        return []
    confidence, stance = label
    if confidence < SOURCE_CONFIDENCE:
        return []
    document = session.execute(
        select(Document.platform_id, Document.terms_type).where(
            Document.id == provision.document_id
        )
    ).one()
    facts = _Source(
        platform_id=str(document.platform_id),
        terms_type=str(document.terms_type),
        denies=stance == "denies",
    )
    encoder = encoder or shared_encoder()
    index = None
    if encoder is not None:
        index = type_index(session, type_id, encoder, max_missing=max_missing_vectors)
    if encoder is None or index is None:
        chosen = _rank_by_tfidf(session, type_id, facts, source.text, limit)
    else:
        vectors = ensure_vectors(session, {source.text_sha256: source.text}, encoder)
        source_vector = vectors[source.text_sha256]
        if index.typicality_of(source_vector) < TYPICAL_SOURCE:
            logger.debug(
                "provision %s reads unlike the examples of %s; no comparison shown",
                provision.record_id,
                type_id,
            )
            return []
        chosen = _rank_by_embedding(index, source_vector, facts, limit)
    return _describe(session, type_id, chosen)


def _source_label(
    session: Session, text_id: int, clause_type_id: str
) -> tuple[float, str] | None:
    """Return the confidence and stance of one label of a text, or None."""
    row = session.execute(
        select(Analysis.confidence, Analysis.stance).where(
            Analysis.provision_text_id == text_id,
            Analysis.clause_type_id == clause_type_id,
        )
    ).first()
    return None if row is None else (float(row.confidence), str(row.stance))


def _main_clause_type(session: Session, text_id: int) -> str | None:
    return session.scalar(
        select(Analysis.clause_type_id)
        .where(Analysis.provision_text_id == text_id)
        .order_by(Analysis.confidence.desc(), Analysis.clause_type_id)
        .limit(1)
    )


def _rank_by_embedding(
    index: TypeIndex, vector: np.ndarray, source: _Source, limit: int
) -> list[_Choice]:
    if index.provision_ids.size == 0 or source.terms_type not in index.terms_types:
        return []
    scores = (index.vectors @ vector)[index.vector_rows]
    platforms = index.platforms
    own = platforms.index(source.platform_id) if source.platform_id in platforms else -1
    terms_type = index.terms_types.index(source.terms_type)
    typical = index.typicality[index.vector_rows] >= TYPICAL_CANDIDATE
    eligible = (
        (index.platform_codes != own)
        & (index.terms_type_codes == terms_type)
        & (index.denies == source.denies)
        & (scores >= MIN_SIMILARITY)
        & typical
        & (index.text_lengths >= MIN_CANDIDATE_CHARS)
    )
    chosen: list[int] = []
    for tier in _candidate_tiers(index):
        if len(chosen) == limit:
            break
        taken = {int(index.platform_codes[row]) for row in chosen}
        chosen += _best_rows(
            index, scores, eligible & tier, limit - len(chosen), taken=taken
        )
    return [
        _Choice(
            provision_id=int(index.provision_ids[row]),
            text_id=int(index.text_ids[row]),
            platform_id=index.platforms[index.platform_codes[row]],
            confidence=float(index.confidences[row]),
            severity=index.severities[row],
            similarity=float(scores[row]),
        )
        for row in chosen
    ]


def _candidate_tiers(index: TypeIndex) -> list[np.ndarray]:
    """Masks of the confident candidates, in the order they may fill the places.

    A candidate whose type is among its main ones (within ``MAIN_TYPE_MARGIN`` of
    its highest confidence) comes first. One that is mostly about another practice
    fills the places left.
    """
    confident = index.confidences >= CONFIDENT_LABEL
    main = index.confidences >= index.top_confidences - MAIN_TYPE_MARGIN
    return [confident & main, confident & ~main]


def _best_rows(
    index: TypeIndex,
    scores: np.ndarray,
    mask: np.ndarray,
    limit: int,
    *,
    taken: set[int],
) -> list[int]:
    """Rows of the best-scoring provision of each platform, best platforms first."""
    rows = np.flatnonzero(mask)
    # Highest score first; equal scores go to the older provision.
    order = rows[np.lexsort((index.provision_ids[rows], -scores[rows]))]
    chosen: list[int] = []
    seen = set(taken)
    for row in order.tolist():
        code = int(index.platform_codes[row])
        if code in seen:
            continue
        seen.add(code)
        chosen.append(row)
        if len(chosen) == limit:
            break
    return chosen


def _rank_by_tfidf(
    session: Session, clause_type_id: str, source: _Source, text: str, limit: int
) -> list[_Choice]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    rows = session.execute(
        select(
            CurrentClause.provision_id,
            CurrentClause.provision_text_id,
            CurrentClause.platform_id,
            CurrentClause.confidence,
            CurrentClause.severity,
            CurrentClause.stance,
            ProvisionText.text,
        )
        .join(ProvisionText, ProvisionText.id == CurrentClause.provision_text_id)
        .join(Document, Document.id == CurrentClause.document_id)
        .where(
            CurrentClause.clause_type_id == clause_type_id,
            CurrentClause.platform_id != source.platform_id,
            Document.terms_type == source.terms_type,
        )
        .order_by(CurrentClause.provision_id)
    ).all()
    top = top_confidences(session, clause_type_id)
    rows = [
        row
        for row in rows
        if row.confidence >= CONFIDENT_LABEL
        and len(row.text) >= MIN_CANDIDATE_CHARS
        and (row.stance == "denies") == source.denies
    ]
    if not rows:
        return []
    vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2))
    matrix = vectorizer.fit_transform([text, *(row.text for row in rows)])
    scores = (matrix[1:] @ matrix[0].T).toarray().ravel()
    # Candidates mainly of the type come first, as in the embedding ranking.
    secondary = [
        row.confidence < top.get(row[0], row.confidence) - MAIN_TYPE_MARGIN
        for row in rows
    ]
    ranked = sorted(
        range(len(rows)), key=lambda i: (secondary[i], -scores[i], rows[i][0])
    )
    chosen: list[_Choice] = []
    seen: set[str] = set()
    for i in ranked:
        row = rows[i]
        if scores[i] < MIN_TFIDF_SIMILARITY or row.platform_id in seen:
            continue
        seen.add(row.platform_id)
        chosen.append(
            _Choice(
                row[0],
                row[1],
                row.platform_id,
                row.confidence,
                row.severity,
                float(scores[i]),
            )
        )
        if len(chosen) == limit:
            break
    return chosen


def _describe(
    session: Session, clause_type_id: str, chosen: Sequence[_Choice]
) -> list[SimilarProvision]:
    if not chosen:
        return []
    rows = session.execute(
        select(
            Provision.id,
            Provision.record_id,
            Document.record_id,
            Document.terms_type,
            Platform.name,
        )
        .join(Document, Document.id == Provision.document_id)
        .join(Platform, Platform.id == Document.platform_id)
        .where(Provision.id.in_([choice.provision_id for choice in chosen]))
    ).all()
    details = {row[0]: row[1:] for row in rows}
    stances = dict(
        session.execute(
            select(CurrentClause.provision_id, CurrentClause.stance).where(
                CurrentClause.clause_type_id == clause_type_id,
                CurrentClause.provision_id.in_(
                    [choice.provision_id for choice in chosen]
                ),
            )
        ).all()
    )
    texts = dict(
        session.execute(
            select(ProvisionText.id, ProvisionText.text).where(
                ProvisionText.id.in_([choice.text_id for choice in chosen])
            )
        ).all()
    )
    result = []
    for choice in chosen:
        record_id, document_record_id, terms_type, platform_name = details[
            choice.provision_id
        ]
        result.append(
            SimilarProvision(
                record_id=record_id,
                platform_id=choice.platform_id,
                platform_name=platform_name,
                document_record_id=document_record_id,
                terms_type=terms_type,
                clause_type_id=clause_type_id,
                severity=choice.severity,
                confidence=round(choice.confidence, 4),
                excerpt=excerpt(texts[choice.text_id]),
                similarity=round(choice.similarity, 4),
                stance=stances.get(choice.provision_id, "affirms"),
            )
        )
    return result


_ENCODER_LOCK = threading.Lock()
_ENCODER: list[SentenceEncoder | None] = []


def shared_encoder() -> SentenceEncoder | None:
    """Return the process-wide sentence encoder, or None when it cannot be loaded.

    Loading takes about a second, so it happens once. Without the model packages the
    similar-provisions figure falls back to TF-IDF and logs one warning.
    """
    with _ENCODER_LOCK:
        if not _ENCODER:
            try:
                _ENCODER.append(SentenceEncoder.load())
            except ConfigurationError as error:
                logger.warning("similar provisions use TF-IDF: %s", error)
                _ENCODER.append(None)
        return _ENCODER[0]
