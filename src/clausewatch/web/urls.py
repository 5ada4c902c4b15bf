"""Paths of every page, export and feed, built in one place so links never drift."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote, urlencode


def segment(value: str) -> str:
    """Quote one path segment: record IDs may contain ``*``, ``~``, ``$`` or ``=``."""
    return quote(value, safe="")


def platform_path(platform_id: str) -> str:
    return f"/platforms/{segment(platform_id)}"


def platform_report_path(platform_id: str) -> str:
    return f"/platforms/{segment(platform_id)}/report.pdf"


def document_path(record_id: str) -> str:
    return f"/documents/{segment(record_id)}"


def version_path(record_id: str, number: int) -> str:
    return f"/documents/{segment(record_id)}/versions/{number}"


def diff_path(record_id: str, old: int, new: int, view: str = "side") -> str:
    query = urlencode({"from": old, "to": new, "view": view})
    return f"/documents/{segment(record_id)}/diff?{query}"


def provision_path(record_id: str) -> str:
    return f"/provisions/{segment(record_id)}"


def provision_pdf_path(record_id: str) -> str:
    return f"/provisions/{segment(record_id)}.pdf"


def citation_path(record_id: str, extension: str) -> str:
    return f"/provisions/{segment(record_id)}/cite.{extension}"


def clause_type_path(clause_type_id: str) -> str:
    return f"/clause-types/{segment(clause_type_id)}"


def changes_path(**filters: str) -> str:
    present = {key: value for key, value in filters.items() if value}
    return "/changes" + (f"?{urlencode(present)}" if present else "")


def documented_changes_path(platform_id: str = "", since: date | None = None) -> str:
    """Return the changes list that shows exactly what a "documented changes" figure
    counts: material provision changes, captured on or after ``since``."""
    return changes_path(
        platform=platform_id,
        documented="true",
        since=since.isoformat() if since else "",
    )


def feed_path(kind: str | None = None, key: str | None = None) -> str:
    """Return the path of the Atom feed of all changes, or of one platform, document or
    clause type."""
    if kind is None or key is None:
        return "/feeds/changes.atom"
    return f"/feeds/{kind}/{segment(key)}.atom"


def wayback_url(url: str, captured_at_stamp: str) -> str:
    """Return the Wayback Machine link nearest a ``YYYYMMDDhhmmss`` capture time."""
    return f"https://web.archive.org/web/{captured_at_stamp}/{url}"
