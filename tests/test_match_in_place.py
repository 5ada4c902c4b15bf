"""Provisions reworded in place keep their identity below the global threshold."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from rapidfuzz import fuzz
from sqlalchemy import select

from clausewatch.db.models import ChangeEvent, Provision, ProvisionText, Version
from clausewatch.db.store import Store
from clausewatch.match import Match, comparison_key, match_provisions
from clausewatch.settings import Settings
from clausewatch.tracking.history_import import import_history
from tests.history_builders import write_folder_history

RETENTION_BEFORE = (
    "We store your chat transcripts for 45 days after you close a chat, and billing "
    "records for as long as the law requires."
)
RETENTION_AFTER = "We store your chat transcripts with no time limit."
OTHER_TOPIC = "We sell audience profiles built from your chats to marketing brokers."

PREVIOUS = [
    "This notice explains what Lumen Notes does with the notes you write.",
    "We collect your e-mail address and the notes you save.",
    RETENTION_BEFORE,
    "You can export every note as a text file from the menu.",
]
HEADINGS = [("Lumen notice",), ("Collection",), ("Storage",), ("Your choices",)]


def pairs(matches: list[Match]) -> list[int | None]:
    return [match.previous_index for match in matches]


def with_third(text: str) -> list[str]:
    return [*PREVIOUS[:2], text, *PREVIOUS[3:]]


def test_reworded_clause_is_below_global_threshold() -> None:
    # The case only tests the new step if the global step cannot pair the texts.
    ratio = fuzz.ratio(
        comparison_key(RETENTION_BEFORE), comparison_key(RETENTION_AFTER)
    )

    assert ratio < 60


def test_reworded_clause_in_place_keeps_identity() -> None:
    matches = match_provisions(
        PREVIOUS,
        with_third(RETENTION_AFTER),
        previous_headings=HEADINGS,
        current_headings=HEADINGS,
    )

    assert pairs(matches) == [0, 1, 2, 3]
    assert 0.35 <= matches[2].similarity < 0.6


def test_reworded_clause_needs_headings() -> None:
    matches = match_provisions(PREVIOUS, with_third(RETENTION_AFTER))

    assert pairs(matches) == [0, 1, None, 3]


def test_clause_on_other_topic_stays_new() -> None:
    matches = match_provisions(
        PREVIOUS,
        with_third(OTHER_TOPIC),
        previous_headings=HEADINGS,
        current_headings=HEADINGS,
    )

    assert pairs(matches) == [0, 1, None, 3]


def test_reworded_clause_under_other_heading_stays_new() -> None:
    current_headings = [*HEADINGS[:2], ("How long we keep data",), HEADINGS[3]]

    matches = match_provisions(
        PREVIOUS,
        with_third(RETENTION_AFTER),
        previous_headings=HEADINGS,
        current_headings=current_headings,
    )

    assert pairs(matches) == [0, 1, None, 3]


def test_heading_emphasis_still_same_section() -> None:
    current_headings = [*HEADINGS[:2], ("**STORAGE**",), HEADINGS[3]]

    matches = match_provisions(
        PREVIOUS,
        with_third(RETENTION_AFTER),
        previous_headings=HEADINGS,
        current_headings=current_headings,
    )

    assert pairs(matches) == [0, 1, 2, 3]


def test_unequal_unpaired_counts_stay_unpaired() -> None:
    # With a second new clause in the section, which new text continues the old
    # one is uncertain, so neither is paired.
    current = [*with_third(RETENTION_AFTER), PREVIOUS[3]]
    current[3] = "Deleted notes stay in the trash folder for 30 days."
    headings = [*HEADINGS[:3], ("Storage",), HEADINGS[3]]

    matches = match_provisions(
        PREVIOUS, current, previous_headings=HEADINGS, current_headings=headings
    )

    assert pairs(matches) == [0, 1, None, None, 3]


def test_two_reworded_clauses_pair_in_order() -> None:
    previous = [
        PREVIOUS[0],
        RETENTION_BEFORE,
        "Support staff read chat transcripts only when you open a ticket about a "
        "problem and ask them for help.",
        PREVIOUS[3],
    ]
    current = [
        PREVIOUS[0],
        RETENTION_AFTER,
        "Support staff may read chat transcripts at random.",
        PREVIOUS[3],
    ]
    headings = [HEADINGS[0], HEADINGS[2], HEADINGS[2], HEADINGS[3]]

    matches = match_provisions(
        previous, current, previous_headings=headings, current_headings=headings
    )

    assert pairs(matches) == [0, 1, 2, 3]
    assert all(match.similarity < 0.6 for match in matches[1:3])


def test_one_shared_word_is_not_enough() -> None:
    previous = ["Header.", "$2.1420", "Footer text of the page."]
    current = ["Header.", "$2.1317", "Footer text of the page."]
    headings = [("Prices",)] * 3

    matches = match_provisions(
        previous, current, previous_headings=headings, current_headings=headings
    )

    assert pairs(matches) == [0, None, 2]


def test_clause_between_moved_ones_still_pairs() -> None:
    # A clause that moves across the section is no anchor, so the reworded clause
    # is still found between the anchors around it.
    current = [PREVIOUS[3], PREVIOUS[0], PREVIOUS[1], RETENTION_AFTER]
    current_headings = [HEADINGS[3], HEADINGS[0], HEADINGS[1], HEADINGS[2]]

    matches = match_provisions(
        PREVIOUS,
        current,
        previous_headings=HEADINGS,
        current_headings=current_headings,
    )

    assert pairs(matches) == [3, 0, 1, 2]


@pytest.mark.parametrize(
    ("previous_headings", "current_headings", "message"),
    [
        (HEADINGS[:3], HEADINGS, "3 heading paths for 4 texts"),
        (HEADINGS, None, "together"),
    ],
)
def test_heading_lists_must_fit_texts(
    previous_headings: list[tuple[str, ...]],
    current_headings: list[tuple[str, ...]] | None,
    message: str,
) -> None:
    with pytest.raises(ValueError, match=message):
        match_provisions(
            PREVIOUS,
            PREVIOUS,
            previous_headings=previous_headings,
            current_headings=current_headings,
        )


POLICY = """# Lumen Notes Privacy Notice

## Collection

We collect your e-mail address and the notes you save.

## Storage

{storage}

## Your choices

You can export every note as a text file from the menu.
"""
DAY_1 = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)
DAY_2 = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)


def test_import_records_reworded_clause_as_modified(tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "history",
        "Lumen Notes",
        "Privacy Policy",
        [
            (DAY_1, POLICY.format(storage=RETENTION_BEFORE)),
            (DAY_2, POLICY.format(storage=RETENTION_AFTER)),
        ],
    )
    store = Store.open(Settings(data_dir=tmp_path / "data"))
    try:
        import_history(store, history, analyzer=None)
        with store.session() as session:
            rows = session.execute(
                select(Version.number, Provision.record_id)
                .join(ProvisionText, ProvisionText.version_id == Version.id)
                .join(Provision, Provision.id == ProvisionText.provision_id)
                .where(ProvisionText.text.in_([RETENTION_BEFORE, RETENTION_AFTER]))
            ).all()
            kinds = list(
                session.scalars(
                    select(ChangeEvent.kind).where(ChangeEvent.kind != "version")
                )
            )
    finally:
        store.close()

    record_ids = {number: record_id for number, record_id in rows}
    assert record_ids[1] == record_ids[2]
    assert kinds == ["modified"]
