"""List items under a lead-in that sets a rule for the user, on invented policy text.

Terms of service list what the user must not do ("You agree not to:") and what the
user promises ("You represent and warrant that:"). The items name data practices as
the user's conduct, so the classifier gives them none of the platform's practices.
The same items under a lead-in that states the platform's practice keep their types.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clausewatch.classify import Classifier, load_patterns
from clausewatch.classify.lead_ins import (
    lead_in_sentence,
    opening_lead_in,
    opens_with_we,
)
from clausewatch.errors import TaxonomyError
from clausewatch.settings import Settings
from clausewatch.taxonomy import default_taxonomy

USER_RULE_LEAD_INS = [
    "You agree not to:",
    "**Conduct.** When you use the forum, you must not:",
    "Members may not post anything that:",
    "The following is not permitted on the forum:",
    "Acme prohibits sharing content that:",
    "You are strictly prohibited from using exported data for:",
    "In addition, we do not allow:",
    "You cannot use the app if:",
    "Don't use the assistant to:",
    "You represent and warrant that:",
    "By uploading files, you hereby represent that:",
]

OTHER_LEAD_INS = [
    "We collect:",
    "We are not allowed to share your data except:",
    "You cannot opt out of the following:",
    "You undertake and agree to:",
    "If you don't have an account:",
    "We do not share your information except in these cases:",
    "You may not be able to use these features:",
    "Members may not post anything. That is why we collect:",
]

# (lead-in, item, a platform practice that the item names).
PRACTICE_ITEMS = [
    (
        "You agree not to:",
        "- collect or store the precise location of other members",
        "location_data",
    ),
    (
        "When you use the forum, you must not:",
        "- run facial recognition on photos that other members post",
        "biometric_data",
    ),
    (
        "The following is not permitted on the forum:",
        "- share personal data of other members with advertisers",
        "sharing_for_advertising",
    ),
    (
        "You represent and warrant that:",
        "- you have consent for any health data you upload",
        "sensitive_data_collection",
    ),
]


@pytest.fixture(scope="module")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> Classifier:
    return Classifier.load(Settings(data_dir=tmp_path_factory.mktemp("data")))


@pytest.fixture(scope="module")
def patterns():
    return load_patterns(known_types=default_taxonomy().clause_types)


def types_of(classifier: Classifier, text: str, lead_in: str = "") -> set[str]:
    [result] = classifier.classify([text], [lead_in])
    return set(result.clause_type_ids)


@pytest.mark.parametrize("lead_in", USER_RULE_LEAD_INS)
def test_lead_in_sets_user_rule(patterns, lead_in):
    sentence = lead_in_sentence(lead_in)

    assert sentence
    assert patterns.user_rule_lead_in.matches(sentence)


@pytest.mark.parametrize("lead_in", OTHER_LEAD_INS)
def test_lead_in_states_no_user_rule(patterns, lead_in):
    assert not patterns.user_rule_lead_in.matches(lead_in_sentence(lead_in))


@pytest.mark.parametrize(
    ("lead_in", "sentence"),
    [
        ("You may not:", "You may not:"),
        ("**You may not:**", "**You may not:"),
        ("Be kind. Members may not, e.g. in chats:", "Members may not, e.g. in chats:"),
        ("You agree not to", ""),
        ("You may not post spam.", ""),
    ],
)
def test_lead_in_sentence_is_last_with_colon(lead_in, sentence):
    assert lead_in_sentence(lead_in) == sentence


@pytest.mark.parametrize(
    ("text", "opening"),
    [
        (
            "You represent that: (a) you own the files; and (b) they hold no "
            "health data.",
            "You represent that:",
        ),
        (
            "- **Prohibited uses.** You agree not to:\n    - scrape profiles",
            "You agree not to:",
        ),
        ("You agree not to:(i) resell access to the service.", "You agree not to:"),
        ("Contact: privacy@example.com", ""),
        ("You agree not to: spam other members.", ""),
        (
            "We collect your location when you turn on the map and keep it for a "
            "month. You agree not to:\n- spoof it",
            "",
        ),
    ],
)
def test_opening_lead_in_precedes_own_items(text, opening):
    assert opening_lead_in(text) == opening


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("- (f) we may collect usage data", True),
        ("3. **Our** partners receive reports", True),
        ("- weigh the risks before you post", False),
        ("- collect data of other members", False),
    ],
)
def test_item_opening_with_we(item, expected):
    assert opens_with_we(item) is expected


@pytest.mark.parametrize(("lead_in", "item", "clause_type"), PRACTICE_ITEMS)
def test_item_under_user_rule_loses_practice(classifier, lead_in, item, clause_type):
    assert clause_type in types_of(classifier, item)
    assert clause_type not in types_of(classifier, item, lead_in)


@pytest.mark.parametrize(("lead_in", "item", "clause_type"), PRACTICE_ITEMS)
def test_item_under_statement_keeps_practice(classifier, lead_in, item, clause_type):
    assert clause_type in types_of(classifier, item, "This section lists examples:")


def test_item_stating_own_practice_keeps_it(classifier):
    item = "- (c) we may collect the precise location of your device"

    assert "location_data" in types_of(classifier, item, "You represent that:")


@pytest.mark.parametrize(
    ("lead_in", "item", "clause_type"),
    [
        (
            "You agree not to:",
            "- use the outputs to develop competing models",
            "ai_output_use_restrictions",
        ),
        (
            "You agree not to:",
            "- share your password with anyone",
            "account_security_responsibility",
        ),
        (
            "You cannot use the app if:",
            "- you are under 13 years old",
            "age_restriction",
        ),
    ],
)
def test_user_rule_keeps_other_clause_types(classifier, lead_in, item, clause_type):
    assert clause_type in types_of(classifier, item, lead_in)


def test_items_in_own_text_lose_practice(classifier):
    text = (
        "- **Conduct.** You agree not to:\n"
        "    - collect the precise location of other members;\n"
        "    - run facial recognition on photos of other members."
    )
    statement = text.replace("You agree not to:", "We may:")

    assert {"location_data", "biometric_data"} <= types_of(classifier, statement)
    assert not {"location_data", "biometric_data"} & types_of(classifier, text)


def test_same_text_classified_per_lead_in(classifier):
    item = "- collect or store the precise location of other members"

    results = classifier.classify([item, item], ["You agree not to:", ""])

    assert "location_data" not in results[0].clause_type_ids
    assert "location_data" in results[1].clause_type_ids


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("user_rule_lead_in: {patterns: ['('], clause_types: []}", "does not compile"),
        ("user_rule_lead_in: {patterns: [], clause_types: []}", "'patterns' list"),
        ("user_rule_lead_in: {patterns: ['a']}", "'clause_types' list"),
        (
            "user_rule_lead_in: {patterns: ['a'], clause_types: [no_such_type]}",
            "unknown clause types",
        ),
        ("user_rule_lead_in: [a]", "'patterns' list"),
    ],
)
def test_invalid_lead_in_section_rejected(tmp_path: Path, section, message):
    path = tmp_path / "patterns.yaml"
    path.write_text(
        f"{section}\ntypes: {{arbitration: {{keywords: [a], patterns: ['a']}}}}"
    )

    with pytest.raises(TaxonomyError, match=message):
        load_patterns(path, known_types={"arbitration"})
