"""The classifier without a trained model: examples, languages and edge cases."""

from __future__ import annotations

import time

import pytest

from clausewatch.classify import Classifier, detect_language, load_patterns
from clausewatch.settings import Settings
from clausewatch.taxonomy import default_taxonomy


@pytest.fixture(scope="module")
def classifier(tmp_path_factory) -> Classifier:
    data_dir = tmp_path_factory.mktemp("data")
    return Classifier.load(Settings(data_dir=data_dir))


def test_fallback_version_names_patterns_and_examples(classifier):
    assert classifier.version.startswith("patterns-")
    assert "+examples-" in classifier.version


def test_fallback_finds_taxonomy_positive_examples(classifier):
    taxonomy = default_taxonomy()
    found = total = 0
    for type_id, clause_type in taxonomy.clause_types.items():
        for result in classifier.classify(list(clause_type.positive_examples)):
            total += 1
            found += type_id in result.clause_type_ids
    assert total > 0
    assert found / total >= 0.9


def test_fallback_rejects_taxonomy_negative_examples(classifier):
    taxonomy = default_taxonomy()
    wrong = total = 0
    for type_id, clause_type in taxonomy.clause_types.items():
        for result in classifier.classify(list(clause_type.negative_examples)):
            total += 1
            wrong += type_id in result.clause_type_ids
    assert total > 0
    assert wrong / total <= 0.1


@pytest.mark.parametrize(
    ("text", "clause_type"),
    [
        (
            "Any dispute shall be finally resolved by binding arbitration.",
            "arbitration",
        ),
        ("You agree to defend and indemnify us against claims.", "indemnification"),
        ("We place cookies on your device to measure visits.", "tracking_cookies"),
        ("We may use your prompts to train our models.", "ai_training_on_user_data"),
    ],
)
def test_fallback_labels_own_clauses(classifier, text, clause_type):
    [result] = classifier.classify([text])
    assert not result.abstained
    assert result.labels[0].clause_type_id == clause_type
    assert result.language == "en"


def test_labels_sorted_by_confidence_above_threshold(classifier):
    [result] = classifier.classify(
        ["You agree to indemnify us, and disputes go to binding arbitration."]
    )
    confidences = [label.confidence for label in result.labels]
    assert confidences == sorted(confidences, reverse=True)
    assert all(value >= classifier.threshold for value in confidences)
    assert {label.source for label in result.labels} <= {"pattern", "model", "examples"}


def test_unrelated_sentence_abstains(classifier):
    [result] = classifier.classify(["Our team loves hiking in the mountains."])
    assert result.abstained
    assert result.labels == ()


TABLE_OF_CONTENTS = (
    "1 [What data we collect](#collect) 2 [How we share your data with advertisers]"
    "(#share) 3 [How long we keep your data](#retention) 4 [How to delete your "
    "account](#delete)"
)


# The middle of a table of contents that the segmenter split: it opens with the end
# of one link and closes with the start of another.
TABLE_OF_CONTENTS_PART = (
    "------](#2)[Who we share your data with and why\n------](#3)[How long we keep "
    "your data\n------](#4)[How advertisers use your data\n------](#5)[How to "
    "delete your account and your data"
)


@pytest.mark.parametrize("text", [TABLE_OF_CONTENTS, TABLE_OF_CONTENTS_PART])
def test_table_of_contents_abstains(classifier, text):
    [result] = classifier.classify([text])

    assert result.abstained
    assert result.language == "en"


# Section titles and FAQ questions kept as paragraphs: each names a topic that the
# classifier labelled before it abstained on headings and unanswered questions.
@pytest.mark.parametrize(
    "text",
    [
        "4\\. Information We Collect About Your Location",
        "7\\. Arbitration and Class Action Waiver",
        "Which data do we share with advertisers?",
        "How long do we keep your messages?",
    ],
)
def test_heading_or_question_abstains(classifier, text):
    [result] = classifier.classify([text])

    assert result.abstained
    assert result.labels == ()
    assert result.language == "en"


@pytest.mark.parametrize(
    ("text", "clause_type"),
    [
        ("We sell your data.", "sale_of_data"),
        ("3\\. We sell your personal data to data brokers.", "sale_of_data"),
        ("**We share your data with advertisers.**", "sharing_for_advertising"),
        ("Do we sell your data? Yes, we sell it to data brokers.", "sale_of_data"),
        ("- precise location from your device's GPS", "location_data"),
    ],
)
def test_short_clause_is_classified(classifier, text, clause_type):
    [result] = classifier.classify([text])

    assert clause_type in result.clause_type_ids


def test_clause_with_links_is_classified(classifier):
    text = (
        "We share your data with advertisers such as [Ads One](https://a.example), "
        "[Ads Two](https://b.example) and [Ads Three](https://c.example), who show "
        "you ads based on what you do in the app."
    )

    [result] = classifier.classify([text])

    assert "sharing_for_advertising" in result.clause_type_ids


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_abstains(classifier, text):
    [result] = classifier.classify([text])
    assert result.abstained
    assert result.language == "und"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Nous pouvons résilier votre compte à tout moment et sans préavis.", "fr"),
        ("Wir können diese Bedingungen jederzeit und ohne Ankündigung ändern.", "de"),
        ("Podemos cancelar su cuenta en cualquier momento y sin previo aviso.", "es"),
        ("Possiamo chiudere il tuo account in qualsiasi momento e senza avviso.", "it"),
        ("Мы можем изменить эти условия в любое время без уведомления.", "ru"),
        ("本サービスは予告なく規約を変更することがあります。", "ja"),
    ],
)
def test_non_english_text_abstains(classifier, text, language):
    [result] = classifier.classify([text])
    assert result.language == language
    assert result.abstained
    assert result.labels == ()


def test_huge_text_classified_quickly(classifier):
    text = "You agree to indemnify us against all claims. " * 22_000  # about 1 MB
    started = time.perf_counter()
    [result] = classifier.classify([text])
    elapsed = time.perf_counter() - started
    assert "indemnification" in result.clause_type_ids
    assert elapsed < 2.0


def test_batch_keeps_order(classifier):
    texts = ["", "All disputes go to binding arbitration.", "Bonjour à tous et merci."]
    results = classifier.classify(texts)
    assert len(results) == 3
    assert results[0].abstained
    assert "arbitration" in results[1].clause_type_ids
    assert results[2].language == "fr"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("We may change these terms at any time.", "en"),
        ("Governing law", "und"),
        ("", "und"),
        ("Le présent contrat est régi par le droit français.", "fr"),
        ("Deze voorwaarden worden beheerst door het Nederlands recht.", "nl"),
        (
            "Estes termos são regidos pela lei portuguesa e não por outra lei.",
            "pt",
        ),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_threshold_setting_controls_abstention(tmp_path):
    taxonomy = default_taxonomy()
    patterns = load_patterns(known_types=taxonomy.clause_types)
    strict = Classifier.from_examples(taxonomy, patterns, threshold=0.999)
    [result] = strict.classify(["We may share some data with partners now and then."])
    assert result.abstained


def test_line_break_inside_sentence_reads_as_space() -> None:
    classifier = Classifier.from_examples(default_taxonomy(), load_patterns(), 0.5)
    broken, running = classifier.classify(
        [
            "We may use your messages to train our artificial\nintelligence models.",
            "We may use your messages to train our artificial intelligence models.",
        ]
    )
    assert broken.labels == running.labels
    found = {label.clause_type_id for label in broken.labels}
    assert "ai_training_on_user_data" in found
