"""Command-line interface (Typer and Rich)."""

from clausewatch.cli.app import app, main

__all__ = ["app", "main"]
