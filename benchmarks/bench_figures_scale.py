"""Time the figures queries on a generated store of 10,000 platforms and 2M provisions.

Usage:
    python benchmarks/bench_figures_scale.py [--platforms 10000] [--provisions 2000000]
        [--queries 200] [--data-dir DIR] [--keep]

The store is created through the real migrations, then filled with bulk inserts
straight into the tables: two documents per platform, one to five versions per
document, provisions spread over the documents, clause types drawn from a Zipf-like
distribution over the 49 bundled types (45 % of current provisions get one type, 10 %
two), change events for a fifth of the provisions, and one stored vector per distinct
text. Texts repeat across platforms as boilerplate does, so there are fewer distinct
texts (and vectors) than provisions. A text of a clause type gets a random vector near
the mean embedding of the type's example sentences, so the label check and the
similarity cut-off keep and drop candidates at realistic rates.

It then reports p50 and p95 latency of prevalence (N of M with the rarity label),
clause stability and similar provisions. Similar provisions are timed after one
warm-up query per clause type, which builds the per-type index of the process; the
build times are reported apart.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import text

from clausewatch.db.record_ids import format_record_id
from clausewatch.db.store import Store
from clausewatch.figures import (
    SentenceEncoder,
    prevalence,
    similar_provisions,
    stability_of,
)
from clausewatch.figures.embeddings import MODEL_ID, STORED_DTYPE
from clausewatch.figures.similar_index import MAX_VECTORS_PER_REQUEST, type_index
from clausewatch.settings import Settings
from clausewatch.taxonomy import default_taxonomy

START = datetime(2020, 1, 1, tzinfo=UTC)
CHANGE_KINDS = ("modified", "moved", "reclassified", "removed", "added")
DISTINCT_TEXT_SHARE = 0.05


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def batched(rows: Iterator[tuple[object, ...]], size: int = 50_000) -> Iterator[list]:
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Generator:
    """Writes the generated rows with one sqlite3 connection."""

    def __init__(self, path: Path, platforms: int, provisions: int, seed: int) -> None:
        self.connection = sqlite3.connect(path)
        self.connection.execute("PRAGMA synchronous=OFF")
        # Full-text search triggers are not what this benchmark measures.
        for name in ("insert", "update", "delete"):
            self.connection.execute(
                f"DROP TRIGGER IF EXISTS provision_texts_fts_{name}"
            )
        self.random = random.Random(seed)
        self.platforms = platforms
        self.provisions = provisions
        types = default_taxonomy().clause_types
        self.type_ids = list(types)
        self.severities = {key: value.severity.value for key, value in types.items()}
        self.examples = {key: value.positive_examples for key, value in types.items()}
        self.type_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(types))]

    def insert(
        self, table: str, columns: str, rows: Iterator[tuple[object, ...]]
    ) -> int:
        marks = ",".join("?" * len(columns.split(",")))
        count = 0
        for batch in batched(rows):
            self.connection.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch
            )
            count += len(batch)
        self.connection.commit()
        return count

    def run(self) -> dict[str, int]:
        now = timestamp(datetime.now(UTC))
        counts: dict[str, int] = {}
        counts["platforms"] = self.insert(
            "platforms",
            "id,name,created_at",
            ((f"p{n:05d}", f"Platform {n}", now) for n in range(self.platforms)),
        )
        documents = self._documents()
        counts["documents"] = self.insert(
            "documents",
            "id,record_id,platform_id,terms_type,created_at,first_tracked_at,"
            "last_verified_at",
            (
                (
                    doc_id,
                    format_record_id("D", doc_id),
                    platform,
                    terms,
                    now,
                    timestamp(versions[0][1]),
                    timestamp(versions[-1][1] + timedelta(days=3)),
                )
                for doc_id, platform, terms, versions in documents
            ),
        )
        counts["versions"] = self.insert(
            "versions",
            "id,document_id,number,captured_at,text_sha256,markdown,created_at",
            (
                (
                    version_id,
                    doc_id,
                    number,
                    timestamp(moment),
                    f"{version_id:064x}",
                    "(generated)",
                    now,
                )
                for doc_id, _, _, versions in documents
                for number, (version_id, moment) in enumerate(versions, start=1)
            ),
        )
        counts.update(self._provisions(documents, now))
        self.connection.execute("ANALYZE")
        # Move the write-ahead log into the database file, as a long-running server's
        # checkpoints would, so reads do not go through a log of several hundred MB.
        self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.connection.commit()
        return counts

    def _documents(self) -> list[tuple[int, str, str, list[tuple[int, datetime]]]]:
        documents = []
        version_id = 0
        for n in range(self.platforms):
            for terms in ("Privacy Policy", "Terms of Service"):
                moment = START + timedelta(days=self.random.randrange(0, 1500))
                versions = []
                for _ in range(self.random.randint(1, 5)):
                    version_id += 1
                    versions.append((version_id, moment))
                    moment += timedelta(days=self.random.randrange(20, 300))
                documents.append((len(documents) + 1, f"p{n:05d}", terms, versions))
        return documents

    def _provisions(self, documents: list, now: str) -> dict[str, int]:
        per_document = self.provisions // len(documents)
        pools = self._text_pools(max(1, int(self.provisions * DISTINCT_TEXT_SHARE)))
        provisions, provision_texts, clauses, analyses, events = [], [], [], [], []
        provision_id = 0
        for doc_id, platform, _, versions in documents:
            latest_id = versions[-1][0]
            for position in range(per_document):
                provision_id += 1
                first = self.random.choice(versions)
                current = self.random.random() < 0.9
                last = versions[-1] if current else self.random.choice(versions)
                if last[0] < first[0]:
                    first, last = last, first
                types = self._types() if current and last[0] == latest_id else []
                pool = pools[types[0] if types else None]
                body, digest, _ = pool[self.random.randrange(len(pool))]
                provisions.append(
                    (
                        provision_id,
                        format_record_id("P", provision_id),
                        doc_id,
                        first[0],
                        last[0],
                        int(current),
                    )
                )
                provision_texts.append(
                    (
                        provision_id,
                        provision_id,
                        last[0],
                        position,
                        "[]",
                        "paragraph",
                        body,
                        digest,
                        1.0,
                    )
                )
                if types:
                    for type_id in types:
                        confidence = round(self.random.uniform(0.5, 1.0), 3)
                        severity = self.severities[type_id]
                        clauses.append(
                            (
                                provision_id,
                                type_id,
                                provision_id,
                                platform,
                                doc_id,
                                severity,
                                confidence,
                            )
                        )
                        analyses.append(
                            (
                                provision_id,
                                type_id,
                                confidence,
                                "model",
                                severity,
                                "generated",
                                "bench",
                                now,
                            )
                        )
                if self.random.random() < 0.2:
                    for _ in range(self.random.randint(1, 5)):
                        version = self.random.choice(versions)
                        events.append(
                            (
                                platform,
                                doc_id,
                                version[0],
                                provision_id,
                                self.random.choice(CHANGE_KINDS),
                                int(self.random.random() < 0.8),
                                timestamp(version[1]),
                                "generated",
                                "{}",
                            )
                        )
        counts = {
            "provisions": self.insert(
                "provisions",
                "id,record_id,document_id,first_version_id,last_version_id,is_current",
                iter(provisions),
            ),
            "provision_texts": self.insert(
                "provision_texts",
                "id,provision_id,version_id,position,heading_path,kind,text,"
                "text_sha256,match_similarity",
                iter(provision_texts),
            ),
            "current_clauses": self.insert(
                "current_clauses",
                "provision_id,clause_type_id,provision_text_id,platform_id,"
                "document_id,severity,confidence",
                iter(clauses),
            ),
            "analyses": self.insert(
                "analyses",
                "provision_text_id,clause_type_id,confidence,source,severity,"
                "severity_reason,model_version,analyzed_at",
                iter(analyses),
            ),
            "change_events": self.insert(
                "change_events",
                "platform_id,document_id,version_id,provision_id,kind,material,"
                "occurred_at,sentence,summary",
                iter(events),
            ),
        }
        counts["provision_embeddings"] = self.insert(
            "provision_embeddings",
            "text_sha256,model_id,vector,created_at",
            (
                (digest, MODEL_ID, vector, now)
                for pool in pools.values()
                for _, digest, vector in pool
            ),
        )
        return counts

    def _types(self) -> list[str]:
        draw = self.random.random()
        count = 2
        if draw < 0.45:
            count = 0
        elif draw < 0.9:
            count = 1
        return list(
            dict.fromkeys(
                self.random.choices(self.type_ids, weights=self.type_weights, k=count)
            )
        )

    def _text_pools(
        self, distinct: int
    ) -> dict[str | None, list[tuple[str, str, bytes]]]:
        """Distinct texts per clause type (None: unclassified), with their vectors.

        A text of a clause type gets a vector near the mean embedding of the type's
        example sentences, so the label check and the ranking see realistic scores.
        """
        encoder = SentenceEncoder.load()
        rng = np.random.default_rng(self.random.getrandbits(32))
        total_weight = sum(self.type_weights)
        sizes: dict[str | None, int] = {
            type_id: max(20, int(0.55 * distinct * weight / total_weight))
            for type_id, weight in zip(self.type_ids, self.type_weights, strict=True)
        }
        sizes[None] = max(20, int(0.45 * distinct))
        pools: dict[str | None, list[tuple[str, str, bytes]]] = {}
        serial = 0
        for type_id, size in sizes.items():
            centre = self._centre(encoder, type_id)
            pool = []
            for _ in range(size):
                serial += 1
                body = f"Generated clause {serial} on {type_id or 'another matter'}."
                noise = rng.standard_normal(384) * rng.uniform(0.03, 0.07)
                vector = centre + noise if centre is not None else noise
                vector /= np.linalg.norm(vector)
                digest = hashlib.sha256(body.encode()).hexdigest()
                pool.append((body, digest, vector.astype(STORED_DTYPE).tobytes()))
            pools[type_id] = pool
        return pools

    def _centre(
        self, encoder: SentenceEncoder, type_id: str | None
    ) -> np.ndarray | None:
        examples = self.examples.get(type_id or "", ())
        if not examples:
            return None
        centre: np.ndarray = encoder.encode(list(examples)).mean(axis=0)
        return centre / np.linalg.norm(centre)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def timed(
    function: Callable[..., object], *arguments: object, **options: object
) -> float:
    """Run function once and return how long it took, in milliseconds."""
    started = time.perf_counter()
    function(*arguments, **options)
    return (time.perf_counter() - started) * 1000


def measure(store: Store, queries: int, seed: int, *, interleaved: bool) -> None:
    chooser = random.Random(seed)
    encoder = SentenceEncoder.load()
    with store.session() as session:
        rows = session.execute(
            text(
                "SELECT p.record_id, c.clause_type_id FROM current_clauses c "
                "JOIN provisions p ON p.id = c.provision_id"
            )
        ).all()
        sample = chooser.sample(rows, queries)
        by_type = {type_id: record_id for record_id, type_id in rows}

        # Each clause type's index is built once per process, before the timed
        # queries, as a long-running server has it. A query for a source whose label
        # is not confident returns before reaching the index, so the index is built
        # directly.
        builds = [
            timed(
                type_index,
                session,
                type_id,
                encoder,
                max_missing=MAX_VECTORS_PER_REQUEST,
            )
            for type_id in sorted(by_type)
        ]
        results: dict[str, list[float]] = {
            "prevalence": [],
            "stability": [],
            "similar": [],
        }
        returned: list[int] = []

        def similar(record_id: str, type_id: str) -> float:
            started = time.perf_counter()
            found = similar_provisions(
                session, record_id, clause_type_id=type_id, encoder=encoder
            )
            returned.append(len(found))
            return (time.perf_counter() - started) * 1000

        if interleaved:
            # As a provision page does: the three figures for one provision in turn.
            for record_id, type_id in sample:
                results["prevalence"].append(timed(prevalence, session, type_id))
                results["stability"].append(timed(stability_of, session, record_id))
                results["similar"].append(similar(record_id, type_id))
        else:
            # Each figure in its own loop over the same sample, so one query's
            # page-cache churn does not land on another's numbers.
            for _, type_id in sample:
                results["prevalence"].append(timed(prevalence, session, type_id))
            for record_id, _ in sample:
                results["stability"].append(timed(stability_of, session, record_id))
            for record_id, type_id in sample:
                results["similar"].append(similar(record_id, type_id))

    for name, samples in results.items():
        p50, p95 = percentiles(samples)
        print(
            f"{name:12s} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  ({len(samples)} queries)"
        )
    print(
        f"similar provisions returned: {statistics.mean(returned):.2f} per query, "
        f"none for {returned.count(0)} of {len(returned)} sources"
    )
    p50, p95 = percentiles(builds)
    print(
        f"index build  p50 {p50:7.0f} ms  p95 {p95:7.0f} ms  max {max(builds):.0f} ms "
        f"({len(builds)} clause types, once per type and process)"
    )


def _has_data(database: Path) -> bool:
    if not database.exists():
        return False
    with sqlite3.connect(database) as connection:
        return bool(connection.execute("SELECT count(*) FROM provisions").fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platforms", type=int, default=10_000)
    parser.add_argument("--provisions", type=int, default=2_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="Keep the generated store.")
    parser.add_argument(
        "--interleaved",
        action="store_true",
        help="Time the three figures of each provision in turn, as a page does.",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Measure a store kept by an earlier --keep run instead of generating one.",
    )
    arguments = parser.parse_args()

    folder = arguments.data_dir or Path(tempfile.mkdtemp(prefix="cw-bench-"))
    settings = Settings(data_dir=folder)
    store = Store.open(settings)
    database = folder / "clausewatch.db"
    if arguments.reuse and _has_data(database):
        print(f"reusing the generated store in {folder}")
    else:
        started = time.perf_counter()
        generator = Generator(
            database, arguments.platforms, arguments.provisions, arguments.seed
        )
        counts = generator.run()
        print(
            f"generated in {time.perf_counter() - started:.0f} s: "
            + ", ".join(f"{value:,} {name}" for name, value in counts.items())
        )
    measure(store, arguments.queries, arguments.seed, interleaved=arguments.interleaved)
    store.close()
    if not arguments.keep and not arguments.reuse:
        for path in folder.glob("clausewatch.db*"):
            path.unlink()


if __name__ == "__main__":
    main()
