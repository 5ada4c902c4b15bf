"""Resolving a clause type's actions against a platform's contacts."""

from __future__ import annotations

import pytest

from clausewatch.analysis import Contact, resolve_actions
from clausewatch.analysis.actions import MAX_CONTACTS_PER_ACTION
from clausewatch.taxonomy import Action, ClauseType, Severity, default_taxonomy

OPT_OUT = Action(
    kind="opt_out",
    label="Turn off training",
    needs=("opt_out_url", "settings_url"),
    caveat="An opt-out applies to future data only.",
)
DELETE = Action(
    kind="delete_data",
    label="Delete your data",
    needs=("deletion_request_url",),
    caveat="Copies in trained models stay.",
)
COMPLAIN = Action(
    kind="file_complaint",
    label="Complain to a regulator",
    needs=(),
    caveat="Investigations take months.",
)


def make_clause_type(*actions: Action) -> ClauseType:
    return ClauseType(
        id="example_training",
        name="Example clause type",
        category="Artificial intelligence",
        severity=Severity.HIGH,
        severity_reason="Training data cannot be taken back out of a model.",
        what_it_is="{platform} uses {subject}.",
        why_it_matters="It matters.",
        consumer_impact="It affects you.",
        actions=actions,
        regulation_ids=(),
        agency_ids=(),
        related_ids=(),
        positive_examples=(),
        negative_examples=(),
        subject_default="your content",
    )


def contact(kind: str, value: str) -> Contact:
    return Contact(kind, value, f"Sentence about {value}.")


def test_action_gets_matching_contacts_in_needs_order() -> None:
    contacts = [
        contact("settings_url", "https://e.example/settings"),
        contact("opt_out_url", "https://e.example/opt-out"),
        contact("privacy_email", "privacy@e.example"),
    ]

    [resolved] = resolve_actions(make_clause_type(OPT_OUT), contacts, platform="E")

    assert resolved.kind == "opt_out"
    assert resolved.label == "Turn off training"
    assert resolved.caveat == "An opt-out applies to future data only."
    assert [c.value for c in resolved.contacts] == [
        "https://e.example/opt-out",
        "https://e.example/settings",
    ]


def test_each_needed_kind_shows_within_maximum() -> None:
    contacts = [contact("opt_out_url", f"https://e.example/o{i}") for i in range(5)]
    contacts.append(contact("settings_url", "https://e.example/settings"))

    [resolved] = resolve_actions(make_clause_type(OPT_OUT), contacts)

    assert len(resolved.contacts) == MAX_CONTACTS_PER_ACTION
    assert resolved.contacts[-1].kind == "settings_url"


def test_missing_page_falls_back_to_email() -> None:
    contacts = [contact("privacy_email", "privacy@e.example")]

    [resolved] = resolve_actions(make_clause_type(DELETE), contacts, platform="Example")

    assert resolved.caveat == (
        "No data deletion request page was found in Example's documents; ask by "
        "e-mail instead. Copies in trained models stay."
    )
    assert [c.value for c in resolved.contacts] == ["privacy@e.example"]


def test_missing_everything_points_to_agencies() -> None:
    [resolved] = resolve_actions(make_clause_type(OPT_OUT), [], platform="Example")

    assert resolved.contacts == ()
    assert resolved.caveat.startswith(
        "Example's documents name no opt-out page or privacy settings page and no "
        "other privacy contact;"
    )
    assert "file a complaint with the agencies below" in resolved.caveat


def test_default_platform_name_is_capitalised() -> None:
    [resolved] = resolve_actions(make_clause_type(OPT_OUT), [])

    assert resolved.caveat.startswith("The platform's documents name no opt-out page")


def test_action_without_needs_keeps_caveat() -> None:
    contacts = [contact("privacy_email", "privacy@e.example")]

    [resolved] = resolve_actions(make_clause_type(COMPLAIN), contacts)

    assert resolved.contacts == ()
    assert resolved.caveat == "Investigations take months."


def test_all_actions_appear_in_order() -> None:
    resolved = resolve_actions(make_clause_type(OPT_OUT, DELETE, COMPLAIN), [])

    assert [action.kind for action in resolved] == [
        "opt_out",
        "delete_data",
        "file_complaint",
    ]


@pytest.mark.parametrize(
    "clause_type",
    default_taxonomy().clause_types.values(),
    ids=lambda clause_type: clause_type.id,
)
def test_every_clause_type_resolves(clause_type: ClauseType) -> None:
    contacts = [contact("privacy_email", "privacy@e.example")]

    resolved = resolve_actions(clause_type, contacts, platform="Examplia")

    assert [action.kind for action in resolved] == [
        action.kind for action in clause_type.actions
    ]
    assert all(action.caveat for action in resolved)


def test_denial_leaves_out_opt_outs() -> None:
    sale = default_taxonomy().clause_types["sale_of_data"]
    contacts = [Contact("opt_out_url", "https://acme.example/opt-out", "Opt out here.")]

    affirmed = resolve_actions(sale, contacts, platform="Acme")
    denied = resolve_actions(sale, contacts, platform="Acme", denied=True)

    assert "opt_out" in {action.kind for action in affirmed}
    assert "opt_out" not in {action.kind for action in denied}
    assert {action.kind for action in denied} == {
        action.kind for action in affirmed if action.kind != "opt_out"
    }
