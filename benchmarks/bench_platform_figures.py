"""Count the platforms, versions and prevalence figures of a data directory.

Prints the store's row counts, the versions of each document and, for each clause
type, "N of M platforms" with its rarity label, as the figures module computes them.
The comparison shows what changes between two data directories, such as the same
history imported by two versions of the code:

    python benchmarks/bench_platform_figures.py DATA_DIR --json OUT.json
    python benchmarks/bench_platform_figures.py --compare BEFORE.json AFTER.json

Run the first form with ``PYTHONPATH`` set to the ``src`` folder of each version.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def measure(data_dir: Path) -> dict[str, Any]:
    """Return the counts, document versions and prevalence figures of a store."""
    from sqlalchemy import func, select

    from clausewatch.db.models import Document, Platform, Version
    from clausewatch.db.store import Store
    from clausewatch.figures import prevalence_of_all
    from clausewatch.settings import Settings

    store = Store.open(Settings(data_dir=data_dir), create=False)
    try:
        with store.session() as session:
            platforms = sorted(session.scalars(select(Platform.id)))
            documents = session.execute(
                select(
                    Document.platform_id, Document.terms_type, func.count(Version.id)
                )
                .join(Version, Version.document_id == Document.id)
                .group_by(Document.id)
            ).all()
            prevalence = prevalence_of_all(session)
        counts = store.counts().to_dict()
    finally:
        store.close()
    return {
        "counts": counts,
        "platforms": platforms,
        "versions": {
            f"{platform}/{terms_type}": count
            for platform, terms_type, count in sorted(documents)
        },
        "prevalence": {
            item.clause_type_id: [
                item.platforms_with,
                item.platforms_total,
                item.rarity,
            ]
            for item in sorted(prevalence, key=lambda item: item.clause_type_id)
        },
    }


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Return a line for each count, document and figure that differs."""
    lines: list[str] = []
    for name, value in before["counts"].items():
        lines.append(f"{name}: {value} -> {after['counts'].get(name)}")
    for platform in sorted(set(before["platforms"]) ^ set(after["platforms"])):
        state = "removed" if platform in before["platforms"] else "added"
        lines.append(f"platform {platform}: {state}")
    for key in sorted(set(before["versions"]) | set(after["versions"])):
        old, new = before["versions"].get(key), after["versions"].get(key)
        if old != new:
            lines.append(f"versions of {key}: {old} -> {new}")
    changed_n = relabelled = 0
    for clause_type in sorted(set(before["prevalence"]) | set(after["prevalence"])):
        old, new = (
            before["prevalence"].get(clause_type),
            after["prevalence"].get(clause_type),
        )
        if old == new:
            continue
        lines.append(f"{clause_type}: {_figure(old)} -> {_figure(new)}")
        changed_n += bool(old and new and old[0] != new[0])
        relabelled += bool(old and new and old[2] != new[2])
    lines.append(f"clause types whose N changed: {changed_n}")
    lines.append(f"clause types whose rarity label changed: {relabelled}")
    return lines


def _figure(value: list[Any] | None) -> str:
    if value is None:
        return "absent"
    return f"{value[0]} of {value[1]} ({value[2]})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path)
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    parser.add_argument(
        "--compare",
        nargs=2,
        type=Path,
        metavar=("BEFORE", "AFTER"),
        help="Compare two JSON files that earlier runs wrote.",
    )
    arguments = parser.parse_args()
    if arguments.compare:
        before, after = (json.loads(path.read_text()) for path in arguments.compare)
        print("\n".join(compare(before, after)))
        return 0
    if arguments.data_dir is None:
        parser.error("give a DATA_DIR or --compare BEFORE AFTER")
    figures = measure(arguments.data_dir)
    if arguments.json:
        arguments.json.write_text(json.dumps(figures, indent=1), "utf-8")
    print(json.dumps(figures["counts"]))
    print(f"{len(figures['platforms'])} platforms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
