"""Classify a version's provisions and store clause types with their severity."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from clausewatch.analysis import assess_severity, detect_stance
from clausewatch.classify import Classification, Classifier
from clausewatch.db.work import (
    AnalysisRecord,
    DocumentWork,
    NewProvisionText,
    StoredProvision,
)
from clausewatch.taxonomy import Taxonomy
from clausewatch.tracking.code_version import analysis_code_digest


class Analyzer:
    """Classifier and severity rules, with a cache so each text is classified once."""

    def __init__(self, classifier: Classifier, taxonomy: Taxonomy) -> None:
        self.classifier = classifier
        self.taxonomy = taxonomy
        # Keyed by the text's SHA-256 and its list lead-in.
        self._cache: dict[tuple[str, str], tuple[list[AnalysisRecord], str, bool]] = {}

    @property
    def model_version(self) -> str:
        """Return the classifier's version and a digest of the classifying code."""
        return f"{self.classifier.version}+code-{analysis_code_digest()[:8]}"

    def clause_type_names(self) -> dict[str, str]:
        return {key: value.name for key, value in self.taxonomy.clause_types.items()}

    def analyze_texts(
        self,
        texts: Sequence[str],
        digests: Sequence[str],
        lead_ins: Sequence[str] | None = None,
    ) -> list[tuple[list[AnalysisRecord], str, bool]]:
        """Return (analysis records, language, abstained) for each text.

        ``lead_ins`` gives each text's list lead-in (``Segment.lead_in``) or "".
        """
        if lead_ins is None:
            lead_ins = [""] * len(texts)
        # A list item's labels depend on its lead-in, so the same text under two
        # lead-ins is classified twice.
        keys = list(zip(digests, lead_ins, strict=True))
        missing = [index for index, key in enumerate(keys) if key not in self._cache]
        if missing:
            results = self.classifier.classify(
                [texts[index] for index in missing],
                [lead_ins[index] for index in missing],
            )
            for index, classification in zip(missing, results, strict=True):
                self._cache[keys[index]] = self._records(texts[index], classification)
        return [self._cache[key] for key in keys]

    def _records(
        self, text: str, classification: Classification
    ) -> tuple[list[AnalysisRecord], str, bool]:
        records = []
        for label in classification.labels:
            clause_type = self.taxonomy.clause_types.get(label.clause_type_id)
            if clause_type is None:
                continue
            stance = detect_stance(clause_type.id, text)
            severity = assess_severity(clause_type, text, stance=stance)
            records.append(
                AnalysisRecord(
                    clause_type_id=label.clause_type_id,
                    confidence=round(label.confidence, 4),
                    source=label.source,
                    severity=severity.level.value,
                    severity_reason=severity.reason,
                    stance=stance,
                )
            )
        return records, classification.language, classification.abstained

    def analyze_version(
        self,
        work: DocumentWork,
        stored: Sequence[tuple[int, int, str]],
        texts: Sequence[NewProvisionText],
        previous: Sequence[StoredProvision],
        captured_at: datetime,
        lead_ins: Sequence[str] | None = None,
    ) -> None:
        """Classify every provision text of a new version and store the results.

        ``lead_ins`` gives each text's list lead-in, in the order of ``texts``.
        """
        results = self.analyze_texts(
            [text.text for text in texts],
            [text.text_sha256 for text in texts],
            lead_ins,
        )
        work.add_analyses_many(
            [
                (text_id, records, language, abstained)
                for (_, text_id, _), (records, language, abstained) in zip(
                    stored, results, strict=True
                )
            ],
            model_version=self.model_version,
            analyzed_at=datetime.now(UTC),
        )
