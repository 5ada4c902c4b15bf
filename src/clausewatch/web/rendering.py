"""Jinja2 templates: an autoescaping environment with the filters pages share."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from clausewatch.diff import WordDiff
from clausewatch.figures.changes import ChangeItem
from clausewatch.figures.numbering import version_ranges
from clausewatch.figures.stability import MIN_STABLE_MONTHS
from clausewatch.figures.staleness import STALE_AFTER_DAYS
from clausewatch.web import urls
from clausewatch.web.agencies import takes_complaints
from clausewatch.web.plain_text import policy_plain
from clausewatch.web.policy_markdown import policy_html

TEMPLATE_DIR = Path(__file__).parent / "templates"


def format_time(value: datetime | None) -> str:
    """Format a timestamp as ``2026-01-21 23:30 UTC``; "never" for None."""
    if value is None:
        return "never"
    return value.strftime("%Y-%m-%d %H:%M UTC")


def format_day(value: date | datetime | None) -> str:
    if value is None:
        return "unknown"
    return value.strftime("%Y-%m-%d")


def format_age(value: datetime | None, now: datetime | None = None) -> str:
    """Say how long ago a time was, in its largest whole unit: "6 years ago"."""
    if value is None:
        return "never"
    days = ((now or datetime.now(UTC)) - value).days
    if days < 1:
        return "today"
    for unit_days, unit in ((365, "year"), (30, "month"), (1, "day")):
        if days >= unit_days:
            return f"{plural(days // unit_days, unit)} ago"
    return "today"


def format_iso(value: date | datetime | None) -> str:
    return "" if value is None else value.isoformat()


def severity_class(severity: str | None) -> str:
    """CSS class of a severity badge (``sev-high``); ``sev-none`` when unrated."""
    return f"sev-{severity.lower()}" if severity else "sev-none"


def stance_label(stance: str | None) -> str:
    """Return the words that describe a stance towards the clause type's practice."""
    if stance == "denies":
        return "States it does not do this"
    return "States or allows this"


def stored_word_diff(change: ChangeItem) -> WordDiff | None:
    """Rebuild the word-level diff stored with a modified provision's change, if any."""
    ops = change.summary.get("word_diff")
    if not ops:
        return None
    return WordDiff(tuple((str(op), str(text)) for op, text in ops))


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Return "1 platform" or "3 platforms"."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def build_templates() -> Jinja2Templates:
    """Create the template environment; autoescaping is on for every template."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        when=format_time,
        day=format_day,
        age=format_age,
        iso=format_iso,
        severity_class=severity_class,
        stance_label=stance_label,
        plural=plural,
        version_ranges=version_ranges,
        segment=urls.segment,
        word_diff=stored_word_diff,
        policy_html=policy_html,
        policy_plain=policy_plain,
    )
    environment.tests["takes_complaints"] = takes_complaints
    environment.globals["urls"] = urls
    environment.globals["stale_after_years"] = STALE_AFTER_DAYS // 365
    environment.globals["min_stable_months"] = MIN_STABLE_MONTHS
    return Jinja2Templates(env=environment)


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render a page template with the shared values every page needs."""
    templates: Jinja2Templates = request.app.state.web.templates
    values = {"settings": request.app.state.web.settings, **context}
    response = templates.TemplateResponse(
        request, name, values, status_code=status_code, headers=dict(headers or {})
    )
    assert isinstance(response, HTMLResponse)
    return response


def render_error_page(
    request: Request,
    status: int,
    message: str,
    *,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    return render(
        request,
        "error.html",
        {"status": status, "message": message},
        status_code=status,
        headers=headers,
    )
