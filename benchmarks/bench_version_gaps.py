"""Measure how long documents go between versions, and which are stale.

Prints, for a data directory, the percentiles of the time between consecutive versions
of a document and the share of versions that followed the previous one within a number
of days. It then lists the documents and platforms that are stale, with no capture
within two years of the latest capture in the store, by the rule of the prevalence
figures:

    python benchmarks/bench_version_gaps.py DATA_DIR [--json]

These figures chose the two-year window of stale documents and the six months that a
provision needs before its stability reads Stable (docs/methodology-figures.md).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

PERCENTILES = (50, 75, 90, 95, 99)
WITHIN_DAYS = (30, 91, 182, 365, 730)


def measure(data_dir: Path) -> dict[str, Any]:
    """Return the gaps between versions and the stale documents of a store."""
    from sqlalchemy import select

    from clausewatch.db.models import Document, Version
    from clausewatch.db.store import Store
    from clausewatch.figures import STALE_AFTER_DAYS, staleness
    from clausewatch.settings import Settings

    store = Store.open(Settings(data_dir=data_dir), create=False)
    try:
        with store.session() as session:
            captures: dict[int, list[Any]] = defaultdict(list)
            for document_id, captured_at in session.execute(
                select(Version.document_id, Version.captured_at).order_by(
                    Version.document_id, Version.number
                )
            ):
                captures[document_id].append(captured_at)
            found = staleness(session)
            names = {
                document.id: f"{document.platform_id}/{document.terms_type}"
                for document in session.scalars(select(Document))
            }
    finally:
        store.close()

    gaps = sorted(
        (later - earlier).total_seconds() / 86400
        for times in captures.values()
        for earlier, later in zip(times, times[1:], strict=False)
    )
    return {
        "documents": len(captures),
        "gaps": len(gaps),
        "percentile_days": {
            str(share): round(gaps[min(len(gaps) - 1, len(gaps) * share // 100)], 1)
            for share in PERCENTILES
        }
        if gaps
        else {},
        "share_within_days": {
            str(days): round(sum(gap <= days for gap in gaps) / len(gaps), 3)
            for days in WITHIN_DAYS
        }
        if gaps
        else {},
        "stale_after_days": STALE_AFTER_DAYS,
        "reference": found.reference.isoformat() if found.reference else None,
        "stale_documents": sorted(
            f"{names[document_id]} (last verified "
            f"{found.last_verified[document_id]:%Y-%m-%d})"
            for document_id in found.stale_documents
        ),
        "stale_platforms": sorted(found.stale_platforms),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--json", action="store_true", help="Print JSON.")
    arguments = parser.parse_args()
    result = measure(arguments.data_dir)
    if arguments.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['gaps']} gaps between versions of {result['documents']} documents")
    for share, days in result["percentile_days"].items():
        print(f"  {share}th percentile: {days} days")
    for days, share in result["share_within_days"].items():
        print(f"  within {days} days: {share:.1%}")
    print(
        f"stale after {result['stale_after_days']} days before the latest capture, "
        f"{result['reference']}:"
    )
    for line in result["stale_documents"]:
        print(f"  {line}")
    print(f"platforms left out of prevalence: {', '.join(result['stale_platforms'])}")


if __name__ == "__main__":
    main()
