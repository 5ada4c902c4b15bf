"""Cross-validation folds, the no-label class and pooling of fold scores."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console
from sklearn.metrics import f1_score

from clausewatch.classify import LabelledDataError
from clausewatch.classify.crossval import (
    CrossValidationReport,
    FoldResult,
    cross_validate,
    pool_spaces,
)
from clausewatch.classify.evaluation import EvalReport
from clausewatch.classify.labelled import assign_folds
from clausewatch.classify.metrics import (
    NO_LABEL,
    LabelMetrics,
    MetricSpace,
    score_labels,
)
from tests.test_classify_model_file import _write_dataset

DOCS = [f"doc{index:02d}" for index in range(23)]


def test_assign_folds_holds_out_every_document_once():
    folds = assign_folds(DOCS, folds=5, seed=7)
    assert sorted(folds) == DOCS
    assert set(folds.values()) == {0, 1, 2, 3, 4}
    sizes = Counter(folds.values())
    assert max(sizes.values()) - min(sizes.values()) <= 1


def test_assign_folds_groups_records_by_document():
    # One entry per record: a document's records must all land in its one fold.
    records = [doc for doc in DOCS for _ in range(3)]
    folds = assign_folds(records, folds=4, seed=7)
    assert len(folds) == len(DOCS)
    assert folds == assign_folds(DOCS, folds=4, seed=7)


def test_assign_folds_deterministic_under_seed():
    first = assign_folds(DOCS, folds=5, seed=20261204)
    assert assign_folds(reversed(DOCS), folds=5, seed=20261204) == first
    assert assign_folds(DOCS, folds=5, seed=1) != first


@pytest.mark.parametrize("folds", [0, 1, 24])
def test_assign_folds_rejects_impossible_count(folds):
    with pytest.raises(LabelledDataError, match=f"into {folds} folds"):
        assign_folds(DOCS, folds=folds, seed=7)


# Six records over labels a and b; "c" lies outside the label space. Worked by hand:
#   a: TP rows 0, 4                       -> P 1, R 1, F1 1
#   b: FP row 3, FN rows 1, 4             -> F1 0
#   no label: gold rows 2, 3, 5, predicted rows 1, 2, 5
#             TP 2 (rows 2, 5), FP 1 (row 1), FN 1 (row 3) -> F1 2/3
GOLD = [{"a"}, {"b"}, set(), set(), {"a", "b"}, {"c"}]
PREDICTED = [{"a"}, set(), set(), {"b"}, {"a"}, set()]


def test_no_label_class_counts_worked_example():
    space = score_labels("s", "m", ["a", "b"], GOLD, PREDICTED, with_no_label=True)
    assert space.no_label == LabelMetrics(NO_LABEL, 2, 1, 1)
    assert space.no_label.f1 == pytest.approx(2 / 3)


def test_macro_with_no_label_worked_example():
    space = score_labels("s", "m", ["a", "b"], GOLD, PREDICTED, with_no_label=True)
    assert space.macro_f1 == pytest.approx(0.5)
    assert space.macro_f1_with_no_label == pytest.approx((1 + 0 + 2 / 3) / 3)
    # The no-label class leaves micro-F1 over the labels alone: TP 2, FP 1, FN 2.
    assert space.micro.f1 == pytest.approx(4 / 7)
    data = space.to_dict()
    assert data["macro_with_no_label"]["f1"] == pytest.approx(5 / 9, abs=1e-4)
    assert data["no_label"]["support"] == 3


def test_no_label_class_absent_unless_asked():
    space = score_labels("s", "m", ["a", "b"], GOLD, PREDICTED)
    assert space.no_label is None
    assert space.macro_f1_with_no_label is None
    assert "macro_with_no_label" not in space.to_dict()


def test_macro_with_no_label_matches_lexglue_averaging():
    # LexGLUE appends a column that is 1 where a row has no label, to the gold and
    # to the predicted matrix, then takes scikit-learn's macro-F1 over all columns.
    random = np.random.default_rng(5)
    labels = ["a", "b", "c", "d"]
    gold_matrix = random.random((60, 4)) < 0.2
    predicted_matrix = gold_matrix ^ (random.random((60, 4)) < 0.15)
    gold = [{labels[j] for j in np.flatnonzero(row)} for row in gold_matrix]
    predicted = [{labels[j] for j in np.flatnonzero(row)} for row in predicted_matrix]

    def with_extra_column(matrix: np.ndarray) -> np.ndarray:
        return np.column_stack([matrix, ~matrix.any(axis=1)]).astype(int)

    expected = f1_score(
        with_extra_column(gold_matrix),
        with_extra_column(predicted_matrix),
        average="macro",
        zero_division=0,
    )
    space = score_labels("s", "m", labels, gold, predicted, with_no_label=True)
    assert gold_matrix.any(axis=0).all()  # every label has support, as in LexGLUE
    assert space.macro_f1_with_no_label == pytest.approx(expected)


def _space(counts: list[tuple[int, int, int]], no_label: tuple[int, int, int]):
    labels = tuple(
        LabelMetrics(name, *count) for name, count in zip("ab", counts, strict=True)
    )
    return MetricSpace("s", "m", labels, LabelMetrics(NO_LABEL, *no_label))


def test_pool_spaces_adds_counts_before_f1():
    first = _space([(1, 0, 0), (2, 1, 0)], (5, 0, 1))
    second = _space([(0, 0, 3), (1, 0, 1)], (4, 1, 0))
    pooled = pool_spaces([first, second])
    assert pooled.labels[0] == LabelMetrics("a", 1, 0, 3)
    assert pooled.labels[1] == LabelMetrics("b", 3, 1, 1)
    assert pooled.no_label == LabelMetrics(NO_LABEL, 9, 1, 1)
    # Label a scores F1 1 and 0 in the folds but 0.4 pooled (P 1, R 1/4).
    assert pooled.labels[0].f1 == pytest.approx(0.4)


def _report(space: MetricSpace) -> EvalReport:
    return EvalReport("set", "fold", 7, "v", 10, 2, 1.0, [space])


def test_summary_gives_mean_and_sample_sd():
    report = CrossValidationReport(folds=2, seed=7, model="fast")
    perfect = _space([(2, 0, 0), (1, 0, 0)], (3, 0, 0))
    missed = _space([(0, 0, 2), (0, 0, 1)], (3, 0, 0))
    report.results = [
        FoldResult(1, "v1", 1.0, {"set": _report(perfect)}),
        FoldResult(2, "v2", 1.0, {"set": _report(missed)}),
    ]
    macro = report.summary("set")["s"]["macro_f1"]
    assert macro["folds"] == [1.0, 0.0]
    assert macro["mean"] == pytest.approx(0.5)
    assert macro["sd"] == pytest.approx(0.7071, abs=1e-4)
    with_no_label = report.summary("set")["s"]["macro_f1_with_no_label"]
    assert with_no_label["folds"] == [1.0, pytest.approx(1 / 3, abs=1e-4)]
    # Both folds carry two records of label a, so the pooled support is four.
    assert report.to_dict()["pooled"]["set"]["s"]["labels"]["a"]["support"] == 4


@pytest.mark.slow
def test_cross_validate_scores_every_document_once(tmp_path: Path):
    # The hand-written set of 20 documents, each with one sentence per label.
    labels_dir = tmp_path / "labels"
    _write_dataset(labels_dir)
    records = (labels_dir / "claudette_en" / "claudette_en.jsonl").read_text()
    total = len(records.splitlines())

    report = cross_validate(labels_dir, folds=2, seed=3)

    fold_reports = [result.reports["claudette_en"] for result in report.results]
    assert [r.documents for r in fold_reports] == [10, 10]
    assert sum(r.records for r in fold_reports) == total
    pooled = {space.name: space for space in report.pooled("claudette_en")}
    arbitration = pooled["claudette_en labels"].labels[-1]
    assert arbitration.label == "arbitration"
    assert arbitration.support == 20
    data = json.loads(json.dumps(report.to_dict()))
    assert (
        "macro_with_no_label" in data["pooled"]["claudette_en"]["claudette_en labels"]
    )
    console = Console(width=200, record=True)
    console.print(fold_reports[0].render_table())
    assert f"macro with {NO_LABEL}" in console.export_text()
