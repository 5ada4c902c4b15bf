"""Commands that read stored data: stats, platforms, show, serve."""

from __future__ import annotations

import re
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from clausewatch.cli.context import (
    console,
    error_console,
    open_store,
    print_json,
    reported_errors,
    state_of,
)
from clausewatch.cli.tracking_commands import counted
from clausewatch.db.record_ids import WIDTH
from clausewatch.errors import quote_value
from clausewatch.figures import records
from clausewatch.figures.numbering import version_ranges
from clausewatch.figures.provision_page import ProvisionPage, provision_page
from clausewatch.figures.staleness import STALE_AFTER_DAYS

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
_RECORD_ID_SHAPE = re.compile(rf"([PpDd])-[0-9A-Za-z]{{{WIDTH + 1}}}")


def stats(context: typer.Context, json_output: JsonOption = False) -> None:
    """Count stored data and show figures: prevalent clause types, recent changes."""
    from clausewatch.figures import stats_figures

    with open_store(context) as store, store.session() as session:
        counts = store.counts().to_dict()
        figures = stats_figures(session)
    if json_output:
        print_json({**counts, "figures": figures})
        return
    table = Table("what", "count", title="clausewatch data")
    for name, value in counts.items():
        table.add_row(name.replace("_", " "), str(value))
    console.print(table)
    console.print(
        f"{counted(figures.tracked_platforms, 'platform')} tracked, "
        f"{figures.counted_platforms} of them with a document captured within "
        f"{STALE_AFTER_DAYS // 365} years of the latest capture (prevalence counts "
        f"these); {figures.classified_provisions} of "
        f"{counted(figures.current_provisions, 'current provision')} classified; "
        f"{counted(figures.documented_changes, 'documented change')} on "
        f"{counted(figures.platforms_changed, 'platform')} in the last "
        f"{figures.days} days ({counted(figures.new_versions, 'new version')}).",
        highlight=False,
    )
    prevalent = Table(
        "clause type", "platforms", "rarity", title="Most prevalent clause types"
    )
    for item in figures.most_prevalent:
        prevalent.add_row(item.clause_type_id, item.phrase, item.rarity)
    console.print(prevalent)


def platforms(context: typer.Context, json_output: JsonOption = False) -> None:
    """List the tracked platforms: id, name, documents and when last verified."""
    with open_store(context) as store, store.session() as session:
        found = records.list_platforms(session)
    if json_output:
        print_json({"platforms": found})
        return
    if not found:
        console.print(
            "No platform is tracked yet; run clausewatch import or clausewatch track."
        )
        return
    table = Table("id", "name", "documents", "last verified", title="Tracked platforms")
    for item in found:
        documents = str(item.documents)
        if item.failing_documents:
            documents += f" ({item.failing_documents} failing)"
        # Text, not str, so that brackets in a stored name are not read as markup.
        table.add_row(
            Text(item.id),
            Text(item.name),
            documents,
            f"{item.last_verified_at:%Y-%m-%d %H:%M} UTC"
            if item.last_verified_at
            else "never",
        )
    console.print(table, highlight=False)


def show(
    context: typer.Context,
    platform: Annotated[
        str,
        typer.Argument(
            help="Platform id, e.g. openai, a document record ID, e.g. D-00001Y, "
            "or a provision record ID, e.g. P-00012V."
        ),
    ],
    document: Annotated[
        str | None,
        typer.Argument(help='Terms type ("Privacy Policy") or document record ID.'),
    ] = None,
    version: Annotated[
        int | None, typer.Option(help="Version number (default: the latest).")
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Show a platform's documents, a document's provisions, or one provision.

    For a provision: its types, explanation, actions, regulations and agencies.
    """
    kind = _record_kind(platform)
    _check_show_arguments(platform, document, kind, version)
    with open_store(context) as store, reported_errors(), store.session() as session:
        if kind == "P":
            page = provision_page(session, platform)
            if json_output:
                print_json(page)
                return
            _print_provision(page)
            return
        if kind == "D":
            found_document = records.get_document_by_record(session, platform)
        elif document is None:
            found = records.get_platform(session, platform)
            documents = records.list_documents(session, platform)
            if json_output:
                print_json(
                    {
                        "platform": {"id": found.id, "name": found.name},
                        "documents": documents,
                    }
                )
                return
            _print_documents(found.name, documents)
            return
        else:
            found_document = records.find_document(session, platform, document)
        summary = records.summarize_document(session, found_document)
        versions = records.list_versions(session, found_document)
        provisions = (
            records.list_provisions(
                session, records.get_version(session, found_document, version)
            )
            if versions
            else []
        )
        if json_output:
            print_json(
                {"document": summary, "versions": versions, "provisions": provisions}
            )
            return
        _print_document(summary, versions, provisions)


def _check_show_arguments(
    platform: str, document: str | None, kind: str | None, version: int | None
) -> None:
    """Raise a usage error for arguments that `show` cannot honour.

    These are a blank first argument, a second argument after a record ID (a record
    ID names its document or provision alone) and a version with a provision record
    ID (a provision's record always shows its latest text).
    """
    if not platform.strip():
        raise typer.BadParameter(
            "it is empty; give a platform id such as openai, a document record ID "
            "such as D-00001Y or a provision record ID such as P-00012V",
            param_hint="PLATFORM",
        )
    if kind == "P" and version is not None:
        raise typer.BadParameter(
            f"{platform.strip()} is a provision record ID, whose record shows its "
            "latest text and lists the versions that hold it; to see the provisions "
            f"of version {version}, run clausewatch show on its document record ID "
            f"with --version {version}",
            param_hint="--version",
        )
    if kind is None or document is None:
        return
    kind_name = "provision" if kind == "P" else "document"
    raise typer.BadParameter(
        f"{platform.strip()} is a {kind_name} record ID, which takes no second "
        f"argument, but {quote_value(document)} was given; run clausewatch show "
        f"{platform.strip()}",
        param_hint="DOCUMENT",
    )


def _record_kind(value: str) -> str | None:
    """Return "P" or "D" when ``value`` has the shape of a record ID, else None.

    The shape is checked, not the check character, so that a mistyped record ID is
    reported as an unknown record instead of an unknown platform.
    """
    found = _RECORD_ID_SHAPE.fullmatch(value.strip())
    return found.group(1).upper() if found else None


def _print_provision(page: ProvisionPage) -> None:
    record = page.record
    console.print(
        f"[bold]{escape(record.platform_name)} {escape(record.terms_type)}[/], "
        f"provision {record.number} ({record.record_id}, document "
        f"{record.document_record_id}, versions "
        f"{version_ranges(record.version_numbers)}"
        f"{'' if record.is_current else ', removed'})",
        highlight=False,
    )
    if record.heading_path:
        _plain(" > ".join(record.heading_path))
    _plain(record.text)
    if not record.labels:
        console.print("\nNo clause type: not classified, or the classifier abstained.")
        return

    labels = Table("clause type", "confidence", "severity", "stance", "source")
    for label in record.labels:
        labels.add_row(
            label.clause_type_id,
            f"{label.confidence:.2f}",
            label.severity,
            label.stance,
            label.source,
        )
    console.print(labels)
    _print_reading(page)


def _print_reading(page: ProvisionPage) -> None:
    """Print the severity reason, explanation, actions, regulations and agencies."""
    sections: list[tuple[str, list[str]]] = []
    if page.severity_reason:
        sections.append(("Severity", [page.severity_reason]))
    if page.explanation:
        sections += [
            ("What it is", [page.explanation.what_it_is]),
            ("Why it matters", [page.explanation.why_it_matters]),
            ("What it means for you", [page.explanation.consumer_impact]),
        ]
    actions = []
    for action in page.actions:
        contacts = ", ".join(contact.value for contact in action.contacts)
        actions.append(f"- {action.label}" + (f": {contacts}" if contacts else ""))
        actions.append(f"  {action.caveat}")
    sections.append(("What you can do", actions))
    sections.append(("Regulations", _regulation_lines(page)))
    sections.append(
        (
            "Agencies",
            [
                f"- {item.name} ({item.jurisdiction}): {item.complaint_url}"
                for item in page.agencies
            ],
        )
    )
    for title, lines in sections:
        if lines:
            console.print(f"\n[bold]{title}[/]")
            for line in lines:
                _plain(line)


def _regulation_lines(page: ProvisionPage) -> list[str]:
    """List each regulation with the articles the taxonomy names for the type."""
    articles = {
        bearing.regulation_id: bearing.articles for bearing in page.institutional
    }
    lines = []
    for regulation in page.regulations:
        lines.append(
            f"- {regulation.name} ({regulation.jurisdiction}): {regulation.url}"
        )
        named = articles.get(regulation.id, ())
        if not named:
            lines.append(
                "  No single article named: the regulation applies as a whole."
            )
        for article in named:
            lines.append(f"  {article.ref} {article.title}: {article.relevance}")
    return lines


def _plain(text: str) -> None:
    """Print stored text as it is: no Rich markup and no highlighting."""
    console.print(text, markup=False, highlight=False)


def _print_documents(name: str, documents: list[records.DocumentSummary]) -> None:
    table = Table(
        "record",
        "document",
        "versions",
        "provisions",
        "last verified",
        "last error",
        title=name,
    )
    for item in documents:
        table.add_row(
            item.record_id,
            item.terms_type,
            str(item.versions),
            str(item.current_provisions),
            item.last_verified_at.strftime("%Y-%m-%d %H:%M")
            if item.last_verified_at
            else "never",
            item.last_error or "",
        )
    console.print(table)


def _print_document(
    summary: records.DocumentSummary,
    versions: list[records.VersionSummary],
    provisions: list[records.ProvisionSummary],
) -> None:
    console.print(
        f"[bold]{summary.platform_name} {summary.terms_type}[/] ({summary.record_id})"
    )
    if summary.last_error:
        console.print(
            f"[red]last error:[/] {escape(summary.last_error)}", highlight=False
        )
    table = Table(
        "version", "captured", "stated date", "provisions", "snapshot SHA-256"
    )
    for item in versions:
        label = str(item.number)
        if item.reverts_to_number:
            label += f" (reverts to {item.reverts_to_number})"
        table.add_row(
            label,
            item.captured_at.strftime("%Y-%m-%d %H:%M"),
            item.stated_date.isoformat() if item.stated_date else "",
            str(item.provisions),
            ", ".join(sha[:12] for sha in item.snapshot_sha256s),
        )
    console.print(table)
    provision_table = Table(
        "record", "#", "heading", "text", "clause types (severity)", "versions"
    )
    for provision in provisions:
        text = (
            provision.text
            if len(provision.text) <= 160
            else provision.text[:157] + "..."
        )
        labels = "\n".join(
            f"{label.clause_type_id} ({label.severity}, {label.confidence:.2f}"
            f"{', denies' if label.stance == 'denies' else ''})"
            for label in provision.labels
        )
        provision_table.add_row(
            provision.record_id,
            str(provision.number),
            " > ".join(provision.heading_path)[-60:],
            text,
            labels,
            f"{provision.first_version}-{provision.last_version}",
        )
    console.print(provision_table, markup=False)


# Addresses that listen on every interface. A reader cannot open them, so links name
# the loopback address instead.
_WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})


def listening_base_url(host: str, port: int) -> str:
    """Return the URL a reader on this machine opens to reach ``host:port``."""
    if host in _WILDCARD_HOSTS:
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def serve(
    context: typer.Context,
    host: Annotated[
        str,
        typer.Option(
            help="Address to listen on. With 0.0.0.0 or ::, which listen on every "
            "interface, links name 127.0.0.1 instead."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the web UI and the JSON API.

    Permanent links, feeds and citations use the base_url setting when it is set
    (CLAUSEWATCH_BASE_URL or clausewatch.toml), or else the address served on.
    """
    import socket

    import uvicorn

    from clausewatch.web import create_app

    with reported_errors():
        settings = state_of(context).settings
        if "base_url" not in settings.model_fields_set:
            settings = settings.model_copy(
                update={"base_url": listening_base_url(host, port)}
            )
        web_app = create_app(settings)
    # Bind before handing over to uvicorn, so a busy port or a bad address gives one
    # clear message instead of a server log line after "Serving ...".
    try:
        listener = socket.create_server((host, port))
    except OSError as error:
        error_console.print(
            f"[bold red]error:[/] cannot listen on {escape(host)}:{port}: "
            f"{escape(error.strerror or str(error))}; choose another --port or --host",
            highlight=False,
        )
        raise typer.Exit(2) from error
    console.print(f"Serving clausewatch on http://{host}:{port}/ (Ctrl+C to stop)")
    server = uvicorn.Server(uvicorn.Config(web_app, log_level="warning"))
    server.run(sockets=[listener])


def register(app: typer.Typer) -> None:
    app.command()(stats)
    app.command()(platforms)
    app.command()(show)
    app.command()(serve)
