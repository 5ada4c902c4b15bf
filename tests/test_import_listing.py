"""History import: files dated in the future, unknown terms types, ignored files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clausewatch.db.models import Document, Version
from clausewatch.db.store import Store
from clausewatch.errors import ImportHistoryError
from clausewatch.settings import Settings
from clausewatch.tracking.history_files import read_history
from clausewatch.tracking.history_import import import_history
from tests.history_builders import (
    PRIVACY_V1,
    PRIVACY_V2,
    PRIVACY_V3,
    timestamp_name,
    write_folder_history,
    write_git_history,
)

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
PAST = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)
FUTURE = datetime(2031, 1, 1, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(Settings(data_dir=tmp_path / "data"))
    yield opened
    opened.close()


def version_dates(store: Store) -> list[datetime]:
    with store.session() as session:
        return list(
            session.scalars(select(Version.captured_at).order_by(Version.captured_at))
        )


@pytest.mark.parametrize("writer", [write_folder_history, write_git_history])
def test_future_version_rejected(store: Store, tmp_path: Path, writer) -> None:
    history = writer(
        tmp_path / "history",
        "Zeta",
        "Privacy Policy",
        [(PAST, PRIVACY_V1), (FUTURE, PRIVACY_V2)],
    )

    report, files = import_history(store, history, analyzer=None, now=NOW)

    assert files == 1
    assert report.new_versions == 1
    assert version_dates(store) == [PAST]
    assert len(report.errors) == 1
    assert "2031-01-01T00:00:00Z" in report.errors[0]
    assert "2026-12-04T09:00:00Z" in report.errors[0]
    assert "Zeta/Privacy Policy" in report.errors[0]


def test_date_within_a_day_accepted(store: Store, tmp_path: Path) -> None:
    soon = NOW + timedelta(hours=20)
    history = write_folder_history(
        tmp_path / "history", "Zeta", "Privacy Policy", [(soon, PRIVACY_V1)]
    )

    report, _ = import_history(store, history, analyzer=None, now=NOW)

    assert report.errors == []
    assert version_dates(store) == [soon]


def test_future_file_keeps_stored_history(store: Store, tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "history",
        "Zeta",
        "Privacy Policy",
        [(PAST, PRIVACY_V1), (PAST + timedelta(days=90), PRIVACY_V2)],
    )
    import_history(store, history, analyzer=None, now=NOW)
    write_folder_history(history, "Zeta", "Privacy Policy", [(FUTURE, PRIVACY_V3)])

    # Without `now`, the import compares with the current time.
    report, _ = import_history(store, history, analyzer=None)

    assert report.already_imported == 2
    assert report.new_versions == 0
    assert len(report.errors) == 1
    assert timestamp_name(FUTURE) in report.errors[0]
    assert version_dates(store) == [PAST, PAST + timedelta(days=90)]
    assert store.counts().snapshots == 2


@pytest.mark.parametrize(
    ("terms_type", "suggestion"),
    [
        ("Made Up Type", "one of the Open Terms Archive terms types"),
        ("Privacy Polcy", '"Privacy Policy"'),
        ("Terms of Use", '"Terms of Service"'),
    ],
)
def test_unknown_terms_type_skipped(
    store: Store, tmp_path: Path, terms_type: str, suggestion: str
) -> None:
    history = write_folder_history(
        tmp_path / "history", "Zeta", "Privacy Policy", [(PAST, PRIVACY_V1)]
    )
    write_folder_history(
        history, "Zeta", terms_type, [(PAST, PRIVACY_V1), (NOW, PRIVACY_V2)]
    )

    report, files = import_history(store, history, analyzer=None, now=NOW)

    assert files == 1
    assert report.documents == 1
    assert len(report.errors) == 1
    assert f'Zeta/{terms_type}: unknown terms type "{terms_type}"' in report.errors[0]
    assert "2 files skipped" in report.errors[0]
    assert suggestion in report.errors[0]
    with store.session() as session:
        assert list(session.scalars(select(Document.terms_type))) == ["Privacy Policy"]


def test_unknown_terms_type_in_git(store: Store, tmp_path: Path) -> None:
    history = write_git_history(
        tmp_path / "repo", "Zeta", "Made Up Type", [(PAST, PRIVACY_V1)]
    )

    report, files = import_history(store, history, analyzer=None, now=NOW)

    assert files == 0
    assert len(report.errors) == 1
    assert "1 file skipped" in report.errors[0]
    assert 'unknown terms type "Made Up Type"' in report.errors[0]
    assert store.counts().documents == 0


def test_ignored_folder_files_listed(tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "history", "Zeta", "Privacy Policy", [(PAST, PRIVACY_V1)]
    )
    nested = history / "Zeta" / "Privacy Policy" / "old"
    write_folder_history(nested, "a", "b", [(PAST, PRIVACY_V1)])
    (nested / timestamp_name(PAST)).write_text(PRIVACY_V1, "utf-8")
    (history / "MANIFEST.json").write_text("{}", "utf-8")
    (history / "Zeta" / "notes.md").write_text("notes", "utf-8")
    (history / "Zeta" / "Privacy Policy" / "2025-03-01.html").write_text("x")
    (history / "Zeta" / "Privacy Policy" / ".DS_Store").write_text("x")
    (history / ".cache").mkdir()
    (history / ".cache" / "state.md").write_text("x")

    listing = read_history(history, now=NOW)

    assert [item.source for item in listing.files] == [
        "Zeta/Privacy Policy/" + timestamp_name(PAST)
    ]
    assert listing.errors == []
    assert len(listing.skipped) == 5
    skipped = "\n".join(listing.skipped)
    assert "MANIFEST.json: not inside a <service>/<terms type>/ folder" in skipped
    assert "Zeta/notes.md: not inside" in skipped
    assert "Zeta/Privacy Policy/2025-03-01.html: not a .md file" in skipped
    assert "Zeta/Privacy Policy/old/: a folder inside a terms type folder" in skipped
    assert ".cache/: a hidden folder" in skipped
    assert ".DS_Store" not in skipped


def test_import_report_lists_skipped(store: Store, tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "history", "Zeta", "Privacy Policy", [(PAST, PRIVACY_V1)]
    )
    (history / "README.md").write_text("# Versions\n", "utf-8")

    report, _ = import_history(store, history, analyzer=None, now=NOW)

    assert report.errors == []
    assert report.skipped == [
        "README.md: not inside a <service>/<terms type>/ folder; ignored"
    ]


def test_ignored_git_files_listed(tmp_path: Path) -> None:
    history = write_git_history(
        tmp_path / "repo", "Zeta", "Privacy Policy", [(PAST, PRIVACY_V1)]
    )
    (history / "README.md").write_text("# Versions\n", "utf-8")
    (history / "Zeta" / "old").mkdir()
    (history / "Zeta" / "old" / "Privacy Policy.md").write_text(PRIVACY_V2, "utf-8")
    write_git_history(history, "Zeta", "Privacy Policy", [(NOW, PRIVACY_V3)])

    listing = read_history(history, now=NOW)

    assert len(listing.files) == 2
    assert listing.skipped == [
        "README.md: not a <service>/<terms type>.md file; ignored",
        "Zeta/old/Privacy Policy.md: not a <service>/<terms type>.md file; ignored",
    ]


def test_git_service_name_outside_ascii(tmp_path: Path) -> None:
    history = write_git_history(
        tmp_path / "repo", "Société Générale", "Privacy Policy", [(PAST, PRIVACY_V1)]
    )

    listing = read_history(history, now=NOW)

    assert [item.service for item in listing.files] == ["Société Générale"]
    assert listing.files[0].read() == PRIVACY_V1.encode()


def test_only_ignored_files_raise(store: Store, tmp_path: Path) -> None:
    history = tmp_path / "history"
    history.mkdir()
    (history / "README.md").write_text("# Versions\n", "utf-8")

    with pytest.raises(
        ImportHistoryError, match="no versions found.*ignored: README.md"
    ):
        import_history(store, history, analyzer=None, now=NOW)


def test_linked_folders_followed_without_loop(tmp_path: Path) -> None:
    elsewhere = write_folder_history(
        tmp_path / "elsewhere", "Zeta", "Privacy Policy", [(PAST, PRIVACY_V1)]
    )
    history = tmp_path / "history"
    history.mkdir()
    (history / "Zeta").symlink_to(elsewhere / "Zeta")
    (elsewhere / "Zeta" / "Privacy Policy" / "loop").symlink_to(history)

    listing = read_history(history, now=NOW)

    assert len(listing.files) == 1
    assert listing.skipped == [
        "Zeta/Privacy Policy/loop/: a folder inside a terms type folder; ignored "
        "with its contents, because versions sit directly in <service>/<terms type>/"
    ]


@pytest.mark.parametrize("writer", [write_folder_history, write_git_history])
def test_file_over_size_limit_skipped(store: Store, tmp_path: Path, writer) -> None:
    limit = len(PRIVACY_V2.encode()) + 100
    large = PRIVACY_V2 + "\nWe keep a record of each request you make.\n" * 40
    history = writer(
        tmp_path / "history",
        "Zeta",
        "Privacy Policy",
        [(PAST, PRIVACY_V1), (PAST + timedelta(days=90), large)],
    )

    report, files = import_history(
        store, history, analyzer=None, now=NOW, max_bytes=limit
    )

    assert files == 1
    assert version_dates(store) == [PAST]
    (error,) = report.errors
    assert "Zeta/Privacy Policy" in error
    assert f"{len(large.encode()):,} bytes" in error
    assert f"limit of {limit:,} bytes" in error
    assert "CLAUSEWATCH_IMPORT_MAX_BYTES" in error
    assert report.files == 1
    assert report.files_skipped == 1


def test_oversized_file_keeps_stored_history(store: Store, tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "history", "Zeta", "Privacy Policy", [(PAST, PRIVACY_V1)]
    )
    import_history(store, history, analyzer=None, now=NOW)
    later = PAST + timedelta(days=90)
    write_folder_history(history, "Zeta", "Privacy Policy", [(later, PRIVACY_V3)])

    report, _ = import_history(
        store, history, analyzer=None, now=NOW, max_bytes=len(PRIVACY_V1.encode())
    )

    assert report.already_imported == 1
    assert report.new_versions == 0
    (error,) = report.errors
    assert timestamp_name(later) in error
    assert version_dates(store) == [PAST]
    assert store.counts().snapshots == 1


def test_import_limit_matches_fetch_limit() -> None:
    settings = Settings()
    assert settings.import_max_bytes == settings.fetch_max_bytes == 20 * 1024 * 1024


def test_hidden_service_folder_noted(store: Store, tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "history", "Zeta", "Privacy Policy", [(PAST, PRIVACY_V1)]
    )
    write_folder_history(history, ".hidden", "Privacy Policy", [(PAST, PRIVACY_V2)])

    report, files = import_history(store, history, analyzer=None, now=NOW)

    assert files == 1
    assert report.errors == []
    assert report.skipped == [
        ".hidden/: a hidden folder (its name starts with a dot); ignored with its "
        "contents. Remove the dot to import the versions in it."
    ]


def test_hidden_git_folder_noted(tmp_path: Path) -> None:
    history = write_git_history(
        tmp_path / "repo", "Zeta", "Privacy Policy", [(PAST, PRIVACY_V1)]
    )
    (history / ".github" / "workflows").mkdir(parents=True)
    (history / ".github" / "workflows" / "check.yml").write_text("on: push\n")
    (history / ".github" / "README.md").write_text("# Checks\n")
    (history / ".gitignore").write_text("*.tmp\n")
    write_git_history(history, "Zeta", "Privacy Policy", [(NOW, PRIVACY_V2)])

    listing = read_history(history, now=NOW)

    assert len(listing.files) == 2
    assert listing.skipped == [
        ".github/: a hidden folder (its name starts with a dot); ignored with its "
        "contents. Remove the dot to import the versions in it."
    ]
