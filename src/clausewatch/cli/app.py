"""The clausewatch command and its global options."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clausewatch.cli import (
    analysis_commands,
    change_commands,
    export_commands,
    record_commands,
    tracking_commands,
)
from clausewatch.cli.context import AppState, configure_logging

app = typer.Typer(
    name="clausewatch",
    help="Track platforms' privacy policies and terms of service, clause by clause.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main_options(
    context: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            envvar="CLAUSEWATCH_DATA_DIR",
            help="Folder of the database, snapshots and models "
            "(default: the per-user data directory).",
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            envvar="CLAUSEWATCH_DATABASE_URL",
            help="SQLAlchemy database URL "
            "(default: a SQLite file in the data directory).",
        ),
    ] = None,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose", "-v", count=True, help="Log more: -v for INFO, -vv for DEBUG."
        ),
    ] = 0,
) -> None:
    configure_logging(verbose)
    context.obj = AppState(
        overrides={"data_dir": data_dir, "database_url": database_url}
    )


tracking_commands.register(app)
record_commands.register(app)
analysis_commands.register(app)
change_commands.register(app)
export_commands.register(app)


def main() -> None:
    app()
