"""Build the analyzer that tracking, import and reclassification share."""

from __future__ import annotations

from clausewatch.classify import Classifier
from clausewatch.settings import Settings
from clausewatch.taxonomy import default_taxonomy
from clausewatch.tracking.analyze import Analyzer


def build_analyzer(settings: Settings) -> Analyzer:
    """Load the taxonomy and the classifier (the trained model when there is one)."""
    taxonomy = default_taxonomy()
    return Analyzer(Classifier.load(settings, taxonomy), taxonomy)
