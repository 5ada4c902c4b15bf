"""Random histories through the real ingest path keep every figure consistent.

Each example builds platforms, documents and captures with random dates (out of order
and repeated texts included), where provisions appear, change, move, disappear and
return. The figures module, the CLI (``stats --json``, ``show --json``) and the JSON
API must then agree with each other and with figures recomputed independently from
the stored texts.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from clausewatch.cli.app import app as cli_app
from clausewatch.db.models import Document, Provision, ProvisionText, Version
from clausewatch.db.store import Store
from clausewatch.figures import (
    RARITY_CUTOFFS,
    STALE_AFTER_DAYS,
    counted_platform_count,
    document_dates,
    other_platform_provisions,
    prevalence,
    prevalence_over_time,
    provision_stability,
    rarity_label,
    recent_activity,
    stability_label,
    stats_figures,
    tracked_platform_count,
)
from clausewatch.settings import Settings
from tests.figure_histories import (
    KEYWORD_TYPES,
    keyword_stances,
    record_capture,
)

START = datetime(2024, 1, 1, 8, tzinfo=UTC)
FILLER = (
    "This page explains how the service handles the information of the people who "
    "use it, what choices they have, and how to reach the team that runs it. It "
    "applies to the website, the mobile applications and every related product, and "
    "it is written in plain words so that anyone can read it in a few minutes."
)
# Each paragraph has two wordings; the second may gain or lose a labelled keyword.
PARAGRAPHS: tuple[tuple[str, str], ...] = (
    (
        "We collect the name and address you enter.",
        "We collect the name, address and phone you enter.",
    ),
    (
        "We share records with hosting partners.",
        "We share records with hosting and payment partners.",
    ),
    (
        "Disputes go to binding arbitration in Ohio.",
        "Disputes go to binding arbitration in Texas.",
    ),
    (
        "We train our models on your messages.",
        "We may improve our models with your messages.",
    ),
    (
        "You can delete your profile at any time.",
        "You can delete your profile from the settings page.",
    ),
    (
        "We keep logs for ninety days.",
        "We keep logs for ninety days and share them with auditors.",
    ),
    (
        "Cookies remember your language choice.",
        "Cookies remember your language and theme choice.",
    ),
    (
        "Children under thirteen may not register.",
        "Children under sixteen may not register.",
    ),
    # A denial and an affirmation of the same practice: only the second counts.
    (
        "We never share your messages with anyone.",
        "We share your messages with moderators.",
    ),
)
MAX_API_PROVISIONS = 6
PLATFORMS = ("alpha", "beta", "gamma", "delta")
TERMS_TYPES = ("Privacy Policy", "Terms of Service")

capture_strategy = st.tuples(
    st.integers(min_value=0, max_value=900),  # day offset, in any order
    st.lists(
        st.tuples(st.integers(0, len(PARAGRAPHS) - 1), st.integers(0, 1)),
        min_size=1,
        max_size=6,
        unique_by=lambda item: item[0],
    ),
    st.booleans(),  # reverse the paragraph order, which moves provisions
)
document_strategy = st.tuples(
    st.sampled_from(PLATFORMS),
    st.sampled_from(TERMS_TYPES),
    st.lists(capture_strategy, min_size=1, max_size=5),
)
history_strategy = st.lists(document_strategy, min_size=1, max_size=5)


def render(paragraphs: list[tuple[int, int]], reverse: bool) -> str:
    ordered = sorted(paragraphs, reverse=reverse)
    body = [PARAGRAPHS[index][variant] for index, variant in ordered]
    return "# Policy\n\n" + "\n\n".join([FILLER, *body, FILLER.upper()]) + "\n"


def build_store(folder: Path, history: list[Any]) -> Store:
    store = Store.open(Settings(data_dir=folder))
    for platform_id, terms_type, captures in history:
        for day, paragraphs, reverse in captures:
            record_capture(
                store,
                platform_id,
                terms_type,
                render(paragraphs, reverse),
                START + timedelta(days=day),
            )
    return store


@dataclass(frozen=True)
class CurrentLabel:
    platform_id: str
    record_id: str
    clause_type: str
    stance: str
    document_id: int


def current_labels(session: Session) -> list[CurrentLabel]:
    """Clause types of current provisions, recomputed from their stored texts."""
    rows = session.execute(
        select(
            Document.platform_id,
            Provision.record_id,
            ProvisionText.text,
            Document.id,
        )
        .join(Document, Document.id == Provision.document_id)
        .join(
            ProvisionText,
            (ProvisionText.provision_id == Provision.id)
            & (ProvisionText.version_id == Provision.last_version_id),
        )
        .where(Provision.is_current.is_(True))
    ).all()
    return [
        CurrentLabel(platform_id, record_id, clause_type, stance, document_id)
        for platform_id, record_id, text, document_id in rows
        for clause_type, stance in keyword_stances(text).items()
    ]


def stale_documents(session: Session) -> tuple[set[int], set[str]]:
    """Recompute the stale documents and the platforms with a document that is not.

    A document is stale when its latest capture (a version, or a capture that found
    the same text) is more than two years before the latest capture in the store.
    """
    latest: dict[int, datetime] = {}
    platform_of: dict[int, str] = {}
    for document in session.scalars(select(Document)):
        captures = [
            aware(moment)
            for moment in session.scalars(
                select(Version.captured_at).where(Version.document_id == document.id)
            )
        ]
        if not captures:
            continue
        if document.last_verified_at is not None:
            captures.append(aware(document.last_verified_at))
        latest[document.id] = max(captures)
        platform_of[document.id] = document.platform_id
    if not latest:
        return set(), set()
    cutoff = max(latest.values()) - timedelta(days=STALE_AFTER_DAYS)
    stale = {document_id for document_id, moment in latest.items() if moment < cutoff}
    current = {platform_of[document_id] for document_id in latest.keys() - stale}
    return stale, current


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_module_invariants(session: Session) -> dict[str, Any]:
    """Check the figures module against independent counts; return what it computed."""
    stale, current_platforms = stale_documents(session)
    # Stale documents are left out, and a platform has a practice only where a
    # provision affirms it.
    every_label = [
        label for label in current_labels(session) if label.document_id not in stale
    ]
    labels = [label for label in every_label if label.stance == "affirms"]
    denials = [label for label in every_label if label.stance == "denies"]
    with_versions = session.scalar(
        select(func.count(func.distinct(Document.platform_id))).join(
            Version, Version.document_id == Document.id
        )
    )
    assert tracked_platform_count(session) == with_versions
    total = counted_platform_count(session)
    assert total == len(current_platforms)
    figures: dict[str, Any] = {
        "total": total,
        "prevalence": {},
        "provisions": {},
        "others": {},
        "activity": {
            platform_id: recent_activity(session, platform_id).changes
            for platform_id in PLATFORMS
        },
    }
    for clause_type, _ in KEYWORD_TYPES.values():
        figure = prevalence(session, clause_type)
        expected = {
            label.platform_id for label in labels if label.clause_type == clause_type
        }
        assert figure.platforms_with == len(expected)
        denying = {
            label.platform_id for label in denials if label.clause_type == clause_type
        }
        assert figure.platforms_denying == len(denying - expected)
        assert figure.platforms_with <= figure.platforms_total == total
        assert figure.platforms_left_out == with_versions - total
        assert figure.rarity == rarity_label(figure.platforms_with, total)
        history = prevalence_over_time(session, clause_type)
        assert history[-1].as_of <= datetime.now(UTC).date()
        assert (history[-1].platforms_with, history[-1].platforms_total) == (
            figure.platforms_with,
            figure.platforms_total,
        )
        if figure.platforms_with:
            share = figure.platforms_with / total
            by_share = next(
                (label for bound, label in RARITY_CUTOFFS if share < bound),
                "Widespread",
            )
            assert figure.rarity == by_share, share
        figures["prevalence"][clause_type] = figure
        for platform_id in PLATFORMS:
            others = sum(
                1
                for label in labels
                if label.clause_type == clause_type and label.platform_id != platform_id
            )
            figures["others"][(clause_type, platform_id)] = others
            assert (
                other_platform_provisions(
                    session, clause_type, excluding_platform=platform_id
                )
                == others
            )

    for provision in session.scalars(select(Provision)):
        document = session.get(Document, provision.document_id)
        dates = document_dates(session, document)
        stability = provision_stability(session, provision)
        assert dates.first_tracked is not None and dates.last_verified is not None
        assert dates.first_tracked <= stability.first_seen
        assert stability.first_seen <= stability.last_seen
        assert stability.last_seen <= dates.last_verified
        assert stability.label == stability_label(
            stability.changes, stability.months_monitored
        )
        versions = session.scalar(
            select(func.count()).where(Version.document_id == provision.document_id)
        )
        assert 0 <= stability.changes <= versions - 1
        figures["provisions"][provision.record_id] = (stability, dates)
    return figures


def check_cli(folder: Path, session: Session, figures: dict[str, Any]) -> None:
    runner = CliRunner()
    stats = runner.invoke(cli_app, ["--data-dir", str(folder), "stats", "--json"])
    assert stats.exit_code == 0, stats.output
    printed = json.loads(stats.stdout)["figures"]
    expected = stats_figures(session)
    assert (
        printed["counted_platforms"] == expected.counted_platforms == figures["total"]
    )
    assert printed["documented_changes"] == expected.documented_changes
    for item in printed["most_prevalent"]:
        figure = figures["prevalence"][item["clause_type_id"]]
        assert item["platforms_with"] == figure.platforms_with
        assert item["rarity"] == figure.rarity

    for document in session.scalars(select(Document)):
        shown = runner.invoke(
            cli_app,
            [
                "--data-dir",
                str(folder),
                "show",
                document.platform_id,
                document.record_id,
                "--json",
            ],
        )
        assert shown.exit_code == 0, shown.output
        payload = json.loads(shown.stdout)
        dates = document_dates(session, document)
        assert (
            payload["document"]["first_tracked_at"] == dates.first_tracked.isoformat()
        )
        assert (
            payload["document"]["last_verified_at"] == dates.last_verified.isoformat()
        )
        current = {
            item["record_id"] for item in payload["provisions"] if item["is_current"]
        }
        stored = set(
            session.scalars(
                select(Provision.record_id).where(
                    Provision.document_id == document.id, Provision.is_current.is_(True)
                )
            )
        )
        assert current == stored


def check_api(folder: Path, figures: dict[str, Any]) -> None:
    from clausewatch.web import create_app

    with TestClient(create_app(Settings(data_dir=folder))) as client:
        # The provision page is the slowest call, so a few provisions per example
        # are checked; Hypothesis varies which ones across examples.
        checked = list(figures["provisions"].items())[:MAX_API_PROVISIONS]
        for record_id, (stability, dates) in checked:
            response = client.get(f"/api/v1/provisions/{record_id}")
            assert response.status_code == 200, response.text
            page = response.json()["page"]
            assert page["stability"]["changes"] == stability.changes
            assert page["stability"]["label"] == stability.label
            assert (
                datetime.fromisoformat(page["stability"]["first_seen"])
                == stability.first_seen
            )
            assert (
                datetime.fromisoformat(page["stability"]["last_seen"])
                == stability.last_seen
            )
            assert (
                datetime.fromisoformat(page["dates"]["first_tracked"])
                == dates.first_tracked
            )
            assert (
                datetime.fromisoformat(page["dates"]["last_verified"])
                == dates.last_verified
            )
            if page["prevalence"] is not None:
                figure = figures["prevalence"].get(page["prevalence"]["clause_type_id"])
                if figure is not None:
                    assert page["prevalence"]["platforms_with"] == figure.platforms_with
                    assert (
                        page["prevalence"]["platforms_total"] == figure.platforms_total
                    )
                    assert page["prevalence"]["rarity"] == figure.rarity
                    assert (
                        page["prevalence"]["platforms_denying"]
                        == figure.platforms_denying
                    )
                    key = (figure.clause_type_id, page["record"]["platform_id"])
                    assert page["other_platform_provisions"] == figures["others"][key]
            platform_id = page["record"]["platform_id"]
            assert page["activity"]["changes"] == figures["activity"][platform_id]
            check_rendered(client, record_id, page, figures)


def changes_phrase(count: int) -> str:
    return f"{count} documented change{'' if count == 1 else 's'}"


def check_rendered(
    client: TestClient, record_id: str, page: dict[str, Any], figures: dict[str, Any]
) -> None:
    """Check the figures on the provision page, its FAQ and the platform and
    clause-type pages against the figures module."""
    platform_id = page["record"]["platform_id"]
    html = client.get(f"/provisions/{record_id}").text
    platform_html = client.get(f"/platforms/{platform_id}").text
    activity = changes_phrase(figures["activity"][platform_id])
    assert f"{activity}</strong> for" in html
    assert f"{activity} in the last 30 days" in platform_html

    prevalence = page["prevalence"]
    if prevalence is None:
        return
    figure = figures["prevalence"].get(prevalence["clause_type_id"])
    if figure is None:
        return
    counts = f"{figure.platforms_with} of {figure.platforms_total}"
    badge = f"{figure.rarity}: {counts} platforms"
    faq = (
        f"{figure.platforms_with} of {figure.platforms_total} tracked platforms have "
        "at least one current provision of this clause type"
    )
    assert badge in html
    assert faq in html
    clause_type_html = client.get(f"/clause-types/{figure.clause_type_id}").text
    assert badge in clause_type_html
    if figure.denial_phrase:
        assert figure.denial_phrase in html
        assert figure.denial_phrase in clause_type_html


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(history=history_strategy)
def test_figures_agree_everywhere(history: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        store = build_store(folder, history)
        try:
            with store.session() as session:
                figures = check_module_invariants(session)
                check_cli(folder, session, figures)
        finally:
            store.close()
        check_api(folder, figures)
