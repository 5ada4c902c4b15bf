"""Count contacts per kind and the contacts each action offers, over an imported corpus.

The latest version of every document in a data directory's SQLite database is read,
its contacts are extracted with the base URL of its declaration, and they are merged
per platform as ``refresh_contacts`` merges them. Every action of every clause type is
then resolved against every platform's contacts. An attachment is one contact offered
for one action of one clause type.

    python benchmarks/bench_action_contacts.py DATA_DIR --json OUT.json
    python benchmarks/bench_action_contacts.py --compare BEFORE.json AFTER.json

Run the first form once with ``PYTHONPATH`` set to the ``src`` folder of an earlier
commit and once with this working tree's, then compare the two files. The comparison
prints the counts, every attachment that disappears or appears, grouped by contact, and
every action whose contacts in both runs come in another order.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

_LATEST_VERSIONS = """
    select d.platform_id, p.name, d.declaration, v.markdown
    from documents d
    join platforms p on p.id = d.platform_id
    join versions v on v.document_id = d.id
    where v.number = (select max(number) from versions where document_id = d.id)
    order by d.platform_id, d.id
"""


def measure(data_dir: Path) -> dict[str, Any]:
    """Return the contacts and attachments of every platform in ``data_dir``."""
    from clausewatch.analysis import Contact, extract_contacts, resolve_actions
    from clausewatch.taxonomy import default_taxonomy

    connection = sqlite3.connect(data_dir / "clausewatch.db")
    platforms: dict[str, tuple[str, dict[tuple[str, str], tuple[Contact, int]]]] = {}
    for platform_id, name, declaration, markdown in connection.execute(
        _LATEST_VERSIONS
    ):
        pages = (json.loads(declaration) if declaration else {}).get("pages") or [{}]
        found = platforms.setdefault(platform_id, (name, {}))[1]
        contacts = extract_contacts(markdown, base_url=pages[0].get("url"))
        for rank, contact in enumerate(contacts):
            key = (contact.kind, contact.value)
            if key not in found or rank < found[key][1]:
                found[key] = (contact, rank)

    contacts_out: list[list[str]] = []
    attachments: list[list[str]] = []
    for platform_id, (name, found) in sorted(platforms.items()):
        ranked = [contact for contact, _ in sorted(found.values(), key=lambda f: f[1])]
        contacts_out.extend([platform_id, c.kind, c.value, c.context] for c in ranked)
        for clause_type in default_taxonomy().clause_types.values():
            for action in resolve_actions(clause_type, ranked, platform=name):
                attachments.extend(
                    [platform_id, clause_type.id, action.label, c.kind, c.value]
                    for c in action.contacts
                )
    return {"contacts": contacts_out, "attachments": attachments}


def compare(before: dict[str, Any], after: dict[str, Any]) -> None:
    """Print the counts of both runs and the attachments that changed."""
    for name, run in (("before", before), ("after", after)):
        kinds = Counter(kind for _, kind, _, _ in run["contacts"])
        print(f"{name}: {len(run['contacts'])} contacts {dict(sorted(kinds.items()))}")
        print(f"{name}: {len(run['attachments'])} attachments")

    old = {tuple(item) for item in before["attachments"]}
    new = {tuple(item) for item in after["attachments"]}
    for sign, changed in (("-", old - new), ("+", new - old)):
        by_contact: defaultdict[tuple[str, str, str], list[str]] = defaultdict(list)
        for platform_id, clause_type_id, label, kind, value in changed:
            by_contact[(platform_id, kind, value)].append(f"{clause_type_id}: {label}")
        print(f"\n{sign} {len(changed)} attachments")
        for (platform_id, kind, value), actions in sorted(by_contact.items()):
            print(f"{sign} {platform_id} {kind} {value}")
            for action in sorted(actions):
                print(f"      {action}")
    print_reordered(before["attachments"], after["attachments"])


def print_reordered(before: list[list[str]], after: list[list[str]]) -> None:
    """Print the actions whose contacts in both runs changed their order.

    Attachments are listed in the order an action offers its contacts, so the order
    of one action's rows is the order on the page.
    """
    orders: list[defaultdict[tuple[str, str, str], list[str]]] = []
    for run in (before, after):
        order: defaultdict[tuple[str, str, str], list[str]] = defaultdict(list)
        for platform_id, clause_type_id, label, kind, value in run:
            order[(platform_id, clause_type_id, label)].append(f"{kind} {value}")
        orders.append(order)
    old, new = orders
    reordered = []
    for key in sorted(old.keys() & new.keys()):
        shared = set(old[key]) & set(new[key])
        old_order = [item for item in old[key] if item in shared]
        new_order = [item for item in new[key] if item in shared]
        if old_order != new_order:
            reordered.append((key, old_order, new_order))
    print(f"\n~ {len(reordered)} actions reordered")
    for (platform_id, clause_type_id, label), old_order, new_order in reordered:
        print(f"~ {platform_id} {clause_type_id}: {label}")
        print(f"      before: {' | '.join(old_order)}")
        print(f"      after:  {' | '.join(new_order)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, help="imported data dir")
    parser.add_argument("--json", type=Path, help="file to write the measurement to")
    parser.add_argument(
        "--compare",
        nargs=2,
        type=Path,
        metavar=("BEFORE", "AFTER"),
        help="compare two measurement files instead of measuring",
    )
    args = parser.parse_args()

    if args.compare:
        before, after = (json.loads(path.read_text()) for path in args.compare)
        compare(before, after)
        return
    if args.data_dir is None or args.json is None:
        parser.error("give DATA_DIR and --json OUT, or --compare BEFORE AFTER")
    result = measure(args.data_dir)
    args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(
        f"{len(result['contacts'])} contacts, {len(result['attachments'])} "
        f"attachments, written to {args.json}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
