"""The bundled taxonomy: required ids, examples, references and rendering."""

from __future__ import annotations

import re
import string

import pytest

from clausewatch.errors import NotFoundError
from clausewatch.taxonomy import (
    CATEGORIES,
    MIN_EXAMPLES,
    ClauseType,
    Severity,
    default_taxonomy,
    load_taxonomy,
    render_template,
)

REQUIRED_CLAUSE_TYPES = [
    # Artificial intelligence
    "ai_training_on_user_data",
    "automated_decisions_profiling",
    "ai_output_ownership",
    "human_review_of_conversations",
    "ai_output_accuracy_disclaimer",
    "ai_output_use_restrictions",
    # The eight unfair-term types of the UNFAIR-ToS scheme
    "limitation_of_liability",
    "unilateral_termination",
    "unilateral_change",
    "content_removal",
    "contract_by_using",
    "choice_of_law",
    "jurisdiction",
    "arbitration",
    # OPP-115 data practices, refined
    "first_party_collection",
    "sensitive_data_collection",
    "third_party_data_sources",
    "third_party_sharing",
    "sale_of_data",
    "sharing_for_advertising",
    "data_retention",
    "data_deletion_right",
    "data_access_right",
    "opt_out_choices",
    "childrens_data",
    "data_security",
    "breach_notification",
    "policy_change_notice",
    "international_transfer",
    "tracking_cookies",
    "do_not_track",
    "location_data",
    "biometric_data",
    "law_enforcement_access",
    "corporate_transaction_transfer",
    "marketing_communications",
    "data_combination",
    # Common terms
    "indemnification",
    "class_action_waiver",
    "user_content_license",
    "auto_renewal",
    "account_closure",
    "privacy_policy_incorporated",
    "warranty_disclaimer",
    "age_restriction",
    "account_security_responsibility",
    "no_refunds",
    "feedback_license",
    "jury_trial_waiver",
]

REQUIRED_REGULATIONS = [
    "gdpr",
    "uk_gdpr",
    "eprivacy",
    "eu_ai_act",
    "dsa",
    "ccpa_cpra",
    "colorado_ai_act",
    "colorado_privacy_act",
    "virginia_cdpa",
    "coppa",
    "can_spam",
    "ftc_act_s5",
    "illinois_bipa",
    "pipeda",
    "lgpd",
    "eu_unfair_terms_directive",
    "eu_consumer_rights_directive",
    "faa",
    "california_arl",
]

REQUIRED_AGENCIES = [
    "ftc",
    "california_ag",
    "cppa",
    "ico",
    "cnil",
    "irish_dpc",
    "edpb",
    "colorado_ag",
    "virginia_ag",
    "illinois_ag",
    "texas_ag",
    "opc_canada",
    "anpd",
    "eu_ai_office",
    "cfpb",
]

ALL_CLAUSE_TYPES = sorted(default_taxonomy().clause_types)

SAMPLE = {
    "platform": "Character.AI",
    "document": "Privacy Policy",
    "subject": "your chat messages",
}


def count_sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", text))


def clause(clause_id: str) -> ClauseType:
    return default_taxonomy().clause_type(clause_id)


def test_bundled_taxonomy_size() -> None:
    taxonomy = default_taxonomy()

    assert len(taxonomy.clause_types) >= 45
    assert len(taxonomy.regulations) >= len(REQUIRED_REGULATIONS)
    assert len(taxonomy.agencies) >= len(REQUIRED_AGENCIES)


def test_bundled_categories_exact() -> None:
    assert default_taxonomy().categories == CATEGORIES


@pytest.mark.parametrize("clause_id", REQUIRED_CLAUSE_TYPES)
def test_required_clause_type_present(clause_id: str) -> None:
    assert clause_id in default_taxonomy().clause_types


@pytest.mark.parametrize("clause_id", ALL_CLAUSE_TYPES)
def test_clause_type_examples(clause_id: str) -> None:
    clause_type = clause(clause_id)

    assert len(clause_type.positive_examples) >= MIN_EXAMPLES
    assert len(clause_type.negative_examples) >= MIN_EXAMPLES
    assert not set(clause_type.positive_examples) & set(clause_type.negative_examples)


@pytest.mark.parametrize("clause_id", ALL_CLAUSE_TYPES)
def test_clause_type_references_exist(clause_id: str) -> None:
    taxonomy = default_taxonomy()
    clause_type = clause(clause_id)

    assert clause_type.regulation_ids
    assert clause_type.agency_ids
    assert set(clause_type.regulation_ids) <= set(taxonomy.regulations)
    assert set(clause_type.agency_ids) <= set(taxonomy.agencies)
    assert set(clause_type.related_ids) <= set(taxonomy.clause_types)
    assert clause_id not in clause_type.related_ids


@pytest.mark.parametrize("clause_id", ALL_CLAUSE_TYPES)
def test_clause_type_templates_render(clause_id: str) -> None:
    clause_type = clause(clause_id)
    texts = [
        clause_type.describe(**SAMPLE),
        render_template(clause_type.why_it_matters, **SAMPLE),
        render_template(clause_type.consumer_impact, **SAMPLE),
    ]
    for action in clause_type.actions:
        texts.append(render_template(action.label, **SAMPLE))
        texts.append(render_template(action.caveat, **SAMPLE))

    described = texts[0]
    assert described.startswith("Character.AI states in its Privacy Policy")
    assert described.endswith(".")
    for text in texts:
        assert "{" not in text
        assert "}" not in text


@pytest.mark.parametrize("clause_id", ALL_CLAUSE_TYPES)
def test_clause_type_texts_complete(clause_id: str) -> None:
    clause_type = clause(clause_id)

    assert clause_type.category in CATEGORIES
    assert clause_type.severity_reason.endswith(".")
    assert clause_type.actions
    assert clause_type.subject_default
    assert 2 <= count_sentences(clause_type.why_it_matters) <= 4
    assert 1 <= count_sentences(clause_type.consumer_impact) <= 3
    assert count_sentences(clause_type.severity_reason) <= 2


def test_describe_uses_subject_default() -> None:
    described = clause("ai_training_on_user_data").describe(
        platform="Example", document="Terms of Service"
    )

    assert described == (
        "Example states in its Terms of Service that it may use your content and "
        "conversations to train or improve its AI models."
    )


def test_describe_uses_given_subject() -> None:
    described = clause("ai_training_on_user_data").describe(**SAMPLE)

    assert "your chat messages" in described


@pytest.mark.parametrize(
    ("clause_id", "severity"),
    [
        ("ai_training_on_user_data", Severity.HIGH),
        ("arbitration", Severity.HIGH),
        ("warranty_disclaimer", Severity.LOW),
        ("biometric_data", Severity.CRITICAL),
    ],
)
def test_default_severity(clause_id: str, severity: Severity) -> None:
    assert clause(clause_id).severity is severity


def test_ai_training_name() -> None:
    name = clause("ai_training_on_user_data").name

    assert name == "AI/ML model training using user data"


@pytest.mark.parametrize("regulation_id", REQUIRED_REGULATIONS)
def test_required_regulation_present(regulation_id: str) -> None:
    regulation = default_taxonomy().regulation(regulation_id)

    assert regulation.url.startswith("https://")
    assert regulation.jurisdiction
    assert regulation.articles
    assert all(article.relevance for article in regulation.articles)


@pytest.mark.parametrize("agency_id", REQUIRED_AGENCIES)
def test_required_agency_present(agency_id: str) -> None:
    agency = default_taxonomy().agency(agency_id)

    assert agency.complaint_url.startswith("https://")
    assert agency.url.startswith("https://")
    assert agency.role
    assert agency.jurisdiction


def test_every_regulation_cited() -> None:
    taxonomy = default_taxonomy()
    cited = {rid for ct in taxonomy.clause_types.values() for rid in ct.regulation_ids}

    assert set(taxonomy.regulations) - cited == set()


def test_every_agency_named() -> None:
    taxonomy = default_taxonomy()
    named = {aid for ct in taxonomy.clause_types.values() for aid in ct.agency_ids}

    assert set(taxonomy.agencies) - named == set()


def test_in_category_partitions_types() -> None:
    taxonomy = default_taxonomy()
    grouped = [
        ct.id for name in taxonomy.categories for ct in taxonomy.in_category(name)
    ]

    assert sorted(grouped) == ALL_CLAUSE_TYPES


def test_unknown_category_not_found() -> None:
    with pytest.raises(NotFoundError, match="'Privacy'"):
        default_taxonomy().in_category("Privacy")


def test_clause_type_suggests_close_id() -> None:
    with pytest.raises(NotFoundError) as caught:
        default_taxonomy().clause_type("arbitation")

    assert "'arbitation'" in str(caught.value)
    assert "arbitration" in str(caught.value)


def test_default_taxonomy_cached() -> None:
    assert default_taxonomy() is default_taxonomy()


def test_load_taxonomy_returns_new_copy() -> None:
    fresh = load_taxonomy()

    assert fresh is not default_taxonomy()
    assert list(fresh.clause_types) == list(default_taxonomy().clause_types)


def test_severity_order() -> None:
    ordered = sorted([Severity.CRITICAL, Severity.LOW, Severity.HIGH, Severity.MEDIUM])

    assert ordered == [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]
    assert [severity.rank for severity in ordered] == [0, 1, 2, 3]
    assert Severity.HIGH > Severity.MEDIUM
    assert Severity.LOW <= Severity.LOW
    assert max(Severity) is Severity.CRITICAL


def test_severity_rejects_other_types() -> None:
    with pytest.raises(TypeError):
        assert Severity.HIGH < 2  # type: ignore[operator]


def test_severity_from_label() -> None:
    assert Severity("High") is Severity.HIGH


def test_placeholders_match_formatter() -> None:
    fields = {
        name
        for _, name, _, _ in string.Formatter().parse(clause("arbitration").what_it_is)
        if name
    }

    assert fields <= set(SAMPLE)
