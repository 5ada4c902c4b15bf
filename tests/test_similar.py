"""Similar provisions on other platforms, on a small store with known practices."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from clausewatch.db.models import Provision, ProvisionText
from clausewatch.db.store import Store
from clausewatch.errors import NotFoundError
from clausewatch.figures import SentenceEncoder, similar_provisions
from clausewatch.figures.embeddings import ProvisionEmbedding
from clausewatch.figures.similar import (
    CONFIDENT_LABEL,
    MIN_CANDIDATE_CHARS,
    MIN_SIMILARITY,
    _rank_by_embedding,
    _Source,
)
from clausewatch.figures.similar_index import TypeIndex
from clausewatch.settings import Settings
from tests.figure_histories import record_capture

FILLER = (
    "This page explains how the service handles the information of the people who "
    "use it, what choices they have, and how to reach the team that runs it, in "
    "plain words that anyone can read in a few minutes."
)
ADS_ALPHA = (
    "We share your personal information with advertising partners and analytics "
    "companies."
)
ADS_BETA = (
    "We share information about you with advertising networks and analytics providers."
)
ADS_BETA_OTHER = (
    "We share your information with payment processors that handle your purchases."
)
HOSTING_GAMMA = "We share data with the hosting providers that store it for us."
AUDIT_DELTA = "We share the recipes of the week in a printed leaflet at the door."
PLAIN_ALPHA = "Our offices are open on weekdays."
CAPTURED = datetime(2025, 5, 1, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder.load()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder: Path = tmp_path_factory.mktemp("similar")
    opened = Store.open(Settings(data_dir=folder / "data"))
    documents = {
        "alpha": [ADS_ALPHA, PLAIN_ALPHA],
        "beta": [ADS_BETA, ADS_BETA_OTHER],
        "gamma": [HOSTING_GAMMA],
        "delta": [AUDIT_DELTA],
    }
    for platform_id, paragraphs in documents.items():
        text = "# Privacy Policy\n\n" + "\n\n".join([FILLER, *paragraphs]) + "\n"
        record_capture(opened, platform_id, "Privacy Policy", text, CAPTURED)
    yield opened
    opened.close()


@pytest.fixture
def session(store: Store) -> Iterator[Session]:
    with store.session() as opened:
        yield opened


def record_of(session: Session, text: str) -> str:
    return session.execute(
        select(Provision.record_id)
        .join(ProvisionText, ProvisionText.provision_id == Provision.id)
        .where(ProvisionText.text == text)
    ).scalar_one()


def test_closest_practice_ranks_first(
    session: Session, encoder: SentenceEncoder
) -> None:
    found = similar_provisions(
        session, record_of(session, ADS_ALPHA), limit=3, encoder=encoder
    )
    assert found[0].record_id == record_of(session, ADS_BETA)
    assert found[0].platform_id == "beta"
    assert found[0].clause_type_id == "third_party_sharing"
    assert found[0].excerpt == ADS_BETA


def test_one_per_platform_never_own(session: Session, encoder: SentenceEncoder) -> None:
    found = similar_provisions(
        session, record_of(session, ADS_ALPHA), limit=5, encoder=encoder
    )
    platforms = [item.platform_id for item in found]
    assert len(platforms) == len(set(platforms))
    assert "alpha" not in platforms
    scores = [item.similarity for item in found]
    assert scores == sorted(scores, reverse=True)


def test_limit_is_respected(session: Session, encoder: SentenceEncoder) -> None:
    found = similar_provisions(
        session, record_of(session, ADS_ALPHA), limit=1, encoder=encoder
    )
    assert len(found) == 1


def test_atypical_source_has_none(session: Session, encoder: SentenceEncoder) -> None:
    # Labelled third-party sharing by keyword, but unlike every example sentence.
    assert (
        similar_provisions(session, record_of(session, AUDIT_DELTA), encoder=encoder)
        == []
    )


def test_unclassified_provision_has_none(
    session: Session, encoder: SentenceEncoder
) -> None:
    assert (
        similar_provisions(session, record_of(session, PLAIN_ALPHA), encoder=encoder)
        == []
    )


def test_unknown_record_id_raises(session: Session, encoder: SentenceEncoder) -> None:
    with pytest.raises(NotFoundError, match="no provision"):
        similar_provisions(session, "P-ZZZZZZ", encoder=encoder)


def test_vectors_stored_once_per_text(
    session: Session, encoder: SentenceEncoder
) -> None:
    similar_provisions(session, record_of(session, ADS_ALPHA), encoder=encoder)
    similar_provisions(session, record_of(session, HOSTING_GAMMA), encoder=encoder)
    digests = list(session.scalars(select(ProvisionEmbedding.text_sha256)))
    assert len(digests) == len(set(digests))
    assert len(digests) == 5


def test_encoder_gives_unit_vectors(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode([ADS_ALPHA, ADS_BETA, AUDIT_DELTA, ""])
    norms = (vectors[:3] ** 2).sum(axis=1)
    assert norms == pytest.approx([1.0, 1.0, 1.0], abs=1e-4)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2])


def ranking_index(
    scores: list[float],
    confidences: list[float],
    top_confidences: list[float],
    lengths: list[int],
    *,
    terms_types: list[str] | None = None,
    denies: list[bool] | None = None,
) -> TypeIndex:
    """An index of one candidate per platform whose cosine to (1, 0) is its score.

    Every candidate is in a privacy policy and affirms the practice, unless
    ``terms_types`` or ``denies`` give other values.
    """
    vectors = np.array(
        [[score, float(np.sqrt(1 - score**2))] for score in scores], dtype=np.float32
    )
    count = len(scores)
    names = terms_types or ["Privacy Policy"] * count
    distinct = list(dict.fromkeys(names))
    return TypeIndex(
        provision_ids=np.arange(1, count + 1, dtype=np.int64),
        text_ids=np.arange(1, count + 1, dtype=np.int64),
        platform_codes=np.arange(count, dtype=np.int32),
        platforms=tuple(f"platform-{number}" for number in range(count)),
        terms_type_codes=np.array(
            [distinct.index(name) for name in names], dtype=np.int32
        ),
        terms_types=tuple(distinct),
        denies=np.array(denies or [False] * count, dtype=bool),
        confidences=np.array(confidences, dtype=np.float32),
        top_confidences=np.array(top_confidences, dtype=np.float32),
        text_lengths=np.array(lengths, dtype=np.int32),
        severities=("medium",) * count,
        vector_rows=np.arange(count, dtype=np.int32),
        vectors=vectors,
        examples=np.zeros((0, 2), dtype=np.float32),
        typicality=np.ones(count, dtype=np.float32),
    )


SOURCE_VECTOR = np.array([1.0, 0.0], dtype=np.float32)
# A source in another platform's privacy policy that affirms the practice.
SOURCE = _Source(platform_id="own", terms_type="Privacy Policy", denies=False)


def test_main_type_ranks_before_closer_secondary() -> None:
    # Candidate 0 is closer but mainly of another type (0.7 against 1.0).
    index = ranking_index([0.9, 0.7], [0.7, 0.95], [1.0, 0.95], [200, 200])
    chosen = _rank_by_embedding(index, SOURCE_VECTOR, SOURCE, limit=2)
    assert [choice.provision_id for choice in chosen] == [2, 1]


def test_secondary_fills_only_free_places() -> None:
    index = ranking_index([0.9, 0.7], [0.7, 0.95], [1.0, 0.95], [200, 200])
    chosen = _rank_by_embedding(index, SOURCE_VECTOR, SOURCE, limit=1)
    assert [choice.provision_id for choice in chosen] == [2]


def test_unconfident_and_short_left_out() -> None:
    confident = CONFIDENT_LABEL + 0.1
    index = ranking_index(
        [0.95, 0.9, 0.6],
        [CONFIDENT_LABEL - 0.1, confident, confident],
        [CONFIDENT_LABEL - 0.1, confident, confident],
        [200, MIN_CANDIDATE_CHARS - 1, MIN_CANDIDATE_CHARS],
    )
    chosen = _rank_by_embedding(index, SOURCE_VECTOR, SOURCE, limit=3)
    assert [choice.provision_id for choice in chosen] == [3]


def test_own_platform_never_chosen() -> None:
    index = ranking_index([0.9, 0.8], [0.9, 0.9], [0.9, 0.9], [200, 200])
    source = _Source(
        platform_id="platform-0", terms_type="Privacy Policy", denies=False
    )
    chosen = _rank_by_embedding(index, SOURCE_VECTOR, source, limit=3)
    assert [choice.platform_id for choice in chosen] == ["platform-1"]


def test_other_document_type_left_out() -> None:
    index = ranking_index(
        [0.9, 0.8],
        [0.9, 0.9],
        [0.9, 0.9],
        [200, 200],
        terms_types=["Terms of Service", "Privacy Policy"],
    )
    chosen = _rank_by_embedding(index, SOURCE_VECTOR, SOURCE, limit=3)
    assert [choice.provision_id for choice in chosen] == [2]


def test_no_candidate_in_document_type() -> None:
    index = ranking_index([0.9], [0.9], [0.9], [200])
    source = _Source(platform_id="own", terms_type="Terms of Service", denies=False)
    assert _rank_by_embedding(index, SOURCE_VECTOR, source, limit=3) == []


def test_opposite_stance_left_out() -> None:
    index = ranking_index(
        [0.9, 0.8], [0.9, 0.9], [0.9, 0.9], [200, 200], denies=[True, False]
    )
    affirming = _rank_by_embedding(index, SOURCE_VECTOR, SOURCE, limit=3)
    denial = _Source(platform_id="own", terms_type="Privacy Policy", denies=True)
    denying = _rank_by_embedding(index, SOURCE_VECTOR, denial, limit=3)
    assert [choice.provision_id for choice in affirming] == [2]
    assert [choice.provision_id for choice in denying] == [1]


def test_weak_similarity_left_out() -> None:
    index = ranking_index(
        [MIN_SIMILARITY + 0.01, MIN_SIMILARITY - 0.01],
        [0.9, 0.9],
        [0.9, 0.9],
        [200, 200],
    )
    chosen = _rank_by_embedding(index, SOURCE_VECTOR, SOURCE, limit=3)
    assert [choice.provision_id for choice in chosen] == [1]
