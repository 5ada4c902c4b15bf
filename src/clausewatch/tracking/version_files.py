"""Check and read the version files of a folder history without leaving the folder.

A folder history is often downloaded from someone else, so its files are not
trusted. A version file that is a symbolic link to a local file (``/etc/passwd``)
would be published as a platform's provisions. A FIFO, or a device such as
``/dev/zero`` (directly or through a link), reports a size of 0 bytes and then
blocks the import or reads without end. So a version file must be a regular file,
and a version file that is a symbolic link must resolve inside the history folder.
Folders reached through symbolic links are still followed, so a history may be
assembled from links to service or document folders kept elsewhere.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from clausewatch.errors import ImportHistoryError

# O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer.
# O_NOFOLLOW fails on a symbolic link put in place after the file was checked.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def version_file_size(path: Path, history_root: Path) -> int:
    """Return the size in bytes of a version file of the history.

    Raises ImportHistoryError saying why the file cannot be read as a version.
    ``history_root`` is the history folder with its symbolic links resolved.
    """
    try:
        info = os.stat(_link_target(path, history_root))
    except OSError as error:
        raise ImportHistoryError(
            f"cannot read the file ({error.strerror or error})"
        ) from error
    if not stat.S_ISREG(info.st_mode):
        raise ImportHistoryError(f"{_file_kind(info.st_mode)}, not a regular file")
    return info.st_size


def read_version_file(path: Path, history_root: Path, max_bytes: int) -> bytes:
    """Read a version file, at most ``max_bytes`` of it.

    The checks of ``version_file_size`` are made again on the open file, because
    the file may have been replaced since the history was listed. A file larger
    than ``max_bytes`` raises ImportHistoryError, whatever size it reported before.
    """
    target = _link_target(path, history_root)
    if not stat.S_ISREG(os.stat(target).st_mode):
        raise ImportHistoryError(f"{target} is no longer a regular file")
    descriptor = os.open(target, _OPEN_FLAGS)
    with os.fdopen(descriptor, "rb") as stream:
        mode = os.fstat(stream.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise ImportHistoryError(f"{_file_kind(mode)}, not a regular file")
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImportHistoryError(
            f"the file has grown over the import limit of {max_bytes:,} bytes "
            "since the history was listed"
        )
    return data


def _link_target(path: Path, history_root: Path) -> str:
    """Return the path to open: the file, or where its symbolic link resolves."""
    if not path.is_symlink():
        return str(path)
    target = os.path.realpath(path)
    if not Path(target).is_relative_to(history_root):
        raise ImportHistoryError(
            f"a symbolic link to {target}, outside the history folder {history_root}"
        )
    return target


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a special file"
