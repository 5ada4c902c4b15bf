"""Commands that show changes: diff (between two versions) and changes (the feed)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text
from sqlalchemy.orm import Session

from clausewatch.cli.context import console, open_store, print_json, reported_errors
from clausewatch.db.models import Document
from clausewatch.diff import ProvisionChange, WordDiff
from clausewatch.errors import ClausewatchError
from clausewatch.figures import (
    ChangeFilter,
    ChangeItem,
    VersionDiff,
    check_filter_records,
    list_changes,
    records,
    version_diff,
)
from clausewatch.figures.diff_record import require_two_versions, version_diff_record

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
MaterialOption = Annotated[
    bool,
    typer.Option(
        "--material-only",
        help="Leave out cosmetic changes (whitespace, list markers, dates alone).",
    ),
]
# Equal runs longer than this many characters are shortened around the edits.
CONTEXT_CHARS = 80


class InvalidDateError(ClausewatchError):
    """A date given on the command line is not an ISO 8601 date."""

    exit_code = 2


def diff(
    context: typer.Context,
    document: Annotated[
        str,
        typer.Argument(
            help='Document record ID (D-00001Y) or "platform:Terms type" '
            "(openai:Privacy Policy)."
        ),
    ],
    from_number: Annotated[
        int | None,
        typer.Argument(
            metavar="[FROM]", help="Older version number (default: the one before TO)."
        ),
    ] = None,
    to_number: Annotated[
        int | None,
        typer.Argument(metavar="[TO]", help="Newer version number (default: latest)."),
    ] = None,
    material_only: MaterialOption = False,
    json_output: JsonOption = False,
) -> None:
    """Show what changed in a document between two versions, provision by provision."""
    with open_store(context) as store, reported_errors(), store.session() as session:
        found = resolve_document(session, document)
        result = version_diff(session, found, from_number, to_number)
        require_two_versions(result)
        record = version_diff_record(session, result, material_only=material_only)
    changes = [
        change for change in result.changes if change.material or not material_only
    ]
    if json_output:
        print_json(record)
        return
    _print_diff(result, changes)


def resolve_document(session: Session, reference: str) -> Document:
    """Find a document by record ID or by "platform:Terms type"."""
    platform_id, separator, terms_type = reference.partition(":")
    if separator:
        return records.find_document(session, platform_id.strip(), terms_type.strip())
    return records.get_document_by_record(session, reference)


def _print_diff(result: VersionDiff, changes: list[ProvisionChange]) -> None:
    heading = Text.assemble(
        (f"{result.platform_id} {result.terms_type}", "bold"),
        f" ({result.document_record_id}): version {result.from_number} "
        f"({result.from_captured_at:%Y-%m-%d}) to {result.to_number} "
        f"({result.to_captured_at:%Y-%m-%d})",
    )
    console.print(heading, highlight=False)
    console.print(result.sentence, markup=False, highlight=False)
    if not changes:
        console.print(
            "No provision changed." if not result.changes else "Only cosmetic changes."
        )
        return
    for change in changes:
        label = change.kind.value + ("" if change.material else ", cosmetic")
        console.print()
        console.print(
            Text.assemble(
                (f"{change.key} ", "bold"),
                (f"[{label}] ", "cyan"),
                change.summary.sentence,
            )
        )
        console.print(_change_body(change))


def _change_body(change: ProvisionChange) -> Text:
    if change.word_diff is not None:
        return render_word_diff(change.word_diff)
    state = change.after if change.after is not None else change.before
    style = {"added": "green", "removed": "red strike"}.get(change.kind.value, "dim")
    return Text(_shorten(state.text if state else "", 400), style=style)


def render_word_diff(word_diff: WordDiff, context_chars: int = CONTEXT_CHARS) -> Text:
    """Render a word diff with wdiff markers: [-deleted-] in red, {+inserted+} green.

    The markers keep the diff readable where colours are lost (pipes, files, logs).
    """
    text = Text()
    last = len(word_diff.ops) - 1
    for index, (op, piece) in enumerate(word_diff.ops):
        if op == "insert":
            text.append(f"{{+{piece}+}}", style="bold green")
        elif op == "delete":
            text.append(f"[-{piece}-]", style="red strike")
        else:
            text.append(
                _elide(piece, context_chars, first=index == 0, last=index == last)
            )
    return text


def _elide(piece: str, context_chars: int, *, first: bool, last: bool) -> str:
    if len(piece) <= 2 * context_chars:
        return piece
    head = "" if first else piece[:context_chars]
    tail = "" if last else piece[-context_chars:]
    return f"{head}…{tail}"


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def changes(
    context: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(help="Only changes captured on or after this date (YYYY-MM-DD)."),
    ] = None,
    platform: Annotated[
        str | None, typer.Option("--platform", "-p", help="Only this platform id.")
    ] = None,
    document: Annotated[
        str | None, typer.Option(help="Only this document record ID.")
    ] = None,
    clause_type: Annotated[
        str | None,
        typer.Option(help="Only changes of provisions of this clause type id."),
    ] = None,
    min_severity: Annotated[
        str | None,
        typer.Option(help="Only changes at or above Low, Medium, High or Critical."),
    ] = None,
    material_only: MaterialOption = False,
    limit: Annotated[
        int, typer.Option(min=1, max=500, help="Number of changes shown.")
    ] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Changes skipped first.")] = 0,
    json_output: JsonOption = False,
) -> None:
    """List documented changes, newest first."""
    with open_store(context) as store, reported_errors(), store.session() as session:
        filters = ChangeFilter(
            platform_id=platform,
            document_record_id=document,
            clause_type_id=clause_type,
            min_severity=min_severity.capitalize() if min_severity else None,
            material_only=material_only,
            since=parse_since(since),
        )
        check_filter_records(session, filters)
        page = list_changes(session, filters, limit=limit, offset=offset)
    if json_output:
        print_json(page)
        return
    _print_changes(list(page.items), page.total, offset)


def parse_since(value: str | None) -> datetime | None:
    """Turn YYYY-MM-DD (or a full ISO timestamp) into a UTC datetime."""
    if value is None:
        return None
    try:
        if "T" in value:
            parsed = datetime.fromisoformat(value)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        return datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
    except ValueError as error:
        raise InvalidDateError(
            f"invalid date {value!r} for --since: use YYYY-MM-DD, e.g. 2026-01-31"
        ) from error


def _print_changes(items: list[ChangeItem], total: int, offset: int) -> None:
    table = Table()
    table.add_column("captured", no_wrap=True)
    table.add_column("document", max_width=24)
    table.add_column("kind", no_wrap=True)
    table.add_column("record", no_wrap=True)
    table.add_column("change", ratio=1)
    for item in items:
        kind = item.kind if item.material else f"{item.kind} (cosmetic)"
        table.add_row(
            f"{item.occurred_at:%Y-%m-%d}",
            f"{item.platform_name} {item.terms_type} v{item.version_number}",
            kind,
            item.provision_record_id or item.document_record_id,
            item.sentence,
        )
    console.print(table, markup=False)
    console.print(
        f"{offset + 1 if items else 0}-{offset + len(items)} of "
        f"{total} change{'' if total == 1 else 's'}",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.command()(diff)
    app.command()(changes)
