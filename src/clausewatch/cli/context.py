"""Shared command context: settings, the store, output helpers and error handling."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from clausewatch.db.store import Store
from clausewatch.errors import ClausewatchError
from clausewatch.figures.records import to_jsonable
from clausewatch.settings import Settings

console = Console()
error_console = Console(stderr=True)


@dataclass
class AppState:
    overrides: dict[str, Any] = field(default_factory=dict)
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from clausewatch.settings import load_settings

            self._settings = load_settings(**self.overrides)
        return self._settings


def state_of(context: typer.Context) -> AppState:
    state = context.find_root().obj
    assert isinstance(state, AppState)
    return state


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn a ClausewatchError into a message on stderr and its exit code."""
    try:
        yield
    except ClausewatchError as error:
        error_console.print(
            f"[bold red]error:[/] {escape(str(error))}", highlight=False
        )
        raise typer.Exit(error.exit_code) from error


@contextmanager
def open_store(context: typer.Context, *, create: bool = False) -> Iterator[Store]:
    """Open the configured store for one command.

    Only commands that write (init, track, import) pass ``create``. The others stop
    with exit status 2 where no database exists, so that a mistyped data directory
    gives an error instead of the figures of an empty install.
    """
    with reported_errors():
        store = Store.open(state_of(context).settings, create=create)
        try:
            yield store
        finally:
            store.close()


def print_json(value: Any) -> None:
    """Write JSON to stdout without Rich markup or wrapping, for scripts."""
    typer.echo(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False))


def configure_logging(verbose: int) -> None:
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("clausewatch").setLevel(level)
