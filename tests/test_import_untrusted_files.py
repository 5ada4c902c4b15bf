"""History import: links out of the history, FIFOs, devices and growing files."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clausewatch.db.store import Store
from clausewatch.errors import ImportHistoryError
from clausewatch.settings import Settings
from clausewatch.tracking import history_import
from clausewatch.tracking.history_files import HistoryListing, read_history
from clausewatch.tracking.history_import import import_history
from tests.history_builders import (
    PRIVACY_V1,
    PRIVACY_V2,
    timestamp_name,
    write_folder_history,
    write_git_history,
)

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
FIRST = datetime(2025, 1, 1, tzinfo=UTC)
SECOND = datetime(2025, 6, 1, tzinfo=UTC)
LOCAL_SECRET = "operator:x:1000:1000:Local account:/home/operator:/bin/sh\n" * 20

# A FIFO or a device read without a bound would block or exhaust memory, so the
# timeout ends such a test before it stalls the machine.
pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(Settings(data_dir=tmp_path / "data"))
    yield opened
    opened.close()


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A history with one good version of Zeta's privacy policy."""
    return write_folder_history(
        tmp_path / "history", "Zeta", "Privacy Policy", [(FIRST, PRIVACY_V1)]
    )


def version_path(history: Path, service: str, moment: datetime) -> Path:
    folder = history / service / "Privacy Policy"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / timestamp_name(moment)


def stored_texts(store: Store) -> list[str]:
    texts = []
    for sha256 in store.snapshot_hashes():
        texts.append(store.blobs.get(sha256).decode("utf-8"))
    return texts


def test_link_out_of_history_rejected(
    store: Store, tmp_path: Path, history: Path
) -> None:
    secret = tmp_path / "elsewhere" / "accounts.md"
    secret.parent.mkdir()
    secret.write_text(LOCAL_SECRET, "utf-8")
    version_path(history, "Zeta", SECOND).symlink_to(secret)

    report, files = import_history(store, history, analyzer=None, now=NOW)

    assert files == 1
    assert report.new_versions == 1
    assert report.files_skipped == 1
    (error,) = report.errors
    assert f"Zeta/Privacy Policy/{timestamp_name(SECOND)}" in error
    assert f"a symbolic link to {secret}, outside the history folder" in error
    assert stored_texts(store) == [PRIVACY_V1]


def test_link_to_system_file_rejected(store: Store, tmp_path: Path) -> None:
    history = tmp_path / "history"
    version_path(history, "Acme", FIRST).symlink_to("/etc/passwd")

    report, files = import_history(store, history, analyzer=None, now=NOW)

    assert files == 0
    assert "a symbolic link to /etc/passwd, outside" in report.errors[0]
    assert store.counts().platforms == 0
    assert store.counts().snapshots == 0


def test_link_inside_history_accepted(store: Store, history: Path) -> None:
    # A history may link a version to an identical file kept in the same history.
    copy = history / "Zeta" / "Privacy Policy" / timestamp_name(SECOND)
    copy.symlink_to(history / "Zeta" / "Privacy Policy" / timestamp_name(FIRST))

    report, files = import_history(store, history, analyzer=None, now=NOW)

    assert report.errors == []
    assert files == 2
    assert report.unchanged == 1


def test_link_to_dev_zero_rejected(store: Store, history: Path) -> None:
    version_path(history, "Zeta", SECOND).symlink_to("/dev/zero")

    report, files = import_history(store, history, analyzer=None, now=NOW)

    assert files == 1
    (error,) = report.errors
    assert "a symbolic link to /dev/zero, outside the history folder" in error
    assert report.new_versions == 1


def test_link_chain_to_device_rejected(tmp_path: Path) -> None:
    # The first link points inside the history, but the chain ends at /dev/zero.
    history = tmp_path / "history"
    device_link = history / "devices" / "zero"
    device_link.parent.mkdir(parents=True)
    device_link.symlink_to("/dev/zero")
    version_path(history, "Zeta", FIRST).symlink_to(device_link)

    listing = read_history(history, now=NOW)

    assert listing.files == []
    assert "a symbolic link to /dev/zero, outside" in listing.errors[0]


def test_fifo_rejected(store: Store, history: Path) -> None:
    os.mkfifo(version_path(history, "Zeta", SECOND))

    report, files = import_history(store, history, analyzer=None, now=NOW)

    assert files == 1
    (error,) = report.errors
    assert f"{timestamp_name(SECOND)}: a FIFO (named pipe), not a regular file" in (
        error
    )
    assert report.new_versions == 1


def test_dangling_link_rejected(history: Path) -> None:
    version_path(history, "Zeta", SECOND).symlink_to(history / "missing.md")

    listing = read_history(history, now=NOW)

    assert len(listing.files) == 1
    (error,) = listing.errors
    assert "cannot read the file (No such file or directory)" in error


def test_file_grown_after_listing_rejected(history: Path) -> None:
    path = version_path(history, "Zeta", FIRST)
    limit = len(PRIVACY_V1.encode())
    listing = read_history(history, now=NOW, max_bytes=limit)
    path.write_text(PRIVACY_V1 + "More text.\n", "utf-8")

    (item,) = listing.files
    with pytest.raises(ImportHistoryError, match=f"limit of {limit:,} bytes"):
        item.read()


def test_file_at_limit_read_whole(history: Path) -> None:
    limit = len(PRIVACY_V1.encode())

    (item,) = read_history(history, now=NOW, max_bytes=limit).files

    assert item.read() == PRIVACY_V1.encode()


@pytest.mark.parametrize("replacement", ["fifo", "link"])
def test_file_replaced_after_listing_rejected(
    store: Store, history: Path, replacement: str
) -> None:
    path = version_path(history, "Zeta", FIRST)
    listing = read_history(history, now=NOW)
    path.unlink()
    if replacement == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")

    (item,) = listing.files
    with pytest.raises((ImportHistoryError, OSError)):
        item.read()


def test_growth_after_listing_reported(
    store: Store, history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The import reports a file that fails when read, and goes on with the others.
    write_folder_history(history, "Zeta", "Terms of Service", [(FIRST, PRIVACY_V2)])
    terms = history / "Zeta" / "Terms of Service" / timestamp_name(FIRST)
    limit = len(PRIVACY_V2.encode())

    def list_then_grow(*args: object, **kwargs: object) -> HistoryListing:
        listing = read_history(*args, **kwargs)
        terms.write_text(PRIVACY_V2 + "More text.\n", "utf-8")
        return listing

    monkeypatch.setattr(history_import, "read_history", list_then_grow)

    report, _ = import_history(store, history, analyzer=None, now=NOW, max_bytes=limit)

    assert report.new_versions == 1
    (error,) = report.errors
    assert f"Zeta/Terms of Service/{timestamp_name(FIRST)}: cannot read" in error
    assert "grown over the import limit" in error


def test_git_symlink_rejected(store: Store, tmp_path: Path) -> None:
    history = write_git_history(
        tmp_path / "repo", "Zeta", "Privacy Policy", [(FIRST, PRIVACY_V1)]
    )
    document = history / "Zeta" / "Privacy Policy.md"
    document.unlink()
    document.symlink_to("/etc/passwd")
    commit_all(history, SECOND, "Replace the policy with a link")

    report, files = import_history(store, history, analyzer=None, now=NOW)

    assert files == 1
    assert report.new_versions == 1
    (error,) = report.errors
    assert ":Zeta/Privacy Policy.md: a symbolic link in the repository" in error
    assert stored_texts(store) == [PRIVACY_V1]


def commit_all(repository: Path, moment: datetime, message: str) -> None:
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    environment = {
        **os.environ,
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    for command in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(
            ["git", "-C", str(repository), *command], check=True, env=environment
        )
