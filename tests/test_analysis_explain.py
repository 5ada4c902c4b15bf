"""Plain-language explanations: subject detection and the what-it-is sentence."""

from __future__ import annotations

import pytest

from clausewatch.analysis import detect_subjects, explain
from clausewatch.analysis.stance import default_stance_cues
from clausewatch.analysis.subjects import parse_vocabulary
from clausewatch.errors import TaxonomyError
from clausewatch.taxonomy import ClauseType, Severity, default_taxonomy


def make_clause_type(
    what_it_is: str = "{platform} states in its {document} that it may use {subject} "
    "to train its models.",
    subject_default: str = "your content and conversations",
) -> ClauseType:
    return ClauseType(
        id="example_training",
        name="Example clause type",
        category="Artificial intelligence",
        severity=Severity.HIGH,
        severity_reason="Training data cannot be taken back out of a model.",
        what_it_is=what_it_is,
        why_it_matters="Regulators expect {platform} to offer an opt-out.",
        consumer_impact="What you tell {platform} may end up in a model.",
        actions=(),
        regulation_ids=(),
        agency_ids=(),
        related_ids=(),
        positive_examples=(),
        negative_examples=(),
        subject_default=subject_default,
    )


@pytest.mark.parametrize(
    ("text", "subjects"),
    [
        ("We review your chat messages for abuse.", ["chat messages"]),
        (
            "Prompts, voice recordings and photos may be used.",
            ["prompts", "voice recordings", "images"],
        ),
        ("We keep your conversations for 30 days.", ["conversations"]),
        ("We read your address book to suggest friends.", ["contacts"]),
        (
            "Card numbers and billing details go to our processor.",
            ["payment information"],
        ),
        ("Your precise location helps us show nearby places.", ["precise location"]),
        (
            "We log the websites you visit and your device IDs.",
            [
                "browsing activity",
                "device identifiers",
            ],
        ),
        ("Your personal information may be shared.", ["personal data"]),
        ("Personal data such as your voice commands is kept.", ["voice recordings"]),
        (
            "We do not collect biometric data, only your messages you send.",
            ["chat messages"],
        ),
        (
            "We use every category listed above except for precise location.",
            [],
        ),
        (
            "Log data and contacts (excluding precise location) are kept.",
            ["usage data", "contacts"],
        ),
        ("These terms are governed by the laws of Ireland.", []),
        (
            "Files you upload, images, videos and feedback are stored.",
            [
                "uploaded files",
                "images",
                "videos",
            ],
        ),
    ],
)
def test_detect_subjects(text: str, subjects: list[str]) -> None:
    assert detect_subjects(text) == subjects


def test_explain_names_platform_and_subject() -> None:
    text = "We may use your prompts and uploaded files to improve our models."

    explanation = explain(
        make_clause_type(), text, platform="Example AI", document="Privacy Policy"
    )

    assert explanation.subject == "your prompts and uploaded files"
    assert explanation.what_it_is == (
        "Example AI states in its Privacy Policy that it may use your prompts and "
        "uploaded files to train its models."
    )


def test_explain_falls_back_to_default_subject() -> None:
    explanation = explain(
        make_clause_type(),
        "We may use what you give us to improve our services.",
        platform="Example AI",
        document="Terms of Service",
    )

    assert explanation.subject == "your content and conversations"
    assert "your content and conversations" in explanation.what_it_is


def test_explain_fills_platform_in_other_texts() -> None:
    explanation = explain(
        make_clause_type(), "Chats train models.", platform="Acme", document="Terms"
    )

    assert explanation.why_it_matters == "Regulators expect Acme to offer an opt-out."
    assert explanation.consumer_impact == "What you tell Acme may end up in a model."


def test_explain_keeps_default_over_generic_subject() -> None:
    clause_type = make_clause_type(subject_default="personal information of children")

    explanation = explain(
        clause_type,
        "We delete personal data we learn was collected from a child.",
        platform="Acme",
        document="Privacy Policy",
    )

    assert explanation.subject == "personal information of children"


def test_childrens_data_keeps_whose_data_it_is() -> None:
    clause_type = default_taxonomy().clause_types["childrens_data"]

    explanation = explain(
        clause_type,
        "We do not knowingly collect data from minors. Write to our data protection "
        "officer at the contact details below if you think we did.",
        platform="Acme",
        document="Privacy Policy",
        stance="denies",
    )

    assert explanation.subject == "personal information of children"
    assert "personal information of children" in explanation.what_it_is


def test_explain_keeps_non_data_default() -> None:
    clause_type = make_clause_type(
        what_it_is="{platform} decides about {subject}.",
        subject_default="you and your account",
    )

    explanation = explain(
        clause_type,
        "Based on your purchase history, software decides on your account.",
        platform="Shop",
        document="Terms",
    )

    assert explanation.subject == "you and your account"


def test_explain_adds_platform_when_template_omits_it() -> None:
    clause_type = make_clause_type(
        what_it_is="The {document} allows training on {subject}."
    )

    explanation = explain(
        clause_type, "Chats train models.", platform="Acme", document="Terms"
    )

    assert explanation.what_it_is == (
        "In Acme's Terms: the Terms allows training on your conversations."
    )


def test_explain_subject_without_your_prefix() -> None:
    clause_type = make_clause_type(subject_default="content generated by its AI")

    explanation = explain(
        clause_type, "You own the outputs.", platform="Acme", document="Terms"
    )

    assert explanation.subject == "AI outputs"


@pytest.mark.parametrize(
    "document",
    [
        None,
        {"subjects": "not a list"},
        {"subjects": [{"name": "x"}]},
        {"subjects": [{"name": "x", "patterns": ["(unclosed"]}]},
    ],
)
def test_vocabulary_rejects_invalid_file(document: object) -> None:
    with pytest.raises(TaxonomyError, match="invalid subject vocabulary test.yaml"):
        parse_vocabulary(document, source="test.yaml")


@pytest.mark.parametrize(
    "clause_type",
    default_taxonomy().clause_types.values(),
    ids=lambda clause_type: clause_type.id,
)
def test_every_clause_type_explains(clause_type: ClauseType) -> None:
    explanation = explain(
        clause_type,
        clause_type.positive_examples[0],
        platform="Examplia",
        document="Privacy Policy",
    )

    assert "Examplia" in explanation.what_it_is
    assert "{" not in explanation.what_it_is
    assert "{" not in explanation.why_it_matters
    assert "{" not in explanation.consumer_impact


def test_explanation_of_denial_says_not() -> None:
    taxonomy = default_taxonomy()
    for clause_type_id in ("sale_of_data", "ai_training_on_user_data"):
        clause_type = taxonomy.clause_type(clause_type_id)
        explanation = explain(
            clause_type,
            "We do not do this.",
            platform="Example",
            document="Privacy Policy",
            stance="denies",
        )
        assert "does not" in explanation.what_it_is
        assert " may " not in f" {explanation.what_it_is} "
        assert "Example says it does not" in explanation.consumer_impact
        assert " may sell" not in explanation.consumer_impact


def test_sale_that_affirms_says_it_sells() -> None:
    clause_type = default_taxonomy().clause_type("sale_of_data")

    explanation = explain(
        clause_type,
        "We sell customer records to marketing firms.",
        platform="Example",
        document="Privacy Policy",
    )

    assert explanation.what_it_is == (
        "Example states in its Privacy Policy that it sells or may sell your personal "
        "information."
    )


@pytest.mark.parametrize(
    "text",
    [
        "California residents have the right to opt out of the sale of their data.",
        "Use the Do Not Sell My Personal Information link in the footer.",
        "State law defines “sale” as an exchange for valuable consideration.",
    ],
)
def test_sale_named_only_is_not_a_sale(text: str) -> None:
    clause_type = default_taxonomy().clause_type("sale_of_data")

    explanation = explain(
        clause_type, text, platform="Example", document="Privacy Policy"
    )

    assert "does not state that Example sells it" in explanation.what_it_is
    assert "may sell" not in explanation.what_it_is
    assert "may sell" not in explanation.consumer_impact


def test_neutral_texts_only_on_stance_aware_types() -> None:
    aware = default_stance_cues().clause_type_ids
    for clause_type in default_taxonomy().clause_types.values():
        if clause_type.neutral_what_it_is:
            assert clause_type.id in aware, clause_type.id


def test_examples_of_general_data_keep_it() -> None:
    clause_type = default_taxonomy().clause_type("sale_of_data")

    explanation = explain(
        clause_type,
        "We sell personal data, including your chat history, to data brokers.",
        platform="Example",
        document="Privacy Policy",
    )

    assert (
        explanation.subject == "your personal information, including your conversations"
    )


def test_specific_subject_without_examples_replaces_default() -> None:
    clause_type = default_taxonomy().clause_type("sale_of_data")

    explanation = explain(
        clause_type,
        "We sell your chat history and other personal data to brokers.",
        platform="Example",
        document="Privacy Policy",
    )

    assert explanation.subject == "your conversations"


@pytest.mark.parametrize(
    ("clause_type_id", "text", "absent"),
    [
        (
            "unilateral_change",
            "We may revise these terms, but only where the change is fair to you.",
            "continued use",
        ),
        (
            "data_retention",
            "Our retention guidelines describe how we plan our storage systems.",
            "how long",
        ),
        (
            "unilateral_termination",
            "We may stop offering the photo feature whenever we like.",
            "at its discretion",
        ),
        (
            "content_removal",
            "We remove posts that break the law once we are told about them.",
            "at its discretion",
        ),
    ],
)
def test_what_it_is_claims_nothing_the_text_lacks(
    clause_type_id: str, text: str, absent: str
) -> None:
    clause_type = default_taxonomy().clause_type(clause_type_id)

    explanation = explain(clause_type, text, platform="Example", document="Terms")

    assert absent not in explanation.what_it_is
    assert absent not in explanation.consumer_impact


def test_explanation_of_denial_falls_back_generic() -> None:
    from dataclasses import replace

    from clausewatch.analysis.explanation import GENERIC_DENIAL_IMPACT

    clause_type = replace(
        default_taxonomy().clause_type("sale_of_data"),
        denial_what_it_is=None,
        denial_consumer_impact=None,
    )
    explanation = explain(
        clause_type, "x", platform="Example", document="Terms", stance="denies"
    )
    assert explanation.consumer_impact == GENERIC_DENIAL_IMPACT.format(
        platform="Example"
    )
    assert explanation.what_it_is.startswith("Example states in its Terms")
