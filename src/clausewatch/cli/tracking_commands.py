"""Commands that change stored data: init, track, import, verify."""

from __future__ import annotations

import asyncio
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from clausewatch.cli.context import (
    console,
    error_console,
    open_store,
    print_json,
    reported_errors,
    state_of,
)
from clausewatch.errors import DeclarationError, NotFoundError

if TYPE_CHECKING:
    from clausewatch.db.snapshot_origins import SnapshotOrigin
    from clausewatch.tracking.analyze import Analyzer
    from clausewatch.tracking.track import DocumentJob

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
NO_ANALYSIS_HELP = (
    "Classify new provisions as they are stored (the default), or with "
    "--no-analyze store them unclassified, which is faster; run classify later."
)


def _progress() -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=error_console,
        transient=True,
    )


def _analyzer(context: typer.Context, enabled: bool) -> Analyzer | None:
    if not enabled:
        return None
    from clausewatch.tracking.analyzer_factory import build_analyzer

    return build_analyzer(state_of(context).settings)


def init(context: typer.Context, json_output: JsonOption = False) -> None:
    """Create the data directory and the database (safe to run again)."""
    with open_store(context, create=True) as store:
        settings = state_of(context).settings
        info = {
            "data_dir": str(settings.data_dir),
            "database_url": store.engine.url.render_as_string(hide_password=True),
            "blob_dir": str(settings.blob_dir),
        }
    if json_output:
        print_json(info)
    else:
        console.print(
            f"Ready: database {info['database_url']}, data in {info['data_dir']}"
        )


def track(
    context: typer.Context,
    platform: Annotated[
        list[str] | None,
        typer.Option("--platform", "-p", help="Only this platform id (repeatable)."),
    ] = None,
    catalog: Annotated[
        Path | None,
        typer.Option(
            help="Folder or file of declarations (default: the bundled catalog)."
        ),
    ] = None,
    analyze: Annotated[
        bool, typer.Option("--analyze/--no-analyze", help=NO_ANALYSIS_HELP)
    ] = True,
    json_output: JsonOption = False,
) -> None:
    """Fetch declared documents and record new versions and provisions."""
    from clausewatch.declarations import bundled_catalog_dir, load_declarations
    from clausewatch.tracking.extraction_pool import ExtractionPool
    from clausewatch.tracking.track import track as run_track

    with reported_errors():
        # Invalid declarations are reported and skipped; the valid ones are tracked.
        declared = load_declarations(catalog or bundled_catalog_dir())
        for problem in declared.errors:
            error_console.print(
                f"[red]invalid declaration:[/] {escape(str(problem))}", highlight=False
            )
        platforms = list(declared.platforms)
        if not platforms and not declared.errors:
            raise DeclarationError(
                f"no declarations found in {catalog or 'the bundled catalog'}: give "
                "a folder of platform YAML or JSON files, or one such file"
            )
        if platform:
            wanted = set(platform)
            unknown = wanted - {item.id for item in platforms}
            if unknown:
                raise NotFoundError(
                    f"no declaration for platform {', '.join(sorted(unknown))} in "
                    f"{catalog or 'the bundled catalog'}"
                )
            platforms = [item for item in platforms if item.id in wanted]
    settings = state_of(context).settings
    # The extraction workers are forked before the progress display and the
    # classifier start threads in this process.
    with (
        ExtractionPool(settings.extraction_processes) as pool,
        open_store(context, create=True) as store,
        _progress() as progress,
    ):
        analyzer = _analyzer(context, analyze)
        total = sum(len(item.documents) for item in platforms)
        task = progress.add_task("Tracking", total=total)

        def advance(job: DocumentJob, status: str) -> None:
            progress.advance(task)

        with reported_errors():
            report = asyncio.run(
                run_track(
                    store,
                    settings,
                    platforms,
                    analyzer=analyzer,
                    on_document=advance,
                    pool=pool,
                )
            )
    if json_output:
        print_json(
            {
                **report.to_dict(),
                "invalid_declarations": [str(problem) for problem in declared.errors],
            }
        )
    else:
        console.print(
            f"Tracked {counted(report.documents, 'document')} in "
            f"{report.seconds:.1f} s: {counted(report.new_versions, 'new version')}, "
            f"{report.unchanged} unchanged, {report.suspect} suspect, "
            f"{len(report.failed)} failed."
        )
        for line in report.suspect_captures:
            error_console.print(f"[yellow]note:[/] {escape(line)}", highlight=False)
        for failure in report.failed:
            error_console.print(f"[red]failed:[/] {escape(failure)}", highlight=False)
    if report.failed or declared.errors:
        raise typer.Exit(1)


def import_history(
    context: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="Versions history: folder or git repository.")
    ],
    analyze: Annotated[
        bool, typer.Option("--analyze/--no-analyze", help=NO_ANALYSIS_HELP)
    ] = True,
    json_output: JsonOption = False,
) -> None:
    """Import an Open Terms Archive versions history with its real dates.

    Importing a history again adds only new versions, and writes back the blob of
    an imported file that is missing or altered. Files larger than the setting
    import_max_bytes (20 MiB by default) are skipped.
    """
    from clausewatch.tracking.extraction_pool import ExtractionPool
    from clausewatch.tracking.history_files import read_history
    from clausewatch.tracking.history_import import import_history as run_import

    settings = state_of(context).settings
    with reported_errors():
        files = read_history(path, max_bytes=settings.import_max_bytes).files
    # As in track, the workers are forked before this process starts threads.
    with (
        ExtractionPool(settings.extraction_processes) as pool,
        open_store(context, create=True) as store,
        _progress() as progress,
    ):
        analyzer = _analyzer(context, analyze)
        task = progress.add_task("Importing", total=len(files))
        with reported_errors():
            report, _ = run_import(
                store,
                path,
                analyzer=analyzer,
                on_file=lambda _: progress.advance(task),
                pool=pool,
                max_bytes=settings.import_max_bytes,
            )
    if json_output:
        print_json(report.to_dict())
    else:
        console.print(
            f"Imported {counted(report.files, 'file')} of "
            f"{counted(report.documents, 'document')} in {report.seconds:.1f} s: "
            f"{counted(report.new_versions, 'new version')} "
            f"({counted(report.reversions, 'reversion')}), "
            f"{report.unchanged} unchanged, "
            f"{report.already_imported} already imported "
            f"({len(report.repaired)} repaired), {len(report.suspect)} suspect; "
            f"{counted(report.files_skipped, 'file')} skipped."
        )
        notes = (
            report.joined
            + report.out_of_order
            + report.other_source
            + report.suspect
            + report.repaired
        )
        for line in notes + report.skipped:
            error_console.print(f"[yellow]note:[/] {escape(line)}", highlight=False)
        for line in report.errors:
            error_console.print(f"[red]error:[/] {escape(line)}", highlight=False)
    if report.errors:
        raise typer.Exit(1)


def verify(context: typer.Context, json_output: JsonOption = False) -> None:
    """Re-hash every stored snapshot and exit 1 if any is missing or altered."""
    from clausewatch.db.snapshot_origins import snapshot_origins

    with open_store(context) as store:
        hashes = store.snapshot_hashes()
        problems = []
        with _progress() as progress:
            task = progress.add_task("Verifying", total=len(hashes))
            for _, problem in store.blobs.verify(hashes):
                progress.advance(task)
                if problem is not None:
                    problems.append(problem)
        origins = snapshot_origins(store, [item.sha256 for item in problems])
    if json_output:
        print_json(
            {
                "checked": len(hashes),
                "problems": [
                    {
                        "sha256": item.sha256,
                        "problem": item.problem,
                        "path": str(item.path),
                        "actual_sha256": item.actual_sha256,
                        "origins": origins.get(item.sha256, []),
                        "repair": repair_advice(origins.get(item.sha256, [])),
                    }
                    for item in problems
                ],
            }
        )
    else:
        for problem in problems:
            error_console.print(
                f"[red]{escape(problem.describe())}[/]\n  "
                f"{escape(repair_advice(origins.get(problem.sha256, [])))}",
                highlight=False,
            )
        console.print(
            f"Checked {counted(len(hashes), 'snapshot blob')} (each distinct SHA-256 "
            f"once): {counted(len(problems), 'problem')}."
        )
        if problems:
            error_console.print(
                "A blob restored from a backup of the blobs folder is checked "
                "against the SHA-256 that the database still records for it."
            )
    if problems:
        raise typer.Exit(1)


def repair_advice(origins: Sequence[SnapshotOrigin]) -> str:
    """Say how a missing or altered blob of snapshots with these origins comes back."""
    imported = [origin for origin in origins if origin.origin == "import"]
    # Any history that contains the bytes writes them back, and the history
    # recorded with the snapshot is certain to contain them.
    imported.sort(key=lambda origin: not origin.history_recorded)
    if imported:
        return _import_advice(imported[0])
    documents = ", ".join(
        dict.fromkeys(f"{item.platform_id} {item.terms_type}" for item in origins)
    )
    return (
        f"Fetched snapshot of {documents or 'an unknown document'}: clausewatch "
        "track writes the blob back only if the page still serves these exact "
        "bytes; otherwise restore the blobs folder from a backup."
    )


def _import_advice(origin: SnapshotOrigin) -> str:
    document = f"{origin.platform_id} {origin.terms_type}"
    if origin.file:
        document += f", file {origin.file}"
    if origin.history and origin.history_recorded:
        return (
            f"Imported snapshot of {document}: run clausewatch import "
            f"{shlex.quote(origin.history)} to write the blob back from that file."
        )
    if origin.history:
        return (
            f"Imported snapshot of {document}: run clausewatch import "
            f"{shlex.quote(origin.history)} (the history this document was last "
            "imported from) to write the blob back. If verify still reports the "
            "blob, import the history that contains this file."
        )
    return (
        f"Imported snapshot of {document}: run clausewatch import with the history "
        "that contains this file to write the blob back."
    )


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(track)
    app.command("import")(import_history)
    app.command()(verify)


def counted(number: int, noun: str) -> str:
    """Return "1 document" or "2 documents": the number with its noun."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
