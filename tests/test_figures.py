"""Figures computed from a small hand-made history with known answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from clausewatch.db.models import Document, Provision, ProvisionText
from clausewatch.db.store import Store
from clausewatch.diff import ChangeKind
from clausewatch.errors import NotFoundError
from clausewatch.figures import (
    ChangeFilter,
    InvalidFilterError,
    document_dates,
    list_changes,
    other_platform_provisions,
    platform_risk_summary,
    platform_timeline,
    prevalence,
    prevalence_over_time,
    rarity_label,
    recent_activity,
    stability_label,
    stability_of,
    stats_figures,
    tracked_platform_count,
    version_diff,
)
from clausewatch.figures.numbering import version_ranges
from clausewatch.figures.provision_page import provision_record
from clausewatch.settings import Settings
from tests.figure_histories import record_capture

FILLER = (
    "This notice explains in plain words how the service described here handles the "
    "information of the people who use it every day, and it applies to every product."
)
COLLECT = "We collect your name and e-mail address when you sign up."
SHARE_V1 = "We share data with partners who host our servers."
SHARE_V2 = "We share data with advertising partners who host our servers."
DELETE = "You can delete your account from the settings page at any time."
TRAIN = "We train our models on the conversations you have with the assistant."
ARBITRATE = "Any dispute goes to binding arbitration in the state of Delaware."
PROCESSORS = "We share data with processors bound by contract."

V1 = datetime(2025, 1, 10, 9, tzinfo=UTC)
V2 = datetime(2025, 3, 15, 9, tzinfo=UTC)
V3 = datetime(2025, 6, 20, 9, tzinfo=UTC)
V4 = datetime(2025, 7, 1, 9, tzinfo=UTC)
BETA_V1 = datetime(2025, 2, 1, 9, tzinfo=UTC)
GAMMA_V1 = datetime(2025, 4, 2, 9, tzinfo=UTC)
NOW = datetime(2025, 7, 25, 9, tzinfo=UTC)


def policy(*paragraphs: str) -> str:
    return "# Privacy Policy\n\n" + "\n\n".join((FILLER, *paragraphs)) + "\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder: Path = tmp_path_factory.mktemp("figures")
    opened = Store.open(Settings(data_dir=folder / "data"))
    alpha = [
        (V1, policy(COLLECT, SHARE_V1, DELETE)),
        (V2, policy(COLLECT, SHARE_V2, DELETE, TRAIN)),
        (V3, policy(COLLECT, SHARE_V2, DELETE)),
        (V4, policy(COLLECT, SHARE_V2, DELETE, TRAIN)),
    ]
    for moment, text in alpha:
        record_capture(opened, "alpha", "Privacy Policy", text, moment)
    record_capture(
        opened, "beta", "Terms of Service", policy(ARBITRATE, PROCESSORS), BETA_V1
    )
    record_capture(
        opened,
        "gamma",
        "Privacy Policy",
        policy("Welcome to gamma.", FILLER.replace("notice", "page")),
        GAMMA_V1,
    )
    yield opened
    opened.close()


@pytest.fixture
def session(store: Store) -> Iterator[Session]:
    with store.session() as opened:
        yield opened


def record_id_of(session: Session, text: str) -> str:
    return session.execute(
        select(Provision.record_id)
        .join(ProvisionText, ProvisionText.provision_id == Provision.id)
        .where(ProvisionText.text == text)
        .limit(1)
    ).scalar_one()


def alpha_document(session: Session) -> Document:
    return session.execute(
        select(Document).where(Document.platform_id == "alpha")
    ).scalar_one()


@pytest.mark.parametrize(
    ("platforms_with", "platforms_total", "label"),
    [
        (0, 10, "Not found"),
        (3, 0, "Not found"),
        (1, 11, "Rare"),
        (1, 10, "Uncommon"),
        (3, 10, "Uncommon"),
        (35, 100, "Common"),
        (69, 100, "Common"),
        (7, 10, "Widespread"),
        (10, 10, "Widespread"),
    ],
)
def test_rarity_label_cutoffs(
    platforms_with: int, platforms_total: int, label: str
) -> None:
    assert rarity_label(platforms_with, platforms_total) == label


@pytest.mark.parametrize(
    ("changes", "months", "label"),
    [
        (0, 6, "Stable"),
        (0, 40, "Stable"),
        (0, 5, "New"),
        (0, 0, "New"),
        (1, 0, "Changed"),
        (2, 12, "Changed"),
        (3, 1, "Volatile"),
    ],
)
def test_stability_label_rule(changes: int, months: int, label: str) -> None:
    assert stability_label(changes, months) == label


def test_tracked_platforms_counts_all(session: Session) -> None:
    assert tracked_platform_count(session) == 3


@pytest.mark.parametrize(
    ("clause_type", "platforms_with", "rarity"),
    [
        ("third_party_sharing", 2, "Common"),
        ("arbitration", 1, "Uncommon"),
        ("ai_training_on_user_data", 1, "Uncommon"),
        ("jury_trial_waiver", 0, "Not found"),
    ],
)
def test_prevalence_n_of_m(
    session: Session, clause_type: str, platforms_with: int, rarity: str
) -> None:
    figure = prevalence(session, clause_type)
    assert figure.platforms_with == platforms_with
    assert figure.platforms_total == 3
    assert figure.rarity == rarity
    assert figure.phrase == f"{platforms_with} of 3 platforms"


def test_other_platform_provisions_excludes_own(session: Session) -> None:
    assert (
        other_platform_provisions(
            session, "third_party_sharing", excluding_platform="alpha"
        )
        == 1
    )
    assert (
        other_platform_provisions(
            session, "third_party_sharing", excluding_platform="gamma"
        )
        == 2
    )


def test_stability_of_unchanged_provision(session: Session) -> None:
    figure = stability_of(session, record_id_of(session, COLLECT))
    assert figure.changes == 0
    # Five months without a change is too short a watch to call it stable.
    assert figure.label == "New"
    assert figure.first_seen == V1
    assert figure.last_seen == V4
    assert figure.months_monitored == 5
    assert figure.is_current


def test_stability_counts_modification(session: Session) -> None:
    figure = stability_of(session, record_id_of(session, SHARE_V2))
    assert figure.changes == 1
    assert figure.label == "Changed"


def test_stability_counts_removal_and_return(session: Session) -> None:
    record_id = record_id_of(session, TRAIN)
    figure = stability_of(session, record_id.lower())
    # Born in version 2 (not a change), removed in 3 and back in 4: two changes.
    assert figure.changes == 2
    assert figure.first_seen == V2
    assert figure.is_current


def test_record_lists_the_versions_that_hold_it(session: Session) -> None:
    record = provision_record(session, record_id_of(session, TRAIN))

    # Born in version 2, removed in 3 and back in 4.
    assert record.version_numbers == (2, 4)
    assert version_ranges(record.version_numbers) == "2, 4"


@pytest.mark.parametrize(
    ("numbers", "text"),
    [((1, 2, 3, 5), "1-3, 5"), ((4,), "4"), ((3, 1, 2), "1-3"), ((), "")],
)
def test_version_ranges(numbers: tuple[int, ...], text: str) -> None:
    assert version_ranges(numbers) == text


def test_stability_unknown_record(session: Session) -> None:
    with pytest.raises(NotFoundError, match="P-00012V"):
        stability_of(session, "nonsense")


def test_document_dates_order(session: Session) -> None:
    dates = document_dates(session, alpha_document(session))
    assert dates.first_tracked == V1
    assert dates.last_verified == V4
    assert dates.last_updated == V4.date()
    assert dates.last_updated_source == "latest version"


def test_recent_activity_window(session: Session) -> None:
    activity = recent_activity(session, "alpha", now=NOW)
    # Version 4 (1 July) adds the training clause back: one documented change.
    assert activity.changes == 1
    assert recent_activity(session, "alpha", now=NOW, days=365).changes == 4


def test_changes_feed_filters(session: Session) -> None:
    everything = list_changes(session, ChangeFilter(), limit=100)
    assert everything.total == len(everything.items)
    assert [item.occurred_at for item in everything.items] == sorted(
        (item.occurred_at for item in everything.items), reverse=True
    )
    training = list_changes(
        session, ChangeFilter(clause_type_id="ai_training_on_user_data"), limit=100
    )
    assert {item.kind for item in training.items} == {"added", "removed"}
    modified = list_changes(session, ChangeFilter(kind="modified"), limit=10)
    word_diff = modified.items[0].word_diff
    assert word_diff is not None
    assert word_diff.new_text == SHARE_V2
    assert training.total == 3
    critical = list_changes(session, ChangeFilter(min_severity="Critical"), limit=100)
    assert all(item.max_severity == "Critical" for item in critical.items)
    since = list_changes(
        session, ChangeFilter(since=V3, provisions_only=True), limit=100
    )
    assert {item.occurred_at for item in since.items} == {V3, V4}


def test_changes_feed_pages(session: Session) -> None:
    first = list_changes(session, ChangeFilter(platform_id="alpha"), limit=2)
    second = list_changes(session, ChangeFilter(platform_id="alpha"), limit=2, offset=2)
    assert len(first.items) == 2
    assert first.total == second.total
    assert {item.id for item in first.items}.isdisjoint(
        {item.id for item in second.items}
    )


@pytest.mark.parametrize("arguments", [{"min_severity": "Severe"}, {"kind": "deleted"}])
def test_changes_filter_rejects_unknown(arguments: dict[str, str]) -> None:
    with pytest.raises(InvalidFilterError, match="use one of"):
        ChangeFilter(**arguments)


def test_platform_timeline_lists_versions(session: Session) -> None:
    timeline = platform_timeline(session, "alpha")
    assert [entry.version_number for entry in timeline] == [4, 3, 2]
    assert timeline[-1].counts == {"modified": 1, "added": 1}


def test_risk_summary_by_severity(session: Session) -> None:
    summary = platform_risk_summary(session, "alpha")
    assert summary.by_severity == {"Critical": 1, "High": 0, "Medium": 1, "Low": 2}
    assert summary.classified == 4
    assert summary.provisions[0].severity == "Critical"


def test_prevalence_over_time_uses_valid_versions(session: Session) -> None:
    points = prevalence_over_time(session, "ai_training_on_user_data", now=NOW)
    by_month = {point.as_of: point for point in points}
    assert by_month[date(2025, 1, 31)].platforms_total == 1
    assert by_month[date(2025, 2, 28)].platforms_total == 2
    assert by_month[date(2025, 2, 28)].platforms_with == 0
    assert by_month[date(2025, 3, 31)].platforms_with == 1
    assert by_month[date(2025, 6, 30)].platforms_with == 0
    assert by_month[date(2025, 6, 30)].platforms_total == 3
    # The series ends today, not at the end of the current month.
    assert date(2025, 7, 31) not in by_month
    assert points[-1].as_of == NOW.date()
    assert not points[-1].is_month_end
    assert points[-1].platforms_with == 1


def test_version_diff_between_any_two(session: Session) -> None:
    document = alpha_document(session)
    latest = version_diff(session, document)
    assert (latest.from_number, latest.to_number) == (3, 4)
    assert [change.kind for change in latest.changes] == [ChangeKind.ADDED]
    wide = version_diff(session, document, 1, 4)
    kinds = sorted(change.kind.value for change in wide.changes)
    assert kinds == ["added", "modified"]
    same = version_diff(session, document, 2, 4)
    assert same.changes == ()


def test_version_diff_unknown_version(session: Session) -> None:
    with pytest.raises(NotFoundError, match="no version 9"):
        version_diff(session, alpha_document(session), 1, 9)


def test_stats_figures_recent_window(session: Session) -> None:
    figures = stats_figures(session, now=NOW)
    assert figures.tracked_platforms == 3
    assert figures.documented_changes == 1
    assert figures.platforms_changed == 1
    assert figures.most_prevalent[0].clause_type_id == "third_party_sharing"
