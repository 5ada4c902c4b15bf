"""Import of the real Open Terms Archive corpus, checked against its own files."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from clausewatch.db.models import (
    Document,
    Provision,
    ProvisionText,
    Snapshot,
    Version,
    VersionSnapshot,
)
from clausewatch.db.store import Store
from clausewatch.declarations import load_catalog
from clausewatch.extract import normalize_markdown
from clausewatch.settings import Settings
from clausewatch.tracking.history_files import parse_timestamp
from clausewatch.tracking.history_import import catalog_index, import_history
from clausewatch.tracking.slugs import platform_slug

CATALOG = catalog_index(load_catalog())


def expected_history(
    corpus: Path,
) -> dict[tuple[str, str], list[tuple[datetime, str]]]:
    """Per document, the (date, text hash) of each distinct consecutive text.

    A document that several folders feed (one platform under two names) is left
    out, and ``test_twitter_and_x_are_one_platform`` checks its joined timeline.
    """
    expected: dict[tuple[str, str], list[tuple[datetime, str]]] = {}
    joined: set[tuple[str, str]] = set()
    for folder in sorted(corpus.glob("*/*")):
        if not folder.is_dir():
            continue
        versions: list[tuple[datetime, str]] = []
        for path in sorted(folder.glob("*.md")):
            captured_at = parse_timestamp(path.stem)
            assert captured_at is not None, path
            normalized = normalize_markdown(path.read_text("utf-8"))
            digest = hashlib.sha256(normalized.encode()).hexdigest()
            if not versions or versions[-1][1] != digest:
                versions.append((captured_at, digest))
        slug = platform_slug(folder.parent.name)
        platform = CATALOG.get(slug)
        key = (platform.id if platform else slug, folder.name)
        if key in expected:
            joined.add(key)
        expected[key] = versions
    return {key: value for key, value in expected.items() if key not in joined}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Path, object]:
    from tests.conftest import require_shared

    corpus = require_shared("corpus", "ota")
    settings = Settings(data_dir=tmp_path_factory.mktemp("corpus-import"))
    store = Store.open(settings)
    report, _ = import_history(store, corpus, analyzer=None)
    yield store, corpus, report
    store.close()


def stored_history(store: Store) -> dict[tuple[str, str], list[Version]]:
    history: dict[tuple[str, str], list[Version]] = defaultdict(list)
    with store.session() as session:
        rows = session.execute(
            select(Document.platform_id, Document.terms_type, Version)
            .join(Version, Version.document_id == Document.id)
            .order_by(Version.number)
        ).all()
        for platform_id, terms_type, version in rows:
            history[(platform_id, terms_type)].append(version)
    return history


def test_import_reports_no_errors(imported) -> None:
    _, _, report = imported
    assert report.errors == []
    assert report.out_of_order == []
    assert report.files >= 500


def test_versions_follow_text_changes(imported) -> None:
    store, corpus, report = imported
    expected = expected_history(corpus)
    stored = stored_history(store)
    assert set(expected) <= set(stored)
    assert len(stored) == len(expected) + 2, "only X and Twitter share documents"
    suspects = {tuple(line.split("/")[:2]) for line in report.suspect}
    suspect_keys = {
        (
            getattr(CATALOG.get(platform_slug(service)), "id", platform_slug(service)),
            kind,
        )
        for service, kind in suspects
    }
    for key, versions in expected.items():
        if key in suspect_keys:
            # A quarantined capture makes the stored history differ on purpose.
            continue
        got = [(version.captured_at, version.text_sha256) for version in stored[key]]
        assert got == versions, f"versions of {key} differ from the corpus files"


def test_version_dates_are_file_dates(imported) -> None:
    store, corpus, _ = imported
    file_dates = {parse_timestamp(path.stem) for path in corpus.glob("*/*/*.md")}
    for versions in stored_history(store).values():
        for version in versions:
            assert version.captured_at in file_dates
            assert version.captured_at.tzinfo is UTC


def test_reversions_are_marked(imported) -> None:
    store, _, report = imported
    marked = 0
    for versions in stored_history(store).values():
        seen: dict[str, int] = {}
        for version in versions:
            earlier = seen.get(version.text_sha256)
            assert version.reverts_to_number == earlier
            marked += earlier is not None
            seen[version.text_sha256] = version.number
    assert marked == report.reversions
    assert marked >= 1, "the corpus has documents that return to an earlier text"


def test_every_version_has_provisions(imported) -> None:
    store, _, _ = imported
    with store.session() as session:
        empty = session.scalars(
            select(Version.id).where(
                ~Version.id.in_(select(ProvisionText.version_id).distinct())
            )
        ).all()
    assert empty == []


def test_second_import_changes_nothing(imported) -> None:
    store, corpus, _ = imported
    before = store.counts()
    with store.session() as session:
        ids_before = set(session.scalars(select(Provision.record_id)))
    report, _ = import_history(store, corpus, analyzer=None)
    assert report.new_versions == 0
    assert report.already_imported == report.files
    assert store.counts() == before
    with store.session() as session:
        assert set(session.scalars(select(Provision.record_id))) == ids_before


def test_longer_history_adds_only_new(tmp_path: Path, corpus_dir: Path) -> None:
    services = sorted(path for path in corpus_dir.iterdir() if path.is_dir())[:3]
    partial = tmp_path / "partial"
    for service in services:
        for document in service.iterdir():
            files = sorted(document.glob("*.md"))
            target = partial / service.name / document.name
            target.mkdir(parents=True)
            for path in files[: max(1, len(files) // 2)]:
                (target / path.name).symlink_to(path)
    full = tmp_path / "full"
    full.mkdir()
    for service in services:
        (full / service.name).symlink_to(service)

    store = Store.open(Settings(data_dir=tmp_path / "data"))
    first, _ = import_history(store, partial, analyzer=None)
    with store.session() as session:
        early_ids = dict(
            session.execute(select(Provision.id, Provision.record_id)).tuples().all()
        )
    second, _ = import_history(store, full, analyzer=None)
    assert second.already_imported == first.files
    assert second.new_versions + second.unchanged + len(second.suspect) == (
        second.files - first.files
    )
    with store.session() as session:
        for provision_id, record_id in early_ids.items():
            assert session.get(Provision, provision_id).record_id == record_id
    store.close()


def test_twitter_and_x_are_one_platform(imported) -> None:
    store, corpus, report = imported
    stored = stored_history(store)
    assert not any(platform == "twitter" for platform, _ in stored)
    x_documents = sorted(kind for platform, kind in stored if platform == "x")
    assert x_documents == ["Privacy Policy", "Terms of Service"]
    joined = [line for line in report.joined if " of X (Twitter): " in line]
    assert len(joined) == 2

    for terms_type in x_documents:
        folders = version_folders(store, terms_type)
        # One timeline: Twitter's versions, then X's, with no return to Twitter.
        assert folders == sorted(folders, key=lambda name: name == "X"), terms_type
        assert folders[0] == "Twitter"
        assert folders[-1] == "X"
        dates = [version.captured_at for version in stored[("x", terms_type)]]
        assert dates == sorted(dates)
        assert len(set(dates)) == len(dates)

    # Twitter's Terms of Service files from X's start on differ from X's captures of
    # the same days only in navigation, so they are kept as snapshots only.
    x_start = min(
        parse_timestamp(path.stem)
        for path in (corpus / "X" / "Terms of Service").glob("*.md")
    )
    late_twitter = [
        parse_timestamp(Path(line.split(":")[0]).stem)
        for line in report.other_source
        if line.startswith("Twitter/Terms of Service/")
    ]
    assert len(late_twitter) >= 2
    assert all(moment >= x_start for moment in late_twitter)


def version_folders(store: Store, terms_type: str) -> list[str]:
    """The folder of the file that created each version of an X document."""
    with store.session() as session:
        rows = session.execute(
            select(Version.number, Snapshot.url)
            .join(Document, Document.id == Version.document_id)
            .join(VersionSnapshot, VersionSnapshot.version_id == Version.id)
            .join(Snapshot, Snapshot.id == VersionSnapshot.snapshot_id)
            .where(
                Document.platform_id == "x",
                Document.terms_type == terms_type,
                Snapshot.fetched_at == Version.captured_at,
            )
            .order_by(Version.number)
        ).all()
    folders: dict[int, str] = {}
    for number, url in rows:
        folders.setdefault(number, url.split("/")[0])
    return list(folders.values())
