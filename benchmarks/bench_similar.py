"""Show what the similar-provisions figure returns on the real corpus, for judging.

    python benchmarks/bench_similar.py [--data-dir DIR] [--history PATH]
        [--texts] [--unjudged-only] [--pending FILE]
        [--sample N] [--seed 1] [--coverage N] [--json]

The script trains the classifier on the labelled data sets beside the repository (as
the test does, when they are present), imports HISTORY (default: the Open Terms
Archive corpus beside the repository, the folder the tests read) with it, stores
sentence vectors, and runs the current ``similar_provisions`` for every source in
tests/data/similar_checks/judgements.jsonl. For each source it prints the candidates
with their verdict, or "unjudged" for a pair without a judgement, and the top-three
precision with unjudged candidates counted as wrong. A --data-dir that already holds
a store is reused, which saves training, import and embedding (several minutes in
all); give a new folder after the classifier changes.

--texts prints both texts of every pair, read from the store at run time, so a person
can judge new candidates. Texts go to the terminal only. --pending writes the
unjudged pairs as judgement lines with an empty verdict (names and hashes, no text):
fill in "same" or "different", set held_out, and append them to the judgements file.

--sample N runs N new sources instead: current provisions whose most confident clause
type has a confidence of at least 0.6, taken round-robin over clause types in a
seeded random order and never one already judged. --coverage N reports how many of N
random such provisions get a comparison at all.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import textwrap
import time
from collections import defaultdict
from pathlib import Path

from measurements import REPOSITORY, cpu_seconds, shared_data_path

sys.path.insert(0, str(REPOSITORY))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from tests.similar_checks import (  # noqa: E402
    JUDGEMENTS,
    SourceResult,
    TextRef,
    compare_sources,
    corpus_folders,
    import_classified_corpus,
    judged_sources,
    load_judgements,
    summarize,
    text_ref,
    unjudged,
    verdict_index,
)

from clausewatch.db.models import CurrentClause, Provision, ProvisionText  # noqa: E402
from clausewatch.db.store import Store  # noqa: E402
from clausewatch.figures.similar import CONFIDENT_LABEL  # noqa: E402
from clausewatch.settings import Settings  # noqa: E402


def open_store(data_dir: Path, history: Path, labels: Path | None) -> Store:
    """Reuse the store in ``data_dir``, or train, import and embed into it first."""
    if (data_dir / "clausewatch.db").exists():
        return Store.open(Settings(data_dir=data_dir))
    started = time.perf_counter()
    store = import_classified_corpus(history, data_dir, labels)
    print(f"imported and embedded {history} in {time.perf_counter() - started:.0f} s")
    return store


def confident_sources(session: Session, folders: dict[str, str]) -> list[TextRef]:
    """Return every current provision whose main clause type is confident.

    A provision's main clause type is its most confident one, as the figure uses.
    """
    best = (
        select(
            CurrentClause.provision_id,
            func.max(CurrentClause.confidence).label("confidence"),
        )
        .group_by(CurrentClause.provision_id)
        .subquery()
    )
    rows = session.execute(
        select(CurrentClause.provision_id, CurrentClause.clause_type_id)
        .join(
            best,
            (best.c.provision_id == CurrentClause.provision_id)
            & (best.c.confidence == CurrentClause.confidence),
        )
        .where(CurrentClause.confidence >= CONFIDENT_LABEL)
        .order_by(CurrentClause.provision_id, CurrentClause.clause_type_id)
    ).all()
    chosen: dict[int, str] = {}
    for provision_id, clause_type_id in rows:
        chosen.setdefault(provision_id, clause_type_id)
    records = dict(
        session.execute(
            select(Provision.id, Provision.record_id).where(
                Provision.id.in_(list(chosen))
            )
        ).all()
    )
    return [
        text_ref(session, records[provision_id], folders) for provision_id in chosen
    ]


def main_types(session: Session, refs: list[TextRef]) -> dict[str, str]:
    """Map each text hash to its most confident clause type."""
    rows = session.execute(
        select(ProvisionText.text_sha256, CurrentClause.clause_type_id)
        .join(CurrentClause, CurrentClause.provision_text_id == ProvisionText.id)
        .where(ProvisionText.text_sha256.in_([ref.sha256 for ref in refs]))
        .order_by(CurrentClause.confidence.desc(), CurrentClause.clause_type_id)
    ).all()
    found: dict[str, str] = {}
    for digest, clause_type_id in rows:
        found.setdefault(digest, clause_type_id)
    return found


def sample_new_sources(
    session: Session,
    folders: dict[str, str],
    exclude: set[str],
    count: int,
    seed: int,
) -> list[TextRef]:
    """Pick new confident sources round-robin over clause types."""
    candidates = [
        ref for ref in confident_sources(session, folders) if ref.sha256 not in exclude
    ]
    types = main_types(session, candidates)
    by_type: dict[str, list[TextRef]] = defaultdict(list)
    for ref in candidates:
        by_type[types[ref.sha256]].append(ref)
    generator = random.Random(seed)
    for refs in by_type.values():
        generator.shuffle(refs)
    order = sorted(by_type)
    generator.shuffle(order)
    picked: list[TextRef] = []
    seen: set[str] = set()
    while len(picked) < count and any(by_type.values()):
        for clause_type in order:
            while by_type[clause_type]:
                ref = by_type[clause_type].pop()
                if ref.sha256 not in seen:
                    seen.add(ref.sha256)
                    picked.append(ref)
                    break
            if len(picked) == count:
                break
    return picked


def print_text(session: Session, ref: TextRef) -> None:
    text = session.scalar(
        select(ProvisionText.text).where(ProvisionText.text_sha256 == ref.sha256)
    )
    for line in textwrap.wrap(" ".join(str(text).split()), 100):
        print(f"        | {line}")


def print_results(
    session: Session,
    results: list[SourceResult],
    *,
    texts: bool,
    unjudged_only: bool,
) -> None:
    types = main_types(session, [result.source for result in results])
    for number, result in enumerate(results, start=1):
        if unjudged_only and all(shown.verdict for shown in result.candidates):
            continue
        source = result.source
        print(
            f"\n[{number}] {source.service} / {source.terms_type} "
            f"#{source.position} ({types.get(source.sha256, 'no clause type')})"
        )
        if result.record_id is None:
            print("    source text not found in the store")
            continue
        if texts:
            print_text(session, source)
        if not result.candidates:
            print("    no comparison shown")
        for rank, shown in enumerate(result.candidates, start=1):
            provision = shown.provision
            print(
                f"  {rank}. {shown.verdict or 'UNJUDGED'}: {shown.text.service} / "
                f"{shown.text.terms_type} #{shown.text.position} "
                f"similarity {provision.similarity:.3f} "
                f"confidence {provision.confidence:.2f}"
            )
            if texts:
                print_text(session, shown.text)


def coverage(
    session: Session, folders: dict[str, str], count: int, seed: int
) -> tuple[int, int]:
    """Return how many of ``count`` random confident provisions get a comparison."""
    sources = confident_sources(session, folders)
    random.Random(seed).shuffle(sources)
    sample = sources[:count]
    results = compare_sources(session, sample, {}, folders)
    return sum(1 for result in results if result.candidates), len(sample)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, help="store to reuse or create")
    parser.add_argument("--history", type=Path, help="versions history to import")
    parser.add_argument("--judgements", type=Path, default=JUDGEMENTS)
    parser.add_argument("--texts", action="store_true", help="print both texts")
    parser.add_argument(
        "--unjudged-only",
        action="store_true",
        help="list only sources with an unjudged candidate",
    )
    parser.add_argument("--pending", type=Path, help="write unjudged pairs here")
    parser.add_argument("--sample", type=int, help="judge N new sources instead")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--coverage", type=int, help="sources to check coverage on")
    parser.add_argument("--json", action="store_true", help="print figures as JSON")
    arguments = parser.parse_args()

    history = arguments.history or shared_data_path("corpus", "ota")
    if history is None:
        parser.error("corpus not found; give --history PATH")
    data_dir = arguments.data_dir or Path(tempfile.mkdtemp(prefix="bench-similar-"))
    store = open_store(data_dir, history, shared_data_path("labels"))
    judgements = load_judgements(arguments.judgements)
    verdicts = verdict_index(judgements)
    folders = corpus_folders(history)
    figures: dict[str, object] = {"load_average": os.getloadavg()[0]}
    with store.session() as session:
        if arguments.sample:
            exclude = {ref.sha256 for ref in judged_sources(judgements)}
            sources = sample_new_sources(
                session, folders, exclude, arguments.sample, arguments.seed
            )
        else:
            sources = judged_sources(judgements)
        started = cpu_seconds()
        results = compare_sources(session, sources, verdicts, folders)
        figures["cpu_seconds_per_source"] = (cpu_seconds() - started) / len(sources)
        if not arguments.json:
            print_results(
                session,
                results,
                texts=arguments.texts,
                unjudged_only=arguments.unjudged_only,
            )
        summary = summarize(results)
        figures.update(
            sources=summary.sources,
            located=summary.located,
            with_comparison=summary.with_comparison,
            shown=summary.shown,
            judged=summary.judged,
            same=summary.same,
            precision_lower_bound=round(summary.precision, 3),
            precision_of_judged=round(summary.judged_precision, 3),
        )
        if arguments.coverage:
            shown, checked = coverage(
                session, folders, arguments.coverage, arguments.seed
            )
            figures["coverage"] = f"{shown} of {checked}"
    store.close()
    if arguments.pending:
        lines = [item.to_json() + "\n" for item in unjudged(results)]
        arguments.pending.write_text("".join(lines), encoding="utf-8")
        figures["pending_written"] = len(lines)
    if arguments.json:
        print(json.dumps(figures, indent=2))
    else:
        print()
        for name, value in figures.items():
            print(f"{name}: {value}")


if __name__ == "__main__":
    main()
