"""Commands of the classifier: train, eval, classify."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Register analysis commands (filled in as the classifier lands)."""
