"""One-vs-rest linear model with calibration and per-target thresholds.

Each target (a clause type, or a category of a data set's own head) gets a LinearSVC.
Out-of-fold decision scores from a document-grouped cross-validation over the training
records fit a Platt sigmoid and choose the F1-best threshold. Confidences are the Platt
probability rescaled piecewise-linearly so that the target's threshold lands on 0.5,
which makes one global threshold (``classifier_threshold``) meaningful for all targets.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.svm import LinearSVC

logger = logging.getLogger(__name__)

#: Minimum number of positive examples for a target to be trained at all.
MIN_POSITIVES = 3
#: Minimum positives for cross-validated calibration; fewer get a fixed sigmoid.
MIN_POSITIVES_TO_CALIBRATE = 15
# Slope of the fixed sigmoid of an uncalibrated target; a LinearSVC margin of +1 maps
# to about 0.95, the margin of 0 to 0.5.
_UNCALIBRATED_SLOPE = 3.0
#: Range searched for the F1-best threshold of a calibrated target.
MIN_THRESHOLD, MAX_THRESHOLD = 0.05, 0.95


@dataclass(frozen=True)
class TargetRows:
    """Training rows of one target: which rows take part and which are positive."""

    target: str
    rows: np.ndarray
    positive: np.ndarray


@dataclass(frozen=True)
class TargetFit:
    """Fitted weights, calibration and threshold of one target."""

    target: str
    weights: np.ndarray
    bias: float
    platt_slope: float
    platt_intercept: float
    threshold: float
    calibrated: bool
    positives: int
    negatives: int
    cv_precision: float | None
    cv_recall: float | None
    cv_f1: float | None
    # Out-of-fold decision scores of the rows of ``TargetRows``, kept so that a second
    # model can be stacked on them; None for an uncalibrated target.
    oof_scores: np.ndarray | None = None


@dataclass(frozen=True)
class LinearModel:
    """Stacked weights of all targets, applied with one sparse matrix product."""

    targets: tuple[str, ...]
    weights: np.ndarray  # (n_features, n_targets), float32
    bias: np.ndarray
    platt_slope: np.ndarray
    platt_intercept: np.ndarray
    thresholds: np.ndarray

    def margins(self, features: sp.csr_matrix) -> np.ndarray:
        """Return the SVM decision scores, shape (n_texts, n_targets)."""
        return np.asarray(features @ self.weights) + self.bias

    def confidences(self, features: sp.csr_matrix) -> np.ndarray:
        """Return decision-aligned confidences, shape (n_texts, n_targets)."""
        return self.confidences_of_margins(self.margins(features))

    def confidences_of_margins(self, scores: np.ndarray) -> np.ndarray:
        """Map decision scores to decision-aligned confidences."""
        probabilities = sigmoid(self.platt_slope * scores + self.platt_intercept)
        return align_to_threshold(probabilities, self.thresholds)


def align_to_threshold(probabilities: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Rescale probabilities piecewise-linearly so each threshold maps to 0.5."""
    below = 0.5 * probabilities / thresholds
    above = 0.5 + 0.5 * (probabilities - thresholds) / (1.0 - thresholds)
    return np.clip(np.where(probabilities < thresholds, below, above), 0.0, 1.0)


def sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -30.0, 30.0)))


def fit_linear_model(
    features: sp.csr_matrix,
    groups: Sequence[str],
    target_rows: Sequence[TargetRows],
    *,
    folds: int = 4,
    c: float = 0.5,
    n_jobs: int = 2,
    min_threshold: float = MIN_THRESHOLD,
) -> tuple[LinearModel, list[TargetFit]]:
    """Fit, calibrate and threshold every target, in parallel threads.

    ``min_threshold`` is the lowest Platt probability a calibrated target's threshold
    may take.
    """
    group_array = np.asarray(groups)
    fits = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(fit_target)(
            features,
            group_array,
            rows,
            folds=folds,
            c=c,
            min_threshold=min_threshold,
        )
        for rows in target_rows
    )
    fitted = [fit for fit in fits if fit is not None]
    model = LinearModel(
        targets=tuple(fit.target for fit in fitted),
        weights=np.stack([fit.weights for fit in fitted], axis=1).astype(np.float32)
        if fitted
        else np.zeros((features.shape[1], 0), dtype=np.float32),
        bias=np.array([fit.bias for fit in fitted], dtype=np.float32),
        platt_slope=np.array([fit.platt_slope for fit in fitted], dtype=np.float32),
        platt_intercept=np.array(
            [fit.platt_intercept for fit in fitted], dtype=np.float32
        ),
        thresholds=np.array([fit.threshold for fit in fitted], dtype=np.float32),
    )
    return model, fitted


def fit_target(
    features: sp.csr_matrix,
    groups: np.ndarray,
    rows: TargetRows,
    *,
    folds: int,
    c: float,
    min_threshold: float = MIN_THRESHOLD,
) -> TargetFit | None:
    """Fit one target, or return None when it has too few positives."""
    x = features[rows.rows]
    y = rows.positive
    positives = int(y.sum())
    if positives < MIN_POSITIVES or positives == len(y):
        logger.info("skipping target %s: %d positives", rows.target, positives)
        return None

    slope, intercept, threshold = _UNCALIBRATED_SLOPE, 0.0, 0.5
    cv_scores: tuple[float | None, float | None, float | None] = (None, None, None)
    oof: np.ndarray | None = None
    target_groups = groups[rows.rows]
    calibrated = (
        positives >= MIN_POSITIVES_TO_CALIBRATE and len(set(target_groups)) >= folds
    )
    # Calibrated targets get their operating point from Platt scaling and the threshold,
    # so they are fitted without class weights: on three document splits that scored
    # 1.5 points more macro-F1 on CLAUDETTE and 0.6 more on OPP-115. An uncalibrated
    # target has a handful of positives and needs balanced weights to reach a
    # positive margin at all.
    balanced = not calibrated
    if calibrated:
        oof = out_of_fold_scores(x, y, target_groups, folds=folds, c=c)
        slope, intercept = fit_platt(oof, y)
        probabilities = sigmoid(slope * oof + intercept)
        threshold, cv_scores = best_threshold(probabilities, y, low=min_threshold)

    svm = _svm(c, balanced=balanced).fit(x, y)
    return TargetFit(
        target=rows.target,
        weights=svm.coef_.ravel().astype(np.float32),
        bias=float(svm.intercept_[0]),
        platt_slope=slope,
        platt_intercept=intercept,
        threshold=threshold,
        calibrated=calibrated,
        positives=positives,
        negatives=int(len(y) - positives),
        cv_precision=cv_scores[0],
        cv_recall=cv_scores[1],
        cv_f1=cv_scores[2],
        oof_scores=oof,
    )


def _svm(c: float, *, balanced: bool = False) -> LinearSVC:
    return LinearSVC(C=c, class_weight="balanced" if balanced else None, max_iter=5000)


def out_of_fold_scores(
    x: sp.csr_matrix, y: np.ndarray, groups: np.ndarray, *, folds: int, c: float
) -> np.ndarray:
    scores = np.zeros(len(y), dtype=np.float64)
    for train_index, test_index in GroupKFold(n_splits=folds).split(x, y, groups):
        if y[train_index].all() or not y[train_index].any():
            continue
        svm = _svm(c).fit(x[train_index], y[train_index])
        scores[test_index] = svm.decision_function(x[test_index])
    return scores


def fit_platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    # Newton's method suits one feature. On the example model's targets it matched
    # the default lbfgs fit to within 0.3% in about a tenth of the time, which
    # matters because the fallback model calibrates its targets at load time.
    platt = LogisticRegression(C=1e4, solver="newton-cholesky")
    platt.fit(scores.reshape(-1, 1), y)
    return float(platt.coef_[0, 0]), float(platt.intercept_[0])


def best_threshold(
    probabilities: np.ndarray, y: np.ndarray, *, low: float = MIN_THRESHOLD
) -> tuple[float, tuple[float, float, float]]:
    best = (0.5, (0.0, 0.0, 0.0))
    best_f1 = -1.0
    # Steps of 0.01 from ``low`` up to MAX_THRESHOLD.
    steps = int(round((MAX_THRESHOLD - low) / 0.01)) + 1
    for threshold in np.linspace(low, MAX_THRESHOLD, steps):
        predicted = probabilities >= threshold
        true_positives = float(np.sum(predicted & y))
        precision = true_positives / max(float(predicted.sum()), 1.0)
        recall = true_positives / max(float(y.sum()), 1.0)
        f1 = 2 * precision * recall / max(precision + recall, 1e-12)
        if f1 > best_f1:
            best_f1 = f1
            best = (float(threshold), (precision, recall, f1))
    return best
