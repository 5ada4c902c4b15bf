"""Clause-type patterns: hits on hand-written clauses, misses on unrelated text."""

from __future__ import annotations

from pathlib import Path

import pytest

from clausewatch.classify import load_patterns
from clausewatch.errors import TaxonomyError
from clausewatch.taxonomy import default_taxonomy

HITS = [
    (
        "We may use the chats you send to train our AI models.",
        "ai_training_on_user_data",
    ),
    (
        "We use automated decision-making to approve or refuse loan applications.",
        "automated_decisions_profiling",
    ),
    (
        "From the videos you like we infer your age range and your interests.",
        "automated_decisions_profiling",
    ),
    (
        "Your purchases are used to build a profile of you for personalised offers.",
        "automated_decisions_profiling",
    ),
    (
        "We keep an advertising profile for each member.",
        "automated_decisions_profiling",
    ),
    ("As between you and us, you own all outputs you create.", "ai_output_ownership"),
    (
        "Human reviewers may read your conversations to improve quality.",
        "human_review_of_conversations",
    ),
    ("Responses may be inaccurate or offensive.", "ai_output_accuracy_disclaimer"),
    (
        "You may not use the outputs to develop competing models.",
        "ai_output_use_restrictions",
    ),
    (
        "In no event shall Acme be liable for any lost profits.",
        "limitation_of_liability",
    ),
    (
        "We may suspend or terminate your account at any time without notice.",
        "unilateral_termination",
    ),
    (
        "We may modify these terms at any time at our sole discretion.",
        "unilateral_change",
    ),
    (
        "We may remove any content you post at any time for any reason.",
        "content_removal",
    ),
    ("By using the app, you agree to these terms.", "contract_by_using"),
    ("This agreement is governed by the laws of Ireland.", "choice_of_law"),
    (
        "You submit to the exclusive jurisdiction of the courts of Dublin.",
        "jurisdiction",
    ),
    ("All disputes will be settled by binding arbitration.", "arbitration"),
    ("We collect personal information when you register.", "first_party_collection"),
    ("At sign-up we ask for your mobile number.", "first_party_collection"),
    (
        "We record your IP address and billing address at checkout.",
        "first_party_collection",
    ),
    (
        "We do not ask for sensitive personal data about you.",
        "sensitive_data_collection",
    ),
    (
        "We receive information about you from our partners.",
        "third_party_data_sources",
    ),
    (
        "We share your personal data with service providers.",
        "third_party_sharing",
    ),
    ("We may sell your personal information to data partners.", "sale_of_data"),
    ("We don't sell your personal data to anyone.", "sale_of_data"),
    ("Customer data is never sold or rented.", "sale_of_data"),
    ("Examplecorp does not sell your personal information.", "sale_of_data"),
    ("We have never sold any of your data.", "sale_of_data"),
    (
        "Residents of some states may opt out of the sale of their data.",
        "opt_out_choices",
    ),
    ("Sharing cookie data with ad networks may be considered a sale.", "sale_of_data"),
    (
        "Staff may listen to short snippets of voice recordings to improve accuracy.",
        "human_review_of_conversations",
    ),
    (
        "Some chats are checked with help from human review.",
        "human_review_of_conversations",
    ),
    (
        "Do not type anything you would not want a reviewer to see.",
        "human_review_of_conversations",
    ),
    (
        "The assistant may use automated and manual (i.e. human) review of prompts.",
        "human_review_of_conversations",
    ),
    ("We show you interest-based advertising.", "sharing_for_advertising"),
    ("We pass your details to advertising partners.", "sharing_for_advertising"),
    ("We pass your details to advertising partners.", "third_party_sharing"),
    (
        "We keep your data for as long as your account is open.",
        "data_retention",
    ),
    ("You have the right to erasure of your data.", "data_deletion_right"),
    ("You may request a copy of your personal data.", "data_access_right"),
    ("You have the right to rectification of your data.", "data_correction_right"),
    ("You can opt out of these emails at any time.", "opt_out_choices"),
    (
        "We do not knowingly collect data from children under 13.",
        "childrens_data",
    ),
    (
        "We use appropriate technical and organisational measures to protect data.",
        "data_security",
    ),
    ("We will notify you of a data breach without delay.", "breach_notification"),
    ("We will post any changes to this privacy policy here.", "policy_change_notice"),
    (
        "Your data may be transferred outside the European Economic Area.",
        "international_transfer",
    ),
    ("We may send your data outside the UK.", "international_transfer"),
    ("We use cookies and web beacons.", "tracking_cookies"),
    ("Our e-mails contain tracking images.", "tracking_cookies"),
    ("We do not respond to Do Not Track signals.", "do_not_track"),
    ("The app collects precise location data.", "location_data"),
    ("We may process biometric identifiers.", "biometric_data"),
    (
        "We disclose information to law enforcement when required.",
        "law_enforcement_access",
    ),
    (
        "In a merger or acquisition, your data may be transferred.",
        "corporate_transaction_transfer",
    ),
    ("We will send you our newsletter.", "marketing_communications"),
    (
        "We combine the information we collect with data from other sources.",
        "data_combination",
    ),
    ("You agree to indemnify Acme against all claims.", "indemnification"),
    ("You waive any right to bring a class action.", "class_action_waiver"),
    (
        "You grant us a worldwide, royalty-free license to use your content.",
        "user_content_license",
    ),
    ("Your subscription renews automatically each month.", "auto_renewal"),
    ("You can delete your account in the settings.", "account_closure"),
    (
        "Our privacy policy is incorporated into these terms by reference.",
        "privacy_policy_incorporated",
    ),
    ('The service is provided "as is".', "warranty_disclaimer"),
    ("The app is offered as-is, without any warranty.", "warranty_disclaimer"),
    ("You must be at least 16 years old to sign up.", "age_restriction"),
    (
        "You are responsible for keeping the password of your account secure.",
        "account_security_responsibility",
    ),
    ("All fees are non-refundable.", "no_refunds"),
    (
        "We may use any feedback you give us without any obligation to you.",
        "feedback_license",
    ),
    ("You waive your right to a jury trial.", "jury_trial_waiver"),
    (
        "Any claim must be filed within one year after it arose.",
        "claim_time_limit",
    ),
    (
        "Prompts may be sent to third-party AI providers for processing.",
        "third_party_ai_processing",
    ),
]

MISSES = [
    "Welcome to our help centre.",
    "Our office is open Monday to Friday.",
    "Thank you for reading.",
]

# Negations and other senses of a pattern's words that must not fire its type.
NEAR_MISSES = [
    ("We do not collect your phone number.", "first_party_collection"),
    ("We obtain your name from data brokers.", "first_party_collection"),
    ("We do not sell products to minors.", "sale_of_data"),
    ("You do not sell any data you obtain through the API.", "sale_of_data"),
    ("Tickets are considered sold once payment clears.", "sale_of_data"),
    (
        "Moderators carry out manual review of reported posts.",
        "human_review_of_conversations",
    ),
    ("Enter the tracking number to follow your parcel.", "tracking_cookies"),
    ("You may leave the default settings as is.", "warranty_disclaimer"),
    ("We send parcels outside the EU by air.", "international_transfer"),
    (
        "You have the right not to be subject to automated decision-making.",
        "automated_decisions_profiling",
    ),
    (
        "You can request a review of decisions made solely by automated means.",
        "automated_decisions_profiling",
    ),
    ("We infer your country from your IP address.", "automated_decisions_profiling"),
]

# Rules for users or developers, the privacy frameworks' arbitration and other senses
# of "acquisition" name a practice without stating it, so their types get no hit.
NAMED_WITHOUT_STATING = [
    (
        "Don't use the assistant to guess anyone's health conditions or religion.",
        "sensitive_data_collection",
    ),
    (
        "- Never use the camera to capture the fingerprints of other people.",
        "biometric_data",
    ),
    (
        "| Ask before you upload a photo. | Don't run facial recognition on it. |",
        "biometric_data",
    ),
    (
        "Developers must not use location data for purposes users did not agree to.",
        "location_data",
    ),
    (
        "Apps may not show targeted advertising based on a user's medical records.",
        "sharing_for_advertising",
    ),
    (
        "You agree not to collect health data about other users of the forum.",
        "sensitive_data_collection",
    ),
    (
        "Complaints under the Data Privacy Framework that stay unresolved may, "
        "under certain conditions, go to binding arbitration.",
        "arbitration",
    ),
    (
        "As a Privacy Shield participant we accept binding arbitration for "
        "unresolved complaints.",
        "arbitration",
    ),
    (
        "After the acquisition of a subscription through a partner store, the "
        "partner's terms apply.",
        "corporate_transaction_transfer",
    ),
    (
        "The app is a commercial item as the Federal Acquisition Regulation "
        "defines it.",
        "corporate_transaction_transfer",
    ),
    (
        "We will tell you about unauthorised access to, or acquisition of, your "
        "personal data.",
        "corporate_transaction_transfer",
    ),
    (
        "Our customer acquisition tools help sellers find buyers.",
        "corporate_transaction_transfer",
    ),
]

# The same words where the platform states the practice: the type keeps its hit.
STATED_WITH_RULE_WORDS = [
    (
        "We collect your precise location data, and you may not be able to use "
        "maps without it.",
        "location_data",
    ),
    (
        "We show targeted advertising, and you will not see it once you opt out.",
        "sharing_for_advertising",
    ),
    (
        "We process the health data that you record in the app.",
        "sensitive_data_collection",
    ),
    ("Do not sell my info: we may share location data with partners.", "location_data"),
    ("We use facial recognition to verify your identity.", "biometric_data"),
    ("Any dispute will be resolved by binding arbitration.", "arbitration"),
    (
        "If we are part of a merger or acquisition, your data may pass to the buyer.",
        "corporate_transaction_transfer",
    ),
    (
        "In an acquisition of our company, the new owner receives your account data.",
        "corporate_transaction_transfer",
    ),
]


@pytest.fixture(scope="module")
def patterns():
    return load_patterns(known_types=default_taxonomy().clause_types)


@pytest.mark.parametrize(("text", "clause_type"), HITS)
def test_pattern_hits_clause(patterns, text, clause_type):
    assert clause_type in patterns.match(text)


@pytest.mark.parametrize("text", MISSES)
def test_pattern_misses_unrelated_text(patterns, text):
    assert patterns.match(text) == set()


@pytest.mark.parametrize(("text", "clause_type"), NEAR_MISSES)
def test_pattern_skips_near_miss(patterns, text, clause_type):
    assert clause_type not in patterns.match(text, prefilter=False)


@pytest.mark.parametrize(("text", "clause_type"), NAMED_WITHOUT_STATING)
def test_unless_skips_practice_named_only(patterns, text, clause_type):
    assert clause_type in patterns.named_without_stating(text)
    assert clause_type not in patterns.match(text)


@pytest.mark.parametrize(("text", "clause_type"), STATED_WITH_RULE_WORDS)
def test_unless_keeps_stated_practice(patterns, text, clause_type):
    assert clause_type not in patterns.named_without_stating(text)
    assert clause_type in patterns.match(text)


@pytest.mark.parametrize(("text", "clause_type"), HITS)
def test_keyword_gate_keeps_every_match(patterns, text, clause_type):
    assert patterns.match(text) == patterns.match(text, prefilter=False)


def test_patterns_cover_every_clause_type(patterns):
    assert set(patterns.clause_type_ids) == set(default_taxonomy().clause_types)


def test_patterns_read_only_the_start_of_huge_text(patterns):
    text = "x " * 500_000 + "All disputes will be settled by binding arbitration."
    assert patterns.match(text) == set()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("types: {arbitration: {keywords: [a], patterns: ['(']}}", "does not compile"),
        (
            "types: {no_such_type: {keywords: [a], patterns: ['a']}}",
            "unknown clause type",
        ),
        ("types: {arbitration: {patterns: ['a']}}", "keywords"),
        (
            "types: {arbitration: {keywords: [a], patterns: ['a'], unless: ['[']}}",
            "'unless' of 'arbitration' does not compile",
        ),
        (
            "types: {arbitration: {keywords: [a], patterns: ['a'], unless: 'b'}}",
            "must be a list",
        ),
        (
            "types: {arbitration: {keywords: [a], patterns: ['${missing}b']}}",
            "unknown fragment 'missing'",
        ),
        (
            "fragments: {start: '('}\ntypes: {arbitration: {keywords: [a], "
            "patterns: ['a']}}",
            "fragment 'start' does not compile",
        ),
        (
            "fragments: [a]\ntypes: {arbitration: {keywords: [a], patterns: ['a']}}",
            "'fragments' must map",
        ),
        ("types: [", "invalid YAML"),
        ("other: 1", "no 'types'"),
    ],
)
def test_invalid_patterns_file_rejected(tmp_path: Path, content, message):
    path = tmp_path / "patterns.yaml"
    path.write_text(content)
    with pytest.raises(TaxonomyError, match=message):
        load_patterns(path, known_types={"arbitration"})


def test_unless_pattern_drops_a_hit(tmp_path: Path):
    path = tmp_path / "patterns.yaml"
    path.write_text(
        "types: {arbitration: {keywords: [arbitra], patterns: ['arbitration'], "
        "unless: ['right to opt out']}}"
    )
    patterns = load_patterns(path, known_types={"arbitration"})

    assert patterns.match("Disputes go to binding arbitration.") == {"arbitration"}
    assert patterns.match("You have the right to opt out of arbitration.") == set()


def test_fragment_reference_expands(tmp_path: Path):
    path = tmp_path / "patterns.yaml"
    path.write_text(
        "fragments: {opening: 'never|do not'}\n"
        "types: {arbitration: {keywords: [arbitra], patterns: ['arbitration'], "
        "unless: ['(${opening}) [a-z ]*arbitration']}}"
    )
    patterns = load_patterns(path, known_types={"arbitration"})

    assert patterns.match("Disputes go to binding arbitration.") == {"arbitration"}
    assert patterns.match("Never threaten a seller with arbitration.") == set()
