"""Severity assessment: default levels, modifiers, clamping and the reason sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clausewatch.analysis import assess_severity, modifier_table
from clausewatch.taxonomy import ClauseType, Severity, default_taxonomy

DOCS = Path(__file__).resolve().parents[1] / "docs" / "methodology-severity.md"


def make_clause_type(
    id: str = "example_training",
    category: str = "Artificial intelligence",
    severity: Severity = Severity.HIGH,
) -> ClauseType:
    return ClauseType(
        id=id,
        name="Example clause type",
        category=category,
        severity=severity,
        severity_reason="Training data cannot be taken back out of a model.",
        what_it_is="{platform} states in its {document} that it uses {subject}.",
        why_it_matters="It matters.",
        consumer_impact="It affects you.",
        actions=(),
        regulation_ids=(),
        agency_ids=(),
        related_ids=(),
        positive_examples=(),
        negative_examples=(),
        subject_default="your content",
    )


AI = "Artificial intelligence"
SHARING = "Data sharing"
RETENTION = "Security and retention"
CONTRACT = "Contract terms"
DISPUTES = "Dispute resolution"


@pytest.mark.parametrize(
    ("category", "default", "text", "level", "codes"),
    [
        (AI, Severity.HIGH, "We train our models on the chats you have.", "High", []),
        (
            AI,
            Severity.HIGH,
            "We use your chats to train models unless you opt out in settings.",
            "Medium",
            ["opt_out_offered"],
        ),
        (
            AI,
            Severity.HIGH,
            "Face scans and other biometric templates help us train our vision models.",
            "Critical",
            ["sensitive_data"],
        ),
        (
            AI,
            Severity.HIGH,
            "Messages from teens may be used to improve our assistant.",
            "Critical",
            ["childrens_data"],
        ),
        (
            AI,
            Severity.HIGH,
            "We never use biometric information to train anything.",
            "High",
            [],
        ),
        (
            AI,
            Severity.HIGH,
            "Health data you share may train our models, but you can opt out.",
            "High",
            ["opt_out_offered", "sensitive_data"],
        ),
        (
            SHARING,
            Severity.MEDIUM,
            "We may disclose what we know about you to any third party we choose.",
            "High",
            ["broad_sharing"],
        ),
        (
            SHARING,
            Severity.MEDIUM,
            "We share only aggregated statistics with our partners.",
            "Low",
            ["narrow_scope"],
        ),
        (
            SHARING,
            Severity.MEDIUM,
            "We do not sell the information we hold about you.",
            "Low",
            ["narrow_scope"],
        ),
        (
            SHARING,
            Severity.LOW,
            "Aggregated figures go to advertisers; you may opt out of this.",
            "Low",
            ["opt_out_offered", "narrow_scope"],
        ),
        (
            SHARING,
            Severity.CRITICAL,
            "We sell your personal information, including precise location data.",
            "Critical",
            ["sensitive_data", "broad_sharing"],
        ),
        (
            RETENTION,
            Severity.MEDIUM,
            "Backups of your files are kept indefinitely.",
            "High",
            ["indefinite_retention"],
        ),
        (
            RETENTION,
            Severity.MEDIUM,
            "Drafts are kept for 30 days and then permanently deleted.",
            "Medium",
            [],
        ),
        (
            CONTRACT,
            Severity.MEDIUM,
            "We may change these terms at any time without notice.",
            "High",
            ["without_notice"],
        ),
        (
            CONTRACT,
            Severity.MEDIUM,
            "We will give you 30 days' notice before a change takes effect.",
            "Low",
            ["advance_notice"],
        ),
        (
            DISPUTES,
            Severity.HIGH,
            "Disputes go to binding arbitration; you may opt out within 30 days.",
            "Medium",
            ["opt_out_offered"],
        ),
        (
            CONTRACT,
            Severity.MEDIUM,
            "You can opt out of promotional e-mails about children's products.",
            "Medium",
            [],
        ),
    ],
)
def test_severity_table(
    category: str, default: Severity, text: str, level: str, codes: list[str]
) -> None:
    assessment = assess_severity(
        make_clause_type(category=category, severity=default), text
    )

    assert assessment.level.value == level
    assert assessment.default is default
    assert [modifier.code for modifier in assessment.modifiers] == codes


def test_reason_names_default_and_raise() -> None:
    clause_type = make_clause_type()

    reason = assess_severity(clause_type, "We train on your voiceprints.").reason

    assert reason == (
        "High by default because training data cannot be taken back out of a model; "
        "raised to Critical because the clause covers biometric data."
    )


def test_reason_without_modifiers_is_default() -> None:
    reason = assess_severity(make_clause_type(), "We train on chats.").reason

    assert reason == (
        "High by default because training data cannot be taken back out of a model."
    )


def test_reason_when_lowered() -> None:
    reason = assess_severity(make_clause_type(), "Opt out at any time.").reason

    assert reason.endswith(
        "; lowered to Medium because the clause offers an opt-out or opt-in."
    )


def test_reason_at_the_top_says_clamped() -> None:
    clause_type = make_clause_type(severity=Severity.CRITICAL)

    assessment = assess_severity(clause_type, "We train on biometric data.")

    assert assessment.level is Severity.CRITICAL
    assert "kept at Critical, the highest level" in assessment.reason


def test_reason_when_effects_cancel() -> None:
    text = "Health data may train our models, but you can opt out."

    reason = assess_severity(make_clause_type(), text).reason

    assert "kept at High because the clause covers health data, but" in reason


def test_clamped_at_low() -> None:
    clause_type = make_clause_type(category=SHARING, severity=Severity.LOW)
    text = "Only anonymised data is shared, and you can opt out."

    assert assess_severity(clause_type, text).level is Severity.LOW


def test_selling_does_not_raise_sale_clause() -> None:
    clause_type = make_clause_type(
        id="sale_of_data", category=SHARING, severity=Severity.HIGH
    )

    assessment = assess_severity(clause_type, "We may sell your contact details.")

    assert assessment.level is Severity.HIGH
    assert assessment.modifiers == ()


def test_modifier_matching_own_topic_is_skipped() -> None:
    clause_type = make_clause_type(id="biometric_data", category="Data collection")

    assessment = assess_severity(clause_type, "We collect your face geometry.")

    assert assessment.modifiers == ()


COLLECTION = "Data collection"
OPT = "opt_out_offered"


@pytest.mark.parametrize(
    ("text", "level", "codes"),
    [
        # The default rests on precise location already.
        ("The app reads your GPS position to find nearby shops.", "High", []),
        # Other sensitive data still raises a location clause.
        (
            "Your precise location can reveal visits to a health clinic, and we "
            "keep your health data with it.",
            "Critical",
            ["sensitive_data"],
        ),
        (
            "We estimate your city from your IP address. Some features allow you to "
            "choose to share your exact location.",
            "Medium",
            ["opt_out_offered"],
        ),
        (
            "Maps use your precise position only where you have granted permission "
            "in your phone settings.",
            "Medium",
            ["opt_out_offered"],
        ),
        (
            "We derive your rough area from your IP address, even if you don't "
            "choose to share your GPS position.",
            "High",
            [],
        ),
    ],
)
def test_location_severity(text: str, level: str, codes: list[str]) -> None:
    clause_type = make_clause_type(id="location_data", category=COLLECTION)

    assessment = assess_severity(clause_type, text)

    assert assessment.level.value == level
    assert [modifier.code for modifier in assessment.modifiers] == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("If you choose to verify your account, we scan your ID photo.", [OPT]),
        ("When you turn on the feature, we record your voice.", [OPT]),
        ("The camera filter lets you choose which photos we analyse.", [OPT]),
        ("Friends see your position only once you’ve chosen to share it.", [OPT]),
        ("We scan every photo, even if you turn off the feature.", []),
        ("We keep the recordings regardless of whether you opt out.", []),
    ],
)
def test_opt_in_by_choice_lowers(text: str, codes: list[str]) -> None:
    clause_type = make_clause_type(category=COLLECTION)

    assessment = assess_severity(clause_type, text)

    assert [modifier.code for modifier in assessment.modifiers] == codes


def test_children_in_condition_of_denial_do_not_raise() -> None:
    text = (
        "If you live in the EU and have a teen account (ages 13-17) we do not use "
        "your interests to choose the ads you see."
    )

    assessment = assess_severity(make_clause_type(), text)

    assert assessment.level is Severity.HIGH
    assert assessment.modifiers == ()


def test_children_in_condition_of_practice_raise() -> None:
    text = "If you have a teen account, we use your interests to choose ads."

    assessment = assess_severity(make_clause_type(), text)

    assert [modifier.code for modifier in assessment.modifiers] == ["childrens_data"]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Ads on the site earn us income from advertising partners.", []),
        ("We may infer your income level from your purchases.", ["sensitive_data"]),
    ],
)
def test_income_means_a_persons_income(text: str, codes: list[str]) -> None:
    assessment = assess_severity(make_clause_type(), text)

    assert [modifier.code for modifier in assessment.modifiers] == codes


def test_reason_keeps_acronym_capitals() -> None:
    clause_type = make_clause_type()
    clause_type = ClauseType(
        **{**clause_type.__dict__, "severity_reason": "AI systems can leak data."}
    )

    reason = assess_severity(clause_type, "We train on chats.").reason

    assert reason.startswith("High by default because AI systems can leak data")


@pytest.mark.parametrize(
    "clause_type",
    default_taxonomy().clause_types.values(),
    ids=lambda clause_type: clause_type.id,
)
def test_every_clause_type_has_a_reason(clause_type: ClauseType) -> None:
    assessment = assess_severity(clause_type, clause_type.positive_examples[0])

    assert assessment.reason.startswith(f"{clause_type.severity.value} by default")
    assert assessment.reason.endswith(".")


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        (
            "We do not use personal data to build profiles or to sell it to any "
            "third party.",
            [],
        ),
        (
            "If you do not opt out, we share it with any third party.",
            [
                "opt_out_offered",
                "broad_sharing",
            ],
        ),
        (
            "We do not sell your data, but we share it with any third party.",
            [
                "broad_sharing",
                "narrow_scope",
            ],
        ),
        (
            "No personal data is sold; we share health data with partners.",
            ["sensitive_data"],
        ),
        (
            "We share every category listed above except for precise location.",
            [],
        ),
        (
            "We share account details (excluding race or ethnicity) with partners.",
            [],
        ),
        (
            "We share it with any third party, except if you opt out.",
            ["opt_out_offered", "broad_sharing"],
        ),
    ],
)
def test_negation_scope(text: str, codes: list[str]) -> None:
    clause_type = make_clause_type(category=SHARING, severity=Severity.MEDIUM)

    assessment = assess_severity(clause_type, text)

    assert [modifier.code for modifier in assessment.modifiers] == codes


@pytest.mark.parametrize(
    ("code", "effect"), [(row[0], row[1]) for row in modifier_table()]
)
def test_documentation_lists_modifier(code: str, effect: int) -> None:
    text = DOCS.read_text(encoding="utf-8")

    row = re.search(rf"^\| `{code}` \| ([+-]\d) \|", text, re.MULTILINE)

    assert row is not None, f"{code} is missing from {DOCS.name}"
    assert int(row.group(1)) == effect, f"{code} has the wrong effect in {DOCS.name}"


def test_severity_of_denial_is_low() -> None:
    clause_type = default_taxonomy().clause_type("sale_of_data")
    text = "We do not sell your personal information."
    assessment = assess_severity(clause_type, text, stance="denies")
    assert assessment.level is Severity.LOW
    assert assessment.default is Severity.HIGH
    assert assessment.modifiers == ()
    assert assessment.reason.startswith(
        "Low because the provision states that the platform does not engage in "
        "this practice (sale of personal data)"
    )
    assert "High by default" in assessment.reason
    # The same text read as affirming keeps the default and its modifiers.
    assert assess_severity(clause_type, text).level is not Severity.LOW


def test_reason_lowers_article_a() -> None:
    clause_type = make_clause_type()
    clause_type = ClauseType(
        **{**clause_type.__dict__, "severity_reason": "A model cannot unlearn data."}
    )

    reason = assess_severity(clause_type, "We train on chats.").reason

    assert reason.startswith("High by default because a model cannot unlearn data")


@pytest.mark.parametrize(
    ("text", "description"),
    [
        (
            "You grant us a worldwide, sublicensable licence to your posts.",
            "the clause grants a licence that can be passed on to others",
        ),
        (
            "You grant us a perpetual licence to your posts.",
            "the clause grants a perpetual or irrevocable licence",
        ),
    ],
    ids=["sublicensable", "perpetual"],
)
def test_licence_reason_names_its_term(text: str, description: str) -> None:
    clause_type = make_clause_type(category=CONTRACT, severity=Severity.MEDIUM)

    assessment = assess_severity(clause_type, text)

    assert [m.description for m in assessment.modifiers] == [description]
    assert assessment.reason.endswith(f"raised to High because {description}.")
