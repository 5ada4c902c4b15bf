"""Storing sentence vectors in chunks: batching, commits, interruption and resuming.

The tests run the real MiniLM model on a small SQLite store of our own sentences,
labelled by the keyword analyzer of the figures tests.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from clausewatch.cli.app import app
from clausewatch.db.models import CurrentClause, ProvisionText
from clausewatch.db.store import Store
from clausewatch.figures import (
    SentenceEncoder,
    embed_current_provisions,
    embed_missing_vectors,
    ensure_vectors,
)
from clausewatch.figures.embeddings import (
    STORED_DTYPE,
    ProvisionEmbedding,
    length_batches,
)
from clausewatch.settings import Settings
from tests.figure_histories import record_capture
from tests.test_migrations import postgres_url  # noqa: F401 - a fixture

# Each sentence contains a keyword of the keyword analyzer, so each is a current
# classified provision. Their lengths differ, so the order of embedding shows.
SENTENCES = [
    "We share logs with auditors.",
    "We collect the device model and language.",
    "You may delete saved drafts from the editor whenever you like.",
    "We share crash reports with the company that builds our error tracker.",
    "We collect the city you type when you search for a shop near you.",
    "We train our spelling suggestions on the corrections you accept in the editor.",
    "You can delete the photos you uploaded, and we erase their copies within a week.",
    "We share the delivery address with the courier that brings your parcel to "
    "your door.",
    "We collect how long each page of the help centre stays open, so that we can "
    "rewrite the pages that people read twice.",
    "We share the names of the newsletters you follow with the printing house that "
    "sends the paper editions to subscribers who asked for them.",
]
POLICY = "# Privacy Policy\n\n" + "\n\n".join(SENTENCES) + "\n"
CHUNK = 4
CAPTURED = datetime(2025, 9, 1, 8, tzinfo=UTC)

runner = CliRunner()


class Interrupted(Exception):
    """Raised by a test to stop a run part of the way through."""


class CountingEncoder(SentenceEncoder):
    """The real encoder, counting its calls and failing on call ``fail_on``."""

    calls = 0
    fail_on: int | None = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        if self.calls == self.fail_on:
            raise Interrupted(f"encode call {self.calls}")
        return super().encode(texts)


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder.load()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("embeddings") / "data"
    store = Store.open(Settings(data_dir=folder))
    record_capture(store, "alpha", "Privacy Policy", POLICY, CAPTURED)
    store.close()
    return folder


@pytest.fixture
def data_dir(template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the template store without vectors."""
    return Path(shutil.copytree(template, tmp_path / "data"))


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = Store.open(Settings(data_dir=data_dir))
    yield opened
    opened.close()


def current_texts(store: Store) -> dict[str, str]:
    with store.session() as session:
        rows = session.execute(
            select(ProvisionText.text_sha256, ProvisionText.text)
            .join(CurrentClause, CurrentClause.provision_text_id == ProvisionText.id)
            .distinct()
        ).all()
    return dict(rows)


def stored_digests(store: Store) -> set[str]:
    # A new session reads only what earlier transactions committed.
    with store.session() as session:
        return set(session.scalars(select(ProvisionEmbedding.text_sha256)))


def stop_after_first_chunk(done: int, total: int) -> None:
    if done >= CHUNK:
        raise Interrupted(f"stopped after {done} of {total}")


@pytest.mark.parametrize(
    ("lengths", "max_rows", "max_tokens", "expected"),
    [
        ([5, 3, 9, 1], 2, 100, [[3, 1], [0, 2]]),
        ([10, 10, 10, 10, 10], 32, 30, [[0, 1, 2], [3, 4]]),
        ([4, 50, 4, 4], 32, 40, [[0, 2, 3], [1]]),
        ([300], 32, 100, [[0]]),
        ([], 32, 100, []),
    ],
)
def test_length_batches_cases(
    lengths: list[int], max_rows: int, max_tokens: int, expected: list[list[int]]
) -> None:
    batches = length_batches(lengths, max_rows=max_rows, max_tokens=max_tokens)
    assert batches == expected


def test_length_batches_respect_limits() -> None:
    lengths = [(index * 37) % 256 + 1 for index in range(500)]
    batches = length_batches(lengths, max_rows=32, max_tokens=2048)
    assert sorted(index for batch in batches for index in batch) == list(range(500))
    for batch in batches:
        width = max(lengths[index] for index in batch)
        assert len(batch) <= 32
        assert len(batch) * width <= 2048


def test_batching_leaves_vectors_unchanged(encoder: SentenceEncoder) -> None:
    together = encoder.encode(SENTENCES)
    one_by_one = np.stack([encoder.encode([text])[0] for text in SENTENCES])
    reversed_order = encoder.encode(SENTENCES[::-1])[::-1]
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)
    np.testing.assert_allclose(together, reversed_order, atol=1e-5)


def test_parallel_batches_match_single(encoder: SentenceEncoder) -> None:
    texts = [
        f"{sentence} This is note {number}."
        for number in range(4)
        for sentence in SENTENCES
    ]
    assert len(length_batches([len(text.split()) for text in texts])) > 1
    together = encoder.encode(texts)
    one_by_one = np.stack([encoder.encode([text])[0] for text in texts])
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)


def test_every_current_text_stored(store: Store, encoder: SentenceEncoder) -> None:
    texts = current_texts(store)
    progress: list[tuple[int, int]] = []
    count = embed_missing_vectors(
        store.session,
        encoder,
        chunk_texts=CHUNK,
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert count == len(texts) == len(SENTENCES)
    assert stored_digests(store) == set(texts)
    assert progress == [(0, 10), (4, 10), (8, 10), (10, 10)]


def test_stored_vector_matches_encoder(store: Store, encoder: SentenceEncoder) -> None:
    texts = current_texts(store)
    embed_missing_vectors(store.session, encoder, chunk_texts=CHUNK)
    digest = next(iter(texts))
    with store.session() as session:
        blob = session.scalars(
            select(ProvisionEmbedding.vector).where(
                ProvisionEmbedding.text_sha256 == digest
            )
        ).one()
    stored = np.frombuffer(blob, dtype=STORED_DTYPE).astype(np.float32)
    np.testing.assert_allclose(stored, encoder.encode([texts[digest]])[0], atol=1e-3)


def stop_after_one_chunk(store: Store, encoder: SentenceEncoder) -> None:
    """Run embed and interrupt it once its first chunk is committed."""
    with pytest.raises(Interrupted):
        embed_missing_vectors(
            store.session,
            encoder,
            chunk_texts=CHUNK,
            on_progress=stop_after_first_chunk,
        )


def test_interrupted_run_keeps_chunks(store: Store, encoder: SentenceEncoder) -> None:
    texts = current_texts(store)
    stop_after_one_chunk(store, encoder)
    shortest = sorted(texts, key=lambda digest: (len(texts[digest]), digest))
    assert stored_digests(store) == set(shortest[:CHUNK])


def test_failed_chunk_rolled_back(store: Store) -> None:
    failing = CountingEncoder.load()
    failing.fail_on = 2
    with pytest.raises(Interrupted):
        embed_missing_vectors(store.session, failing, chunk_texts=CHUNK)
    assert failing.calls == 2
    assert len(stored_digests(store)) == CHUNK


def test_rerun_embeds_only_rest(store: Store, encoder: SentenceEncoder) -> None:
    texts = current_texts(store)
    stop_after_one_chunk(store, encoder)
    counting = CountingEncoder.load()
    resumed = embed_missing_vectors(store.session, counting, chunk_texts=CHUNK)
    again = embed_missing_vectors(store.session, counting, chunk_texts=CHUNK)
    assert resumed == len(texts) - CHUNK
    assert counting.calls == 2
    assert again == 0
    assert stored_digests(store) == set(texts)


def test_in_transaction_waits_for_commit(
    store: Store, encoder: SentenceEncoder
) -> None:
    with store.sessions() as session:
        session.begin()
        count = embed_current_provisions(session, encoder)
        session.rollback()
    assert count == len(SENTENCES)
    assert stored_digests(store) == set()


def test_command_rerun_embeds_nothing(data_dir: Path) -> None:
    first = runner.invoke(app, ["--data-dir", str(data_dir), "embed", "--json"])
    second = runner.invoke(app, ["--data-dir", str(data_dir), "embed", "--json"])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert json.loads(first.stdout)["embedded"] == len(SENTENCES)
    assert json.loads(second.stdout)["embedded"] == 0


def test_command_prints_count(data_dir: Path) -> None:
    result = runner.invoke(app, ["--data-dir", str(data_dir), "embed"])
    store = Store.open(Settings(data_dir=data_dir))
    with store.session() as session:
        rows = session.scalar(select(func.count()).select_from(ProvisionEmbedding))
    store.close()
    assert result.exit_code == 0, result.output
    assert f"Stored vectors of {len(SENTENCES)} provision texts" in result.stdout
    assert rows == len(SENTENCES)


class RacingEncoder(SentenceEncoder):
    """The real encoder, whose first call lets another session store the texts first.

    A page request and `clausewatch embed` (or two page requests) can both find a
    text without a vector and embed it at the same time.
    """

    store: Store
    texts: dict[str, str]
    raced = False

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = super().encode(texts)
        if not self.raced:
            self.raced = True
            with self.store.session() as other:
                ensure_vectors(other, self.texts, self)
        return vectors


def check_concurrent_embedding(store: Store) -> None:
    digest, text = next(iter(current_texts(store).items()))
    racing = RacingEncoder.load()
    racing.store = store
    racing.texts = {digest: text}

    with store.session() as session:
        vectors = ensure_vectors(session, {digest: text}, racing)

    assert racing.raced
    assert set(vectors) == {digest}
    assert stored_digests(store) == {digest}


def test_concurrent_embedding_of_same_text(store: Store) -> None:
    check_concurrent_embedding(store)


def test_concurrent_embedding_on_postgresql(
    postgres_url: str,  # noqa: F811 - the imported fixture
    tmp_path: Path,
) -> None:
    store = Store.open(Settings(data_dir=tmp_path, database_url=postgres_url))
    try:
        record_capture(store, "alpha", "Privacy Policy", POLICY, CAPTURED)
        check_concurrent_embedding(store)
    finally:
        store.close()
