"""The accurate model: sentence embeddings stacked on the linear model's scores.

For every target that the linear model calibrated by cross-validation, a logistic
regression is fitted on frozen sentence embeddings of the same rows. Its out-of-fold
scores, from the same document-grouped folds as the linear model's, and the linear
model's out-of-fold scores are the two inputs of a second logistic regression (the
stacker). The stacker's probability gets its own F1-best threshold and the same
rescaling as the linear model, so ``classifier_threshold`` keeps its meaning. A target
keeps its linear confidence when it has no cross-validated calibration, or when its
stacker does not raise the out-of-fold F1 by at least ``MIN_F1_GAIN``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from joblib import Parallel, delayed
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from clausewatch.classify.linear import (
    TargetFit,
    TargetRows,
    align_to_threshold,
    best_threshold,
    sigmoid,
)

logger = logging.getLogger(__name__)

#: Name of the accurate model choice, in ``train`` and in manifests.
ACCURATE = "accurate"
#: Name of the default model choice: the linear model alone.
FAST = "fast"
MODEL_CHOICES = (FAST, ACCURATE)

# Inverse regularisation of the embedding regression. Chosen by document-grouped
# cross-validation on the training documents of CLAUDETTE among 0.1, 1 and 10.
EMBEDDING_C = 10.0
# Out-of-fold F1 that a stacker must add to the linear model's to be used. Both F1
# values come from thresholds chosen on the same out-of-fold scores, so each is
# slightly optimistic, and a small margin keeps noise from choosing the stacker.
MIN_F1_GAIN = 0.01


class TextEncoder(Protocol):
    """Turns texts into fixed-size vectors (``SentenceEncoder`` in the product)."""

    model_id: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class EmbeddingHead:
    """Embedding regressions and stackers of the targets they improve."""

    encoder_id: str
    targets: tuple[str, ...]
    weights: np.ndarray  # (dimensions, n_targets), float32
    bias: np.ndarray
    # Stacker coefficients on the linear score and on the embedding score.
    linear_coef: np.ndarray
    embedding_coef: np.ndarray
    intercept: np.ndarray
    thresholds: np.ndarray

    def confidences(self, margins: np.ndarray, embeddings: np.ndarray) -> np.ndarray:
        """Return decision-aligned confidences of ``targets``, (n_texts, n_targets).

        ``margins`` are the linear model's decision scores of the same targets.
        """
        embedding_scores = embeddings @ self.weights + self.bias
        logits = (
            self.linear_coef * margins
            + self.embedding_coef * embedding_scores
            + self.intercept
        )
        return align_to_threshold(sigmoid(logits), self.thresholds)


@dataclass(frozen=True)
class StackedFit:
    """Stacker of one target with its cross-validated scores."""

    target: str
    weights: np.ndarray
    bias: float
    linear_coef: float
    embedding_coef: float
    intercept: float
    threshold: float
    cv_f1: float


def fit_embedding_head(
    embeddings: np.ndarray,
    groups: Sequence[str],
    target_rows: Sequence[TargetRows],
    linear_fits: Sequence[TargetFit],
    *,
    encoder_id: str,
    folds: int = 4,
    n_jobs: int = 2,
) -> tuple[EmbeddingHead, list[StackedFit]]:
    """Fit the stackers of the calibrated targets and keep those that raise CV F1."""
    group_array = np.asarray(groups)
    rows_of = {rows.target: rows for rows in target_rows}
    jobs = [
        (rows_of[fit.target], fit.oof_scores)
        for fit in linear_fits
        if fit.oof_scores is not None and fit.target in rows_of
    ]
    fitted = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(fit_stacked_target)(embeddings, group_array, rows, oof, folds=folds)
        for rows, oof in jobs
    )
    linear_f1 = {fit.target: fit.cv_f1 or 0.0 for fit in linear_fits}
    stacked = [
        fit for fit in fitted if fit.cv_f1 >= linear_f1[fit.target] + MIN_F1_GAIN
    ]
    logger.info("embeddings improve %d of %d targets", len(stacked), len(fitted))
    dimensions = embeddings.shape[1]
    head = EmbeddingHead(
        encoder_id=encoder_id,
        targets=tuple(fit.target for fit in stacked),
        weights=np.stack([fit.weights for fit in stacked], axis=1).astype(np.float32)
        if stacked
        else np.zeros((dimensions, 0), dtype=np.float32),
        bias=_column(stacked, "bias"),
        linear_coef=_column(stacked, "linear_coef"),
        embedding_coef=_column(stacked, "embedding_coef"),
        intercept=_column(stacked, "intercept"),
        thresholds=_column(stacked, "threshold"),
    )
    return head, stacked


def _column(fits: Sequence[StackedFit], name: str) -> np.ndarray:
    return np.array([getattr(fit, name) for fit in fits], dtype=np.float32)


def fit_stacked_target(
    embeddings: np.ndarray,
    groups: np.ndarray,
    rows: TargetRows,
    linear_oof: np.ndarray,
    *,
    folds: int,
) -> StackedFit:
    """Fit one target's embedding regression and its stacker.

    The folds are the ``GroupKFold`` folds of the linear model's calibration, so both
    out-of-fold scores of a row come from models that never saw its document.
    """
    x = embeddings[rows.rows]
    y = rows.positive
    target_groups = groups[rows.rows]
    embedding_oof = np.zeros(len(y), dtype=np.float64)
    for train_index, test_index in GroupKFold(n_splits=folds).split(
        x, y, target_groups
    ):
        if y[train_index].all() or not y[train_index].any():
            continue
        model = _regression().fit(x[train_index], y[train_index])
        embedding_oof[test_index] = model.decision_function(x[test_index])

    stack_inputs = np.column_stack([linear_oof, embedding_oof])
    stacker = LogisticRegression(C=1e4).fit(stack_inputs, y)
    probabilities = stacker.predict_proba(stack_inputs)[:, 1]
    threshold, (_, _, cv_f1) = best_threshold(probabilities, y)

    regression = _regression().fit(x, y)
    return StackedFit(
        target=rows.target,
        weights=regression.coef_.ravel().astype(np.float32),
        bias=float(regression.intercept_[0]),
        linear_coef=float(stacker.coef_[0, 0]),
        embedding_coef=float(stacker.coef_[0, 1]),
        intercept=float(stacker.intercept_[0]),
        threshold=threshold,
        cv_f1=cv_f1,
    )


def _regression() -> LogisticRegression:
    return LogisticRegression(C=EMBEDDING_C, max_iter=3000)
