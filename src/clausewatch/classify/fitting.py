"""Build a model bundle from labelled records: rows per target, features, fit."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from clausewatch.classify.background import load_background_sentences
from clausewatch.classify.features import build_vectorizer, feature_matrix, truncate
from clausewatch.classify.labelled import DatasetMapping, LabelledRecord
from clausewatch.classify.linear import (
    MIN_THRESHOLD,
    TargetFit,
    TargetRows,
    fit_linear_model,
)
from clausewatch.classify.modelfile import ModelBundle
from clausewatch.classify.patterns import PatternSet
from clausewatch.classify.stacking import (
    EmbeddingHead,
    StackedFit,
    TextEncoder,
    fit_embedding_head,
)
from clausewatch.taxonomy import Taxonomy

logger = logging.getLogger(__name__)

#: Data set name of the taxonomy's own example sentences.
EXAMPLES_DATASET = "taxonomy"

#: Lowest threshold of a target calibrated on the example sentences alone. The
#: examples hold far fewer ordinary sentences than a real document, so the F1-best
#: threshold on them (often 0.1 to 0.2) fires on unrelated text.
EXAMPLES_MIN_THRESHOLD = 0.3


def example_records(taxonomy: Taxonomy) -> list[LabelledRecord]:
    """Turn the taxonomy's example sentences and the background sentences into records.

    Each sentence is its own document, so cross-validation can split them apart. A
    clause type's negative example is a negative of that type alone, while a
    background sentence is a negative of every type.
    """
    records = []
    for type_id, clause_type in sorted(taxonomy.clause_types.items()):
        examples = [(text, True) for text in clause_type.positive_examples]
        examples += [(text, False) for text in clause_type.negative_examples]
        for index, (text, positive) in enumerate(examples):
            records.append(
                _example_record(
                    f"{type_id}:{index}",
                    text,
                    positive_for=type_id if positive else None,
                    negative_for=None if positive else frozenset({type_id}),
                )
            )
    for index, text in enumerate(load_background_sentences()):
        records.append(_example_record(f"background:{index}", text))
    return records


def _example_record(
    name: str,
    text: str,
    *,
    positive_for: str | None = None,
    negative_for: frozenset[str] | None = None,
) -> LabelledRecord:
    """Build the record of one example sentence, which is its own document."""
    record_id = f"{EXAMPLES_DATASET}:{name}"
    return LabelledRecord(
        id=record_id,
        doc=record_id,
        dataset=EXAMPLES_DATASET,
        text=text,
        labels=(positive_for,) if positive_for else (),
        targets=frozenset({positive_for}) if positive_for else frozenset(),
        negative_for=negative_for,
    )


def target_rows(
    records: Sequence[LabelledRecord],
    clause_type_ids: Iterable[str],
    mappings: Mapping[str, DatasetMapping],
) -> list[TargetRows]:
    """Choose the training rows of every clause type and head target.

    A record takes part in a target when its data set annotates that target (so an
    unlabelled record is a true negative) or when it is a positive. The taxonomy
    examples take no part in such a target, because their 20 to 30 sentences per type
    pulled the labelled sets' boundaries towards the taxonomy's broader definitions.
    Without them, cross-validation on the training documents scored 0.6 points more
    macro-F1 on CLAUDETTE and 2.2 more on the OPP-115 head. A clause type that no
    labelled data set annotates is trained on the taxonomy examples against every
    record, since the labelled data rarely contains such clauses. Either way a record
    whose ``negative_for`` leaves the target out is not a negative of it.
    """
    datasets = np.array([record.dataset for record in records])
    is_example = datasets == EXAMPLES_DATASET
    covering = covering_datasets(mappings)
    targets = [*sorted(clause_type_ids)]
    targets += sorted({t for m in mappings.values() for t in m.head_targets})
    result = []
    for target in targets:
        positive = np.array([target in record.targets for record in records])
        negative = np.array(
            [r.negative_for is None or target in r.negative_for for r in records]
        )
        if target in covering:
            negative &= np.isin(datasets, list(covering[target]))
            rows = np.flatnonzero(negative | (positive & ~is_example))
        else:
            rows = np.flatnonzero(negative | positive)
        result.append(TargetRows(target, rows, positive[rows]))
    return result


def covering_datasets(mappings: Mapping[str, DatasetMapping]) -> dict[str, set[str]]:
    """Map each target to the labelled data sets that annotate it."""
    covering: dict[str, set[str]] = {}
    for mapping in mappings.values():
        for target in [*mapping.trained_types, *mapping.head_targets]:
            covering.setdefault(target, set()).add(mapping.dataset)
    return covering


def fit_bundle(
    records: Sequence[LabelledRecord],
    patterns: PatternSet,
    clause_type_ids: Iterable[str],
    mappings: Mapping[str, DatasetMapping],
    *,
    folds: int = 4,
    c: float = 0.5,
    min_df: int = 2,
    min_threshold: float = MIN_THRESHOLD,
    encoder: TextEncoder | None = None,
) -> tuple[ModelBundle, list[TargetFit], list[StackedFit]]:
    """Fit the vectorizer and every target on ``records``.

    ``min_threshold`` raises the lowest threshold a calibrated target may take (see
    ``fit_linear_model``). With an ``encoder``, the calibrated targets also get the
    stacked embedding head of the accurate model.
    """
    texts = [record.text for record in records]
    vectorizer = build_vectorizer(min_df=min_df)
    vectorizer.fit(truncate(texts))
    pattern_types = patterns.clause_type_ids
    features = feature_matrix(vectorizer, texts, patterns, pattern_types)
    logger.info("fitting %d records, %d features", features.shape[0], features.shape[1])

    rows = target_rows(records, clause_type_ids, mappings)
    groups = [record.doc for record in records]
    linear, fits = fit_linear_model(
        features, groups, rows, folds=folds, c=c, min_threshold=min_threshold
    )
    head: EmbeddingHead | None = None
    stacked: list[StackedFit] = []
    if encoder is not None:
        logger.info("embedding %d records with %s", len(texts), encoder.model_id)
        embeddings = encoder.encode(texts)
        head, stacked = fit_embedding_head(
            embeddings, groups, rows, fits, encoder_id=encoder.model_id, folds=folds
        )
    external = {
        target
        for record in records
        if record.dataset != EXAMPLES_DATASET
        for target in record.targets
    }
    sources = {
        fit.target: "model" if fit.target in external else "examples" for fit in fits
    }
    # A target that no data set annotates is fitted on its examples against every
    # labelled record, and those records contain unmarked clauses of the type (such
    # as OPP-115 segments that describe profiling). Its calibration therefore does not
    # measure how precise its patterns are, so a pattern hit raises it as it raises an
    # uncalibrated target. Without data sets the negatives are sentences written as
    # negatives, so the calibration is kept.
    covering = covering_datasets(mappings)
    calibrated = frozenset(
        fit.target
        for fit in fits
        if fit.calibrated and (fit.target in covering or not mappings)
    )
    bundle = ModelBundle(
        vectorizer, pattern_types, linear, sources, calibrated, embedding_head=head
    )
    return bundle, fits, stacked
