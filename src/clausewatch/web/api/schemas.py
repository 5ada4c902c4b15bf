"""Response models of the JSON API that the figures' dataclasses do not already give."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from clausewatch.figures.activity import RecentActivity
from clausewatch.figures.records import DocumentSummary, PlatformSummary

Item = TypeVar("Item")

#: Largest page of any list; bigger pages go through bulk export instead.
MAX_LIMIT = 500
DEFAULT_LIMIT = 50
#: Largest offset or number accepted in a URL; SQLite integers stop at 2**63 - 1.
MAX_INTEGER = 1_000_000_000


class Page(BaseModel, Generic[Item]):
    """One page of a list: its items, the total over all pages, and its offset."""

    items: list[Item]
    total: int = Field(description="Number of items matching, over all pages.")
    limit: int = Field(description="Largest number of items in one page.")
    offset: int = Field(description="Number of items skipped before this page.")


def page_of(items: Sequence[Any], *, limit: int, offset: int) -> Page[Any]:
    """Slice a complete list into one page."""
    return Page(
        items=list(items[offset : offset + limit]),
        total=len(items),
        limit=limit,
        offset=offset,
    )


class PlatformDetail(BaseModel):
    """A platform with its documents and the figures its page shows."""

    platform: PlatformSummary
    documents: list[DocumentSummary]
    recent_activity: RecentActivity = Field(
        description="Documented changes of the platform in the last 30 days."
    )
    provisions_by_severity: dict[str, int] = Field(
        description=(
            "Current classified provisions counted under their highest severity, "
            "highest first."
        )
    )
