"""The export command: current provisions or changes as CSV or JSON Lines."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from clausewatch.cli.context import error_console, open_store, reported_errors
from clausewatch.errors import ClausewatchError
from clausewatch.exports import export_chunks


class ExportKind(StrEnum):
    PROVISIONS = "provisions"
    CHANGES = "changes"


class ExportFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


class OutputPathError(ClausewatchError):
    """The export's output file cannot be created at the requested path."""

    exit_code = 2


class OutputWriteError(ClausewatchError):
    """Writing the export failed part way, for example on a full disk."""


def export(
    context: typer.Context,
    kind: Annotated[
        ExportKind,
        typer.Argument(help="provisions (current ones) or changes (every one)."),
    ],
    format_name: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="csv (with a header row) or jsonl."),
    ] = ExportFormat.CSV,
    platform: Annotated[
        str | None, typer.Option("--platform", "-p", help="Only this platform id.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write, replaced only once the export is complete "
            "(default: standard output).",
        ),
    ] = None,
) -> None:
    """Export current provisions or documented changes in bulk, UTF-8 encoded."""
    with open_store(context) as store, reported_errors():
        if output is not None:
            _check_output(output)
        chunks = export_chunks(
            store.session, kind.value, format_name.value, platform_id=platform
        )
        if output is None:
            _write_stdout(chunks)
            return
        _write_file(output, chunks)
    error_console.print(
        f"wrote {kind.value} to {output}", highlight=False, markup=False, soft_wrap=True
    )


def _check_output(output: Path) -> None:
    if output.is_dir():
        raise OutputPathError(
            f"cannot write the export to {output}: it is a folder; give a file path"
        )
    folder = output.parent
    if not folder.is_dir():
        raise OutputPathError(
            f"cannot write the export to {output}: folder {folder} does not exist; "
            "create it or choose another path"
        )
    if not os.access(folder, os.W_OK) or (
        output.exists() and not os.access(output, os.W_OK)
    ):
        raise OutputPathError(
            f"cannot write the export to {output}: permission denied; choose a "
            "writable path, or leave out --output to write to standard output"
        )


def _write_stdout(chunks: Iterable[str]) -> None:
    # Bytes, so the export is UTF-8 whatever the terminal's locale.
    stream = sys.stdout.buffer
    try:
        for chunk in chunks:
            stream.write(chunk.encode("utf-8"))
        stream.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`). Click exits with status 1 and no
        # message for that, as for any command whose output pipe closes.
        raise
    except OSError as error:
        raise OutputWriteError(
            f"writing the export to standard output failed: {error.strerror}; "
            "write it to a file with --output instead"
        ) from error


def _write_file(output: Path, chunks: Iterable[str]) -> None:
    # Written next to the target and renamed at the end, so a failed or interrupted
    # export never leaves a partial file under the requested name.
    try:
        handle = tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            newline="",
            dir=output.parent,
            prefix=f".{output.name}.",
            suffix=".partial",
            delete=False,
        )
    except OSError as error:
        raise OutputPathError(
            f"cannot write the export to {output}: {error.strerror}; choose a "
            "writable path, or leave out --output to write to standard output"
        ) from error
    partial = Path(handle.name)
    try:
        with handle:
            for chunk in chunks:
                handle.write(chunk)
        os.replace(partial, output)
    except OSError as error:
        raise OutputWriteError(
            f"writing the export to {output} failed: {error.strerror}; nothing was "
            "written under that name, free some space or choose another path"
        ) from error
    finally:
        partial.unlink(missing_ok=True)


def register(app: typer.Typer) -> None:
    app.command()(export)
