"""Reclassifying stored provisions also rebuilds their change events."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from clausewatch.db.models import (
    Analysis,
    ChangeEvent,
    Contact,
    Document,
    ProvisionText,
)
from clausewatch.db.store import Store
from clausewatch.settings import Settings
from clausewatch.tracking.analyzer_factory import build_analyzer
from clausewatch.tracking.history_import import import_history
from clausewatch.tracking.reclassify import reclassify
from tests.history_builders import PRIVACY_V1, PRIVACY_V2, write_folder_history


def events_of(store: Store) -> list[tuple[str, int | None, dict]]:
    with store.session() as session:
        return [
            (event.kind, event.provision_id, event.summary)
            for event in session.scalars(select(ChangeEvent).order_by(ChangeEvent.id))
        ]


def test_reclassify_rebuilds_change_events(tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "history",
        "Example",
        "Privacy Policy",
        [
            (datetime(2025, 1, 6, tzinfo=UTC), PRIVACY_V1),
            (datetime(2026, 3, 2, tzinfo=UTC), PRIVACY_V2),
        ],
    )
    settings = Settings(data_dir=tmp_path / "data")
    store = Store.open(settings)
    import_history(store, history, analyzer=None)
    before = events_of(store)
    assert all(not summary.get("clause_types_after") for _, _, summary in before)

    report = reclassify(store, build_analyzer(settings))

    after = events_of(store)
    assert report.labelled > 0
    with store.session() as session:
        assert session.scalar(select(Analysis.id).limit(1)) is not None
    assert [
        (kind, provision) for kind, provision, _ in after if kind != "reclassified"
    ] == [(kind, provision) for kind, provision, _ in before]
    labelled_types = {
        clause_type
        for _, _, summary in after
        for clause_type in summary.get("clause_types_after") or ()
    }
    assert "ai_training_on_user_data" in labelled_types
    store.close()


def contacts_of(store: Store) -> set[tuple[str, str]]:
    with store.session() as session:
        return {
            (contact.kind, contact.value)
            for contact in session.scalars(select(Contact))
        }


def test_reclassify_reads_contacts_again(tmp_path: Path) -> None:
    policy = PRIVACY_V1 + (
        "\n\nTo ask for a copy of your data or its deletion, write to our privacy "
        "team at privacy@lantern.example.\n"
    )
    history = write_folder_history(
        tmp_path / "history",
        "Lantern",
        "Privacy Policy",
        [(datetime(2025, 1, 6, tzinfo=UTC), policy)],
    )
    settings = Settings(data_dir=tmp_path / "data")
    store = Store.open(settings)
    import_history(store, history, analyzer=None)
    found = contacts_of(store)
    with store.session() as session:
        # A contact that rules of an earlier version took from the text by mistake.
        document_id = session.scalar(select(Document.id))
        session.add(
            Contact(
                platform_id="lantern",
                document_id=document_id,
                kind="privacy_email",
                value="abuse@lantern.example",
                context="report abuse to abuse@lantern.example",
            )
        )

    report = reclassify(store, build_analyzer(settings))

    assert ("privacy_email", "privacy@lantern.example") in found
    assert contacts_of(store) == found
    assert report.contacts == len(found)
    store.close()


TERMS_WITH_RULES = """\
# Terms of Use

## Your conduct

When you use the forum, you agree not to:

- collect or store the precise location of other members;
- run facial recognition on photos that other members post.

## Our maps

To show you nearby meetups, we may:

- collect or store the precise location of your phone.
"""


def types_by_text(store: Store) -> dict[str, set[str]]:
    with store.session() as session:
        rows = session.execute(
            select(ProvisionText.text, Analysis.clause_type_id).join(
                Analysis, Analysis.provision_text_id == ProvisionText.id
            )
        ).all()
    found: dict[str, set[str]] = {}
    for text, clause_type in rows:
        found.setdefault(text, set()).add(clause_type)
    return found


def provision_texts(store: Store) -> set[str]:
    with store.session() as session:
        return set(session.scalars(select(ProvisionText.text)))


def test_import_and_reclassify_read_lead_ins(tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "history",
        "Example",
        "Terms of Service",
        [(datetime(2025, 1, 6, tzinfo=UTC), TERMS_WITH_RULES)],
    )
    settings = Settings(data_dir=tmp_path / "data")
    store = Store.open(settings)
    analyzer = build_analyzer(settings)
    # The two short rules are one provision.
    rules = (
        "- collect or store the precise location of other members;\n"
        "- run facial recognition on photos that other members post."
    )
    practice = "- collect or store the precise location of your phone."

    import_history(store, history, analyzer=analyzer)
    imported = types_by_text(store)
    reclassify(store, build_analyzer(settings))
    reclassified = types_by_text(store)

    assert rules in provision_texts(store)
    assert not {"location_data", "biometric_data"} & imported.get(rules, set())
    assert "location_data" in imported[practice]
    assert reclassified == imported
    store.close()
