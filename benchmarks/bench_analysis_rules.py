"""Apply the stance and severity rules to every label of an imported corpus.

Each label stored in a data directory's SQLite database is assessed again with the
rules of the ``clausewatch`` package found on ``PYTHONPATH``. The script computes the
stance and severity of every current provision's labels. It also computes the stance
of every distinct text of every version for the clause types that have a stance. The
labels stay as the import stored them, so two runs differ only by the rules.

    python benchmarks/bench_analysis_rules.py DATA_DIR --json OUT.json
    python benchmarks/bench_analysis_rules.py --compare BEFORE.json AFTER.json \
        [--sample 40] [--seed 1]

Run the first form once with ``PYTHONPATH`` set to the ``src`` folder of an earlier
commit and once with this working tree's. The comparison prints the Critical labels
per clause type and the moves between severity levels. It also prints the platforms
that affirm or only deny each practice with a stance ("N of M"), the number of stances
that changed, and a random sample of the changed texts with both stances, for judging
by hand.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
from collections import Counter
from pathlib import Path
from typing import Any

_CURRENT = """
    select p.record_id, c.clause_type_id, c.platform_id, t.text
    from current_clauses c
    join provisions p on p.id = c.provision_id
    join provision_texts t on t.id = c.provision_text_id
    order by p.record_id, c.clause_type_id
"""
_ALL_VERSIONS = """
    select distinct t.text_sha256, a.clause_type_id, t.text
    from analyses a
    join provision_texts t on t.id = a.provision_text_id
"""
_PLATFORMS_WITH_VERSIONS = """
    select count(distinct d.platform_id)
    from documents d
    where exists (select 1 from versions v where v.document_id = d.id)
"""


def measure(data_dir: Path) -> dict[str, Any]:
    """Return stance and severity of every current label, and every text's stance."""
    from clausewatch.analysis import assess_severity, detect_stance, stance_aware
    from clausewatch.taxonomy import default_taxonomy

    clause_types = default_taxonomy().clause_types
    connection = sqlite3.connect(
        f"file:{data_dir / 'clausewatch.db'}?mode=ro", uri=True
    )
    current = []
    for record_id, clause_type_id, platform_id, text in connection.execute(_CURRENT):
        stance = detect_stance(clause_type_id, text)
        severity = assess_severity(clause_types[clause_type_id], text, stance=stance)
        current.append(
            [record_id, clause_type_id, platform_id, stance, severity.level.value]
        )
    texts = {}
    for digest, clause_type_id, text in connection.execute(_ALL_VERSIONS):
        if stance_aware(clause_type_id):
            texts[f"{digest} {clause_type_id}"] = [
                detect_stance(clause_type_id, text),
                text,
            ]
    (platforms,) = connection.execute(_PLATFORMS_WITH_VERSIONS).fetchone()
    return {"platforms": platforms, "current": current, "texts": texts}


def compare(
    before: dict[str, Any], after: dict[str, Any], *, sample: int, seed: int
) -> None:
    """Print what changed between two measurements."""
    _print_criticals(before, after)
    _print_severity_moves(before, after)
    _print_prevalence(before, after)
    _print_stance_changes(before, after, sample=sample, seed=seed)


def _print_criticals(before: dict[str, Any], after: dict[str, Any]) -> None:
    counts = [
        Counter(row[1] for row in run["current"] if row[4] == "Critical")
        for run in (before, after)
    ]
    print(f"Critical labels: {sum(counts[0].values())} -> {sum(counts[1].values())}")
    for clause_type_id in sorted(counts[0].keys() | counts[1].keys()):
        print(
            f"  {clause_type_id}: {counts[0][clause_type_id]} -> "
            f"{counts[1][clause_type_id]}"
        )


def _print_severity_moves(before: dict[str, Any], after: dict[str, Any]) -> None:
    old = {(row[0], row[1]): row[4] for row in before["current"]}
    moves = Counter(
        (row[1], old[(row[0], row[1])], row[4])
        for row in after["current"]
        if (row[0], row[1]) in old and old[(row[0], row[1])] != row[4]
    )
    print(f"\nSeverity changed on {sum(moves.values())} current labels")
    for (clause_type_id, level_before, level_after), count in sorted(moves.items()):
        print(f"  {clause_type_id}: {level_before} -> {level_after}: {count}")


def _prevalence(run: dict[str, Any], clause_type_id: str) -> tuple[set[str], set[str]]:
    rows = [row for row in run["current"] if row[1] == clause_type_id]
    affirming = {row[2] for row in rows if row[3] == "affirms"}
    denying = {row[2] for row in rows if row[3] == "denies"} - affirming
    return affirming, denying


def _print_prevalence(before: dict[str, Any], after: dict[str, Any]) -> None:
    stance_types = sorted({key.split(" ")[1] for key in after["texts"]})
    print("\nN of M platforms (D: platforms that only deny)")
    for clause_type_id in stance_types:
        (old, old_denying), (new, new_denying) = (
            _prevalence(run, clause_type_id) for run in (before, after)
        )
        if (old, old_denying) == (new, new_denying):
            continue
        print(
            f"  {clause_type_id}: {len(old)} of {before['platforms']} "
            f"(D {len(old_denying)}) -> {len(new)} of {after['platforms']} "
            f"(D {len(new_denying)}); no longer counted: "
            f"{', '.join(sorted(old - new)) or '-'}; newly counted: "
            f"{', '.join(sorted(new - old)) or '-'}"
        )


def _print_stance_changes(
    before: dict[str, Any], after: dict[str, Any], *, sample: int, seed: int
) -> None:
    old_current = {(row[0], row[1]): row[3] for row in before["current"]}
    current_changes = Counter(
        (row[1], old_current[(row[0], row[1])], row[3])
        for row in after["current"]
        if (row[0], row[1]) in old_current and old_current[(row[0], row[1])] != row[3]
    )
    print(f"\nStance changed on {sum(current_changes.values())} current labels")
    for (clause_type_id, old, new), count in sorted(current_changes.items()):
        print(f"  {clause_type_id}: {old} -> {new}: {count}")

    changed = sorted(
        key
        for key, (stance, _) in after["texts"].items()
        if key in before["texts"] and before["texts"][key][0] != stance
    )
    by_type = Counter(
        (key.split(" ")[1], before["texts"][key][0], after["texts"][key][0])
        for key in changed
    )
    print(f"\nStance changed on {len(changed)} distinct texts of all versions")
    for (clause_type_id, old, new), count in sorted(by_type.items()):
        print(f"  {clause_type_id}: {old} -> {new}: {count}")
    chosen = random.Random(seed).sample(changed, min(sample, len(changed)))
    print(f"\nSample of {len(chosen)} changed texts (seed {seed})")
    for number, key in enumerate(sorted(chosen), start=1):
        digest, clause_type_id = key.split(" ")
        old, new = before["texts"][key][0], after["texts"][key][0]
        text = " ".join(after["texts"][key][1].split())
        print(f"\n{number}. {clause_type_id} {digest[:12]}: {old} -> {new}\n{text}")


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
    parser.add_argument(
        "--sample", type=int, default=40, help="changed texts to print (default 40)"
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="seed of the sample (default 1)"
    )
    args = parser.parse_args()

    if args.compare:
        before, after = (json.loads(path.read_text()) for path in args.compare)
        compare(before, after, sample=args.sample, seed=args.seed)
        return
    if args.data_dir is None or args.json is None:
        parser.error("give DATA_DIR and --json OUT, or --compare BEFORE AFTER")
    result = measure(args.data_dir)
    args.json.write_text(json.dumps(result), encoding="utf-8")
    print(
        f"{len(result['current'])} current labels, {len(result['texts'])} distinct "
        f"texts of types with a stance, written to {args.json}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
