"""Clause classification: assign clause types to provisions, train and evaluate models.

The classifier is hybrid: precise regular expressions per clause type
(``taxonomy/patterns.yaml``) and a linear model on TF-IDF word and character n-grams,
trained on labelled data sets mapped onto the taxonomy (``taxonomy/mappings/``) and on
the taxonomy's example sentences. Without a trained model it falls back to the
patterns plus a small model fitted on the examples at load time.
"""

from clausewatch.classify.classifier import Classifier, Scores
from clausewatch.classify.evaluation import EvalReport, evaluate
from clausewatch.classify.labelled import (
    DatasetMapping,
    LabelledDataError,
    load_mapping,
    mappings_folder,
)
from clausewatch.classify.language import detect_language
from clausewatch.classify.metrics import LabelMetrics, MetricSpace
from clausewatch.classify.patterns import PatternSet, load_patterns
from clausewatch.classify.results import Classification, Label
from clausewatch.classify.training import (
    DEFAULT_SEED,
    DEFAULT_VALIDATION_FRACTION,
    TrainReport,
    available_datasets,
    train,
)

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_VALIDATION_FRACTION",
    "Classification",
    "Classifier",
    "DatasetMapping",
    "EvalReport",
    "Label",
    "LabelMetrics",
    "LabelledDataError",
    "MetricSpace",
    "PatternSet",
    "Scores",
    "TrainReport",
    "available_datasets",
    "detect_language",
    "evaluate",
    "load_mapping",
    "load_patterns",
    "mappings_folder",
    "train",
]
