"""Change summaries of modified provisions: replacements against separate edits."""

from __future__ import annotations

from clausewatch.diff import ProvisionState
from clausewatch.diff.summaries import summarize_modified
from clausewatch.diff.words import word_diff

NAMES = {"retention": "data retention", "tracking": "tracking and cookies"}


def modified_sentence(before: str, after: str, types: frozenset[str]) -> str:
    old = ProvisionState("P-1", 0, ("Policy",), before, clause_types=types)
    new = ProvisionState("P-1", 0, ("Policy",), after, clause_types=types)
    summary = summarize_modified(
        old, new, NAMES.__getitem__, cosmetic=False, diff=word_diff(before, after)
    )
    return summary.sentence


def test_separate_edits_not_replacement() -> None:
    sentence = modified_sentence(
        "We delete inactive accounts after two years. We use cookies for analytics.",
        "We use cookies for analytics and advertising.",
        frozenset({"tracking"}),
    )
    assert not sentence.startswith("Replaced")
    assert sentence.startswith("Added 'advertising' to the clause on tracking")
    assert "and removed 'delete inactive accounts'" in sentence


def test_same_place_edit_is_replacement() -> None:
    sentence = modified_sentence(
        "We keep chat logs for 30 days.",
        "We keep chat logs for 90 days.",
        frozenset({"retention"}),
    )
    assert sentence == (
        "Replaced '30 days' with '90 days' in the clause on data retention."
    )


def test_replacement_with_separate_addition() -> None:
    sentence = modified_sentence(
        "We keep chat logs for 30 days.",
        "We keep chat logs for 90 days. Backups are encrypted.",
        frozenset({"retention"}),
    )
    assert sentence.startswith(
        "Replaced '30 days' with '90 days' in the clause on data retention"
    )
    assert "and added " in sentence
    assert "'backups'" in sentence.partition("and added ")[2]
    assert "'backups'" not in sentence.partition("and added ")[0]


def test_replacement_with_separate_removal() -> None:
    sentence = modified_sentence(
        "Backups are encrypted. We keep chat logs for 30 days.",
        "We keep chat logs for 90 days.",
        frozenset({"retention"}),
    )
    assert sentence.startswith("Replaced '30 days' with '90 days'")
    assert "and removed " in sentence
    assert "'backups'" in sentence.partition("and removed ")[2]


def test_rewritten_sentence_is_replacement() -> None:
    sentence = modified_sentence(
        "We share device identifiers with advertising partners.",
        "We share hashed email addresses with measurement vendors.",
        frozenset({"tracking"}),
    )
    assert sentence.startswith("Replaced ")
    assert "device identifiers" in sentence
    assert "hashed email" in sentence
