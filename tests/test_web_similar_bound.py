"""Similar provisions embed a bounded number of missing texts per request."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clausewatch.db.models import Provision, ProvisionText
from clausewatch.db.store import Store
from clausewatch.figures import SentenceEncoder, similar_provisions
from clausewatch.figures.embeddings import ProvisionEmbedding
from clausewatch.settings import Settings
from tests.figure_histories import record_capture

INTRO = (
    "This notice describes what the service does with the information of its users, "
    "which settings they can change, how long records are kept and how they can "
    "contact the small team that runs it. It is written in plain words and is meant "
    "to be read from start to end in a few minutes."
)
SHARING = {
    "alpha": "We share your personal information with advertising partners and "
    "analytics companies.",
    "beta": "We share information about you with advertising networks and analytics "
    "providers.",
    "gamma": "We share your contact details with marketing partners who send offers.",
    "delta": "We share data about your purchases with payment processors.",
    "epsilon": "We share your personal information with analytics companies and "
    "advertising partners for measurement.",
}
CAPTURED = datetime(2025, 6, 1, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder.load()


@pytest.fixture
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    folder = tmp_path_factory.mktemp("similar-bound")
    store = Store.open(Settings(data_dir=folder / "data"))
    for platform_id, sentence in SHARING.items():
        text = f"# Privacy Policy\n\n{INTRO}\n\n{sentence}\n"
        record_capture(store, platform_id, "Privacy Policy", text, CAPTURED)
    with store.session() as opened:
        yield opened
    store.close()


def record_of(session: Session, text: str) -> str:
    return session.execute(
        select(Provision.record_id)
        .join(ProvisionText, ProvisionText.provision_id == Provision.id)
        .where(ProvisionText.text == text)
    ).scalar_one()


def stored_vector_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ProvisionEmbedding)) or 0


def test_many_missing_ranks_by_tfidf(
    session: Session, encoder: SentenceEncoder
) -> None:
    found = similar_provisions(
        session,
        record_of(session, SHARING["alpha"]),
        encoder=encoder,
        max_missing_vectors=2,
    )

    assert stored_vector_count(session) == 0
    assert [item.platform_id for item in found] == ["epsilon"]
    assert "alpha" not in {item.platform_id for item in found}
    assert all(item.similarity >= 0.5 for item in found)


def test_few_missing_embeds_in_request(
    session: Session, encoder: SentenceEncoder
) -> None:
    found = similar_provisions(
        session,
        record_of(session, SHARING["alpha"]),
        encoder=encoder,
        max_missing_vectors=len(SHARING),
    )

    assert stored_vector_count(session) >= len(SHARING)
    assert found[0].platform_id in {"beta", "epsilon"}


def test_stored_vectors_lift_the_bound(
    session: Session, encoder: SentenceEncoder
) -> None:
    source = record_of(session, SHARING["alpha"])
    embedded = similar_provisions(
        session, source, encoder=encoder, max_missing_vectors=None
    )
    stored = stored_vector_count(session)

    bounded = similar_provisions(
        session, source, encoder=encoder, max_missing_vectors=0
    )

    assert stored >= len(SHARING)
    assert stored_vector_count(session) == stored
    assert bounded == embedded
