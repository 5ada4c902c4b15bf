"""History import from our own small histories: layouts, idempotency and bad input."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from clausewatch.db.models import (
    ChangeEvent,
    Document,
    Provision,
    ProvisionText,
    Version,
)
from clausewatch.db.store import Store
from clausewatch.declarations import load_catalog
from clausewatch.errors import ImportHistoryError
from clausewatch.settings import Settings
from clausewatch.tracking.history_import import import_history
from tests.history_builders import (
    PRIVACY_V1,
    PRIVACY_V2,
    PRIVACY_V3,
    write_folder_history,
    write_git_history,
)

DAY_1 = datetime(2025, 1, 6, 10, 0, tzinfo=UTC)
DAY_2 = datetime(2025, 6, 1, 10, 0, tzinfo=UTC)
DAY_3 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
DAY_4 = datetime(2026, 5, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(Settings(data_dir=tmp_path / "data"))
    yield opened
    opened.close()


def versions_of(store: Store) -> list[Version]:
    with store.session() as session:
        return list(session.scalars(select(Version).order_by(Version.number)))


def record_ids_by_text(store: Store, number: int) -> dict[str, str]:
    with store.session() as session:
        rows = session.execute(
            select(ProvisionText.text, Provision.record_id)
            .join(Provision, Provision.id == ProvisionText.provision_id)
            .join(Version, Version.id == ProvisionText.version_id)
            .where(Version.number == number)
        ).all()
    return {text: record_id for text, record_id in rows}


@pytest.mark.parametrize(
    ("writer", "recorded_files"),
    # A git commit that leaves the file unchanged does not touch it, so it records
    # no version, while the folder layout keeps a file for every capture.
    [(write_folder_history, 3), (write_git_history, 2)],
)
def test_import_layouts_record_real_dates(
    store: Store, tmp_path: Path, writer, recorded_files: int
) -> None:
    history = writer(
        tmp_path / "history",
        "Example",
        "Privacy Policy",
        [(DAY_1, PRIVACY_V1), (DAY_2, PRIVACY_V1), (DAY_3, PRIVACY_V2)],
    )
    report, files = import_history(store, history, analyzer=None)
    assert files == recorded_files
    assert report.new_versions == 2
    assert report.unchanged == recorded_files - 2
    assert [version.captured_at for version in versions_of(store)] == [DAY_1, DAY_3]


def test_edited_clause_keeps_record_id(store: Store, tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "h",
        "Example",
        "Privacy Policy",
        [(DAY_1, PRIVACY_V1), (DAY_3, PRIVACY_V2)],
    )
    import_history(store, history, analyzer=None)
    first = record_ids_by_text(store, 1)
    second = record_ids_by_text(store, 2)
    old_text = next(text for text in first if "so that we can answer them." in text)
    new_text = next(text for text in second if "train our artificial" in text)
    assert first[old_text] == second[new_text]
    unchanged = next(text for text in first if "service providers" in text)
    assert first[unchanged] == second[unchanged]


def test_clause_that_returns_keeps_record_id(store: Store, tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "h",
        "Example",
        "Privacy Policy",
        [(DAY_2, PRIVACY_V2), (DAY_3, PRIVACY_V3), (DAY_4, PRIVACY_V2)],
    )
    report, _ = import_history(store, history, analyzer=None)
    assert report.new_versions == 3
    assert report.reversions == 1
    added = next(
        text for text in record_ids_by_text(store, 2) if "sell aggregated" in text
    )
    assert added not in record_ids_by_text(store, 3)
    assert record_ids_by_text(store, 1) == record_ids_by_text(store, 3)
    assert versions_of(store)[2].reverts_to_number == 1


def test_single_version_has_no_change_events(store: Store, tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "h", "Example", "Terms of Service", [(DAY_1, PRIVACY_V1)]
    )
    import_history(store, history, analyzer=None)
    with store.session() as session:
        assert session.scalars(select(ChangeEvent)).all() == []


def test_older_history_kept_as_snapshot_only(store: Store, tmp_path: Path) -> None:
    recent = write_folder_history(
        tmp_path / "recent", "Example", "Privacy Policy", [(DAY_3, PRIVACY_V2)]
    )
    older = write_folder_history(
        tmp_path / "older", "Example", "Privacy Policy", [(DAY_1, PRIVACY_V1)]
    )
    import_history(store, recent, analyzer=None)
    report, _ = import_history(store, older, analyzer=None)
    assert len(report.out_of_order) == 1
    assert "older than version 1" in report.out_of_order[0]
    assert len(versions_of(store)) == 1
    assert store.counts().snapshots == 2


def test_bad_file_names_are_reported(store: Store, tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "h", "Example", "Privacy Policy", [(DAY_1, PRIVACY_V1)]
    )
    (history / "Example" / "Privacy Policy" / "latest.md").write_text("x", "utf-8")
    report, _ = import_history(store, history, analyzer=None)
    assert report.new_versions == 1
    assert len(report.errors) == 1
    assert "latest.md" in report.errors[0]
    assert "timestamp" in report.errors[0]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda root: root / "absent", "does not exist"),
        (
            lambda root: (root / "file.md").write_text("x") and root / "file.md",
            "is a file",
        ),
        (lambda root: (root / "empty").mkdir() or root / "empty", "no versions found"),
    ],
)
def test_unusable_history_paths(
    store: Store, tmp_path: Path, make, message: str
) -> None:
    with pytest.raises(ImportHistoryError, match=message):
        import_history(store, make(tmp_path), analyzer=None)
    assert store.counts().versions == 0


def test_persistent_shrink_becomes_version(store: Store, tmp_path: Path) -> None:
    long_text = PRIVACY_V1 + "".join(
        f"\n## Section {index}\n\nWe describe practice number {index} in detail here.\n"
        for index in range(40)
    )
    history = write_folder_history(
        tmp_path / "h",
        "Example",
        "Privacy Policy",
        [(DAY_1, long_text), (DAY_2, PRIVACY_V1), (DAY_3, PRIVACY_V2)],
    )
    report, _ = import_history(store, history, analyzer=None)
    assert len(report.suspect) == 1
    assert "shrunk" in report.suspect[0]
    assert [version.captured_at for version in versions_of(store)] == [DAY_1, DAY_3]


def test_repeated_block_page_never_becomes_version(
    store: Store, tmp_path: Path
) -> None:
    block_page = "# Access denied\n\nPlease complete the security check to continue.\n"
    history = write_folder_history(
        tmp_path / "h",
        "Example",
        "Privacy Policy",
        [(DAY_1, PRIVACY_V1), (DAY_2, block_page), (DAY_3, block_page)],
    )
    report, _ = import_history(store, history, analyzer=None)
    assert len(report.suspect) == 2
    assert len(versions_of(store)) == 1


def test_history_joins_catalog_platform_by_alias(store: Store, tmp_path: Path) -> None:
    declaration = tmp_path / "example-corp.yaml"
    declaration.write_text(
        "id: example-corp\nname: Example Corp\naliases: [Example Chat]\n"
        "documents:\n  Privacy Policy: https://example.org/privacy\n",
        "utf-8",
    )
    history = write_folder_history(
        tmp_path / "h", "Example Chat", "Privacy Policy", [(DAY_1, PRIVACY_V1)]
    )
    import_history(
        store, history, analyzer=None, catalog_platforms=load_catalog(declaration)
    )
    with store.session() as session:
        document = session.scalars(select(Document)).one()
        assert document.platform_id == "example-corp"
        assert document.platform.name == "Example Corp"
        assert document.declaration["pages"][0]["url"] == "https://example.org/privacy"


def test_git_commit_deleting_a_document_is_skipped(
    store: Store, tmp_path: Path
) -> None:
    history = write_git_history(
        tmp_path / "repo", "Example", "Privacy Policy", [(DAY_1, PRIVACY_V1)]
    )
    (history / "Example" / "Privacy Policy.md").unlink()
    subprocess.run(["git", "-C", str(history), "add", "-A"], check=True)
    subprocess.run(
        [
            "git",
            "-C",
            str(history),
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.org",
            "commit",
            "-q",
            "-m",
            "Remove",
        ],
        check=True,
    )
    report, files = import_history(store, history, analyzer=None)
    assert report.errors == []
    assert files == 1
    assert report.new_versions == 1


def not_utf8(history: Path, service: str, moment: datetime) -> None:
    folder = history / service / "Privacy Policy"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / moment.strftime("%Y-%m-%dT%H-%M-%SZ.md")).write_bytes(b"\xff\xfe bad")


@pytest.mark.parametrize("content", ["", None])
def test_skipped_file_creates_no_platform(
    store: Store, tmp_path: Path, content: str | None
) -> None:
    history = tmp_path / "h"
    if content is None:
        not_utf8(history, "Solo", DAY_1)
    else:
        write_folder_history(history, "Solo", "Privacy Policy", [(DAY_1, content)])

    report, _ = import_history(store, history, analyzer=None)

    assert store.counts().platforms == 0
    assert store.counts().documents == 0
    assert store.counts().snapshots == 0
    assert report.files == 0
    assert report.files_skipped == 1
    assert report.documents == 0
    (error,) = report.errors
    assert "Solo/Privacy Policy/2025-01-06T10-00-00Z.md" in error
    assert "skipped" in error


def test_skipped_file_adds_no_document(store: Store, tmp_path: Path) -> None:
    history = write_folder_history(
        tmp_path / "h", "Example", "Terms of Service", [(DAY_1, PRIVACY_V1)]
    )
    write_folder_history(history, "Example", "Privacy Policy", [(DAY_2, "")])

    report, _ = import_history(store, history, analyzer=None)

    with store.session() as session:
        assert list(session.scalars(select(Document.terms_type))) == [
            "Terms of Service"
        ]
    assert (report.files, report.files_skipped, report.documents) == (1, 1, 1)


def test_suspect_before_first_version_kept(store: Store, tmp_path: Path) -> None:
    block_page = "# Access denied\n\nPlease complete the security check to continue.\n"
    history = write_folder_history(
        tmp_path / "h",
        "Example",
        "Privacy Policy",
        [(DAY_1, block_page), (DAY_2, PRIVACY_V1)],
    )

    report, _ = import_history(store, history, analyzer=None)
    again, _ = import_history(store, history, analyzer=None)

    assert (report.files, report.files_skipped, len(report.suspect)) == (2, 0, 1)
    assert report.errors == []
    assert [version.captured_at for version in versions_of(store)] == [DAY_2]
    assert store.counts().snapshots == 2
    assert store.counts().suspect_captures == 1
    assert (again.already_imported, again.new_versions) == (2, 0)
    assert store.counts().snapshots == 2
