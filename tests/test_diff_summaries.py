"""Change summaries of modified provisions: replacements against separate edits."""

from __future__ import annotations

from clausewatch.diff import ProvisionState
from clausewatch.diff.summaries import summarize_modified
from clausewatch.diff.words import word_diff

NAMES = {"retention": "data retention", "tracking": "tracking and cookies"}


def modified_summary(
    before: str, after: str, types: frozenset[str]
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Return the sentence and the added and removed key terms of one edit."""
    old = ProvisionState("P-1", 0, ("Policy",), before, clause_types=types)
    new = ProvisionState("P-1", 0, ("Policy",), after, clause_types=types)
    summary = summarize_modified(
        old, new, NAMES.__getitem__, cosmetic=False, diff=word_diff(before, after)
    )
    return summary.sentence, summary.terms_added, summary.terms_removed


def modified_sentence(before: str, after: str, types: frozenset[str]) -> str:
    return modified_summary(before, after, types)[0]


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


def test_phrase_fragment_not_reported_added() -> None:
    sentence, added, removed = modified_summary(
        "Please note that we keep invoices for tax audits.",
        "Further, note that we keep invoices for tax audits.",
        frozenset({"retention"}),
    )
    assert "note" not in added
    assert "please note" in removed
    assert "Added 'note'" not in sentence


def test_longer_phrase_keeps_its_words() -> None:
    sentence, added, removed = modified_summary(
        "We do not sell private messages to brokers.",
        "We do not sell private photos or messages to brokers.",
        frozenset({"retention"}),
    )
    assert "messages" not in added
    assert "'messages'" not in sentence


def test_negation_change_survives_pruning() -> None:
    sentence, added, removed = modified_summary(
        "We do not sell your contact list.",
        "We sell your contact list.",
        frozenset({"retention"}),
    )
    assert "sell" in added
    assert "not sell" in removed
    assert sentence.startswith("Dropped the negation in 'not sell'")


def test_short_replacement_quotes_its_words() -> None:
    sentence, added, _ = modified_summary(
        "We may read your chats to tune our models. You can opt out at any time "
        "in [Privacy settings](https://lumen.example/settings).",
        "We read your chats to tune our models. This cannot be switched off.",
        frozenset({"retention"}),
    )
    assert sentence.startswith("Replaced 'You can opt out at any time in")
    assert "with 'This cannot be switched off' in the clause" in sentence
    assert "cannot be switched" in added


def test_replacement_widens_to_whole_terms() -> None:
    sentence = modified_sentence(
        "Backups of deleted chats stay on our servers for 30 days.",
        "Backups of deleted chats stay on our servers for 90 days.",
        frozenset({"retention"}),
    )
    assert sentence.startswith("Replaced '30 days' with '90 days' in the clause")


def test_two_short_replacements_both_quoted() -> None:
    sentence = modified_sentence(
        "We keep invoices for seven years and chat logs for 30 days.",
        "We keep invoices for ten years and chat logs for 90 days.",
        frozenset({"retention"}),
    )
    assert sentence.startswith(
        "Replaced 'seven years' with 'ten years' and '30 days' with '90 days'"
    )


def test_long_replacement_names_key_terms() -> None:
    sentence = modified_sentence(
        "We keep your drafts for 30 days after you delete them, and your billing "
        "records for as long as your subscription stays active.",
        "We keep your drafts indefinitely.",
        frozenset({"retention"}),
    )
    assert sentence.startswith("Replaced '30 days'")
    assert "after you delete them" not in sentence


def test_negated_term_keeps_words_between() -> None:
    _, added, removed = modified_summary(
        "Transcripts can be shared with partners.",
        "Transcripts cannot be shared with partners.",
        frozenset({"retention"}),
    )
    assert added == ("cannot be shared",)
    assert removed == ("shared",)


def test_negation_with_words_between_is_named() -> None:
    sentence = modified_sentence(
        "Transcripts can be shared with partners.",
        "Transcripts cannot be shared with partners.",
        frozenset({"retention"}),
    )
    assert sentence.startswith("Negated 'shared', now 'cannot be shared'")
