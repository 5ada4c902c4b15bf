"""List the versions recorded in an Open Terms Archive versions history.

Two layouts are read:

- a folder ``<service>/<terms type>/<YYYY-MM-DDTHH-MM-SSZ>.md``, one file per version;
- a git repository in which each commit touching ``<service>/<terms type>.md`` records a
  version at the commit's date.

Listing a history stores nothing. A file that should be a version but cannot be
imported (a name that is not a timestamp, a date in the future, an unknown terms type,
a size over the import limit, a special file, a symbolic link that leads out of the
folder or that a git repository records) is an error. A file or folder outside the
layout (a README, a nested or hidden folder) is listed as skipped. Hidden files
(.DS_Store, .gitignore) are the only files left out without a message.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from clausewatch.declarations import (
    TERMS_TYPES,
    quoted_terms_types,
    suggest_terms_type,
)
from clausewatch.errors import ImportHistoryError
from clausewatch.settings import DOCUMENT_MAX_BYTES
from clausewatch.tracking.version_files import read_version_file, version_file_size

TIMESTAMP_PATTERN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})Z$")
# How far after now a version's date may be. A history written by a machine whose
# clock or time zone is wrong by a few hours is still accepted, while a date days or
# years ahead would become every page's "last verified" date.
FUTURE_TOLERANCE = timedelta(days=1)


@dataclass(frozen=True)
class HistoryFile:
    """One recorded version of one document in a versions history."""

    service: str
    terms_type: str
    captured_at: datetime
    source: str  # a path relative to the history, or "git:<commit>:<path>"
    read: Callable[[], bytes]
    size: int  # in bytes


@dataclass
class HistoryListing:
    """The versions of a history, oldest first per document, and what was left out."""

    files: list[HistoryFile] = field(default_factory=list)
    # Files that look like versions but cannot be imported, and how many they are
    # (one error may name several files).
    errors: list[str] = field(default_factory=list)
    rejected_files: int = 0
    # Files and folders outside the history's layout, which the import ignores.
    skipped: list[str] = field(default_factory=list)

    def reject(self, error: str, files: int = 1) -> None:
        """Record an error that keeps ``files`` files of the history out."""
        self.errors.append(error)
        self.rejected_files += files


def parse_timestamp(stem: str) -> datetime | None:
    match = TIMESTAMP_PATTERN.match(stem)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


def read_history(
    path: Path, *, now: datetime | None = None, max_bytes: int = DOCUMENT_MAX_BYTES
) -> HistoryListing:
    """Detect the layout of a versions history and list its files, oldest first.

    Files dated more than FUTURE_TOLERANCE after ``now`` (default: the current time),
    files larger than ``max_bytes`` and files of an unknown terms type are moved to
    the listing's errors.
    """
    if not path.exists():
        raise ImportHistoryError(
            f"no versions history at {path}: the path does not exist"
        )
    if not path.is_dir():
        raise ImportHistoryError(
            f"{path} is a file; give the folder of a versions history "
            "(<service>/<terms type>/<timestamp>.md) or a git repository"
        )
    listing = HistoryListing()
    if (path / ".git").exists() or (path / "HEAD").is_file():
        read_git_history(path, listing)
    else:
        read_folder_history(path, listing, max_bytes)
    if not listing.files and not listing.errors:
        ignored = f" (ignored: {'; '.join(listing.skipped[:3])})"
        raise ImportHistoryError(
            f"no versions found in {path}: expected <service>/<terms type>/"
            "<timestamp>.md files or a git repository of <service>/<terms type>.md"
            + (ignored if listing.skipped else "")
        )
    listing.files = _importable(listing, now or datetime.now(UTC), max_bytes)
    listing.files.sort(
        key=lambda item: (item.service, item.terms_type, item.captured_at)
    )
    return listing


def read_folder_history(root: Path, listing: HistoryListing, max_bytes: int) -> None:
    """List the versions of a ``<service>/<terms type>/<timestamp>.md`` folder.

    A version file must be a regular file, and a symbolic link must resolve inside
    the folder (see ``version_files``). Each file is read at most ``max_bytes`` + 1
    bytes far, whatever size it reports.
    """
    real_root = Path(os.path.realpath(root))
    entries = _layout_entries(root)
    for relative in entries.files:
        parts = relative.split("/")
        if len(parts) < 3:
            listing.skipped.append(
                f"{relative}: not inside a <service>/<terms type>/ folder; ignored"
            )
            continue
        if not relative.endswith(".md"):
            listing.skipped.append(f"{relative}: not a .md file; ignored")
            continue
        captured_at = parse_timestamp(parts[2][: -len(".md")])
        if captured_at is None:
            listing.reject(
                f"{relative}: file name is not a timestamp like "
                "2026-07-30T12-30-36Z.md; skipped"
            )
            continue
        try:
            size = version_file_size(root / relative, real_root)
        except ImportHistoryError as error:
            listing.reject(
                f"{relative}: {error}; skipped. A version must be a regular file "
                "in the history folder: replace it with a copy of the version."
            )
            continue
        listing.files.append(
            HistoryFile(
                service=parts[0],
                terms_type=parts[1],
                captured_at=captured_at,
                source=relative,
                read=partial(read_version_file, root / relative, real_root, max_bytes),
                size=size,
            )
        )
    listing.skipped.extend(
        f"{folder}/: a folder inside a terms type folder; ignored with its "
        "contents, because versions sit directly in <service>/<terms type>/"
        for folder in entries.nested_folders
    )
    listing.skipped.extend(_hidden_folder_note(folder) for folder in entries.hidden)


@dataclass
class _LayoutEntries:
    """The entries of a folder history down to ``<service>/<terms type>/``.

    Each is a relative path, in sorted order.
    """

    files: list[str] = field(default_factory=list)
    # Folders inside a terms type folder, which are not entered.
    nested_folders: list[str] = field(default_factory=list)
    # Hidden folders (a name starting with a dot), which are not entered.
    hidden: list[str] = field(default_factory=list)


def _layout_entries(root: Path) -> _LayoutEntries:
    """List the files down to ``<service>/<terms type>/`` and the folders left out.

    Folders inside a terms type folder are not entered, which also bounds the walk
    when a symbolic link points back up the tree. Hidden files (.DS_Store) are left
    out without a note, as git and most file browsers do, but hidden folders are
    listed, because a service folder hidden by mistake would otherwise vanish.
    """
    entries = _LayoutEntries()
    # Symbolic links to folders are followed, so a history may be assembled from
    # links to service or document folders kept elsewhere.
    for folder, subfolders, names in os.walk(root, followlinks=True):
        base = Path(folder).relative_to(root)
        entries.hidden.extend(
            (base / name).as_posix() for name in subfolders if name.startswith(".")
        )
        visible = sorted(name for name in subfolders if not name.startswith("."))
        if len(base.parts) >= 2:
            entries.nested_folders.extend((base / name).as_posix() for name in visible)
            visible = []
        subfolders[:] = visible
        entries.files.extend(
            (base / name).as_posix() for name in names if not name.startswith(".")
        )
    entries.files.sort()
    entries.nested_folders.sort()
    entries.hidden.sort()
    return entries


def _hidden_folder_note(folder: str) -> str:
    return (
        f"{folder}/: a hidden folder (its name starts with a dot); ignored with its "
        "contents. Remove the dot to import the versions in it."
    )


def _git(root: Path, *arguments: str, input_data: bytes | None = None) -> bytes:
    try:
        return subprocess.run(
            # Without core.quotePath=false, git prints a non-ASCII service name as
            # an octal-escaped, quoted string.
            ["git", "-C", str(root), "-c", "core.quotePath=false", *arguments],
            check=True,
            capture_output=True,
            input=input_data,
        ).stdout
    except subprocess.CalledProcessError as error:
        message = error.stderr.decode("utf-8", "replace").strip()
        raise ImportHistoryError(f"git failed on {root}: {message}") from error


def read_git_history(root: Path, listing: HistoryListing) -> None:
    """List the versions recorded by the commits of a versions repository.

    Versions are read from the repository's objects, never from the work tree, so a
    symbolic link is a blob that contains the link's target. Such an entry, or a
    submodule, is reported as an error instead of being read as a version.
    """
    log = _git(
        root,
        "log",
        "--reverse",
        "--format=%x00%H %cI",
        "--raw",
        # A renamed file is listed as added under its new name, as without renames.
        "--no-renames",
        # A commit that deletes a document records no version of it.
        "--diff-filter=d",
    ).decode("utf-8", "replace")
    ignored: dict[str, None] = {}
    hidden: dict[str, None] = {}
    entries: list[tuple[str, str, datetime]] = []
    for entry in log.split("\x00")[1:]:
        header, _, changes = entry.partition("\n")
        commit, _, date_text = header.strip().partition(" ")
        captured_at = datetime.fromisoformat(date_text).astimezone(UTC)
        for mode, name in _changed_paths(changes):
            parts = name.split("/")
            hidden_depth = next(
                (depth for depth, part in enumerate(parts) if part.startswith(".")),
                None,
            )
            if hidden_depth is not None:
                # Hidden files (.gitignore) are left out without a note, as in a
                # folder history, and each hidden folder gets one note.
                if hidden_depth < len(parts) - 1:
                    hidden.setdefault("/".join(parts[: hidden_depth + 1]))
                continue
            if len(parts) != 2 or not parts[1].endswith(".md"):
                ignored.setdefault(name)
                continue
            if not mode.startswith("100"):
                listing.reject(
                    f"git:{commit}:{name}: {_git_entry_kind(mode)} in the "
                    "repository, not a regular file; skipped. A version must be "
                    "committed as the text of the document."
                )
                continue
            entries.append((commit, name, captured_at))
    sizes = _blob_sizes(root, [f"{commit}:{name}" for commit, name, _ in entries])
    for (commit, name, captured_at), size in zip(entries, sizes, strict=True):
        service, terms_type = name[: -len(".md")].split("/")
        listing.files.append(
            HistoryFile(
                service=service,
                terms_type=terms_type,
                captured_at=captured_at,
                source=f"git:{commit}:{name}",
                read=_blob_reader(root, commit, name),
                size=size,
            )
        )
    listing.skipped.extend(
        f"{name}: not a <service>/<terms type>.md file; ignored" for name in ignored
    )
    listing.skipped.extend(_hidden_folder_note(folder) for folder in hidden)


def _changed_paths(raw_log: str) -> Iterator[tuple[str, str]]:
    """Yield the new mode and path of each line of ``git log --raw`` output.

    A line reads ``:100644 100644 <old blob> <new blob> M<TAB>path``.
    """
    for line in raw_log.splitlines():
        if not line.startswith(":"):
            continue
        fields, _, name = line.partition("\t")
        yield fields.split()[1], name


def _git_entry_kind(mode: str) -> str:
    if mode == "120000":
        return "a symbolic link"
    if mode == "160000":
        return "a submodule"
    return f"an entry of mode {mode}"


def _blob_reader(root: Path, commit: str, name: str) -> Callable[[], bytes]:
    return lambda: _git(root, "show", f"{commit}:{name}")


def _blob_sizes(root: Path, objects: list[str]) -> list[int]:
    """Return the size in bytes of each ``<commit>:<path>``, asking git once."""
    if not objects:
        return []
    output = _git(
        root,
        "cat-file",
        "--batch-check=%(objectsize)",
        input_data="".join(f"{name}\n" for name in objects).encode("utf-8"),
    )
    return [int(line) for line in output.decode("utf-8").split()]


def _importable(
    listing: HistoryListing, now: datetime, max_bytes: int
) -> list[HistoryFile]:
    """Return the files that can be imported, recording an error for each other."""
    latest_allowed = now + FUTURE_TOLERANCE
    unknown_types: Counter[tuple[str, str]] = Counter()
    accepted: list[HistoryFile] = []
    for item in listing.files:
        if item.terms_type not in TERMS_TYPES:
            unknown_types[(item.service, item.terms_type)] += 1
        elif item.captured_at > latest_allowed:
            listing.reject(
                f"{item.source}: dated {_utc_text(item.captured_at)}, after the "
                f"current time {_utc_text(now)}; skipped. Correct the date in the "
                "file name or commit to the time the version was captured."
            )
        elif item.size > max_bytes:
            listing.reject(
                f"{item.source}: {item.size:,} bytes, over the import limit of "
                f"{max_bytes:,} bytes; skipped. Check the file's content, or raise "
                "CLAUSEWATCH_IMPORT_MAX_BYTES if the document is really that large."
            )
        else:
            accepted.append(item)
    for (service, terms_type), count in sorted(unknown_types.items()):
        listing.reject(_unknown_type_error(service, terms_type, count), count)
    return accepted


def _unknown_type_error(service: str, terms_type: str, count: int) -> str:
    # Rejected rather than imported, as declarations reject it: documents are
    # compared across platforms by terms type, tracking could never continue the
    # document, and a misspelt type would split one document's history in two.
    suggestion = suggest_terms_type(terms_type)
    fix = (
        f'rename it to "{suggestion}"'
        if suggestion
        else "rename it to one of the Open Terms Archive terms types "
        f"({quoted_terms_types()})"
    )
    return (
        f'{service}/{terms_type}: unknown terms type "{terms_type}", '
        f"{_files(count)} skipped; {fix} and import the history again"
    )


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"
