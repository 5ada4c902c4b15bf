"""Benchmark page latency over loopback against a real uvicorn on the imported corpus.

The server runs in its own process (this script started with ``--serve``), so the
client's work does not share its interpreter. Requests are sequential, one connection,
after a warm-up, and each page kind is timed on a seeded random sample of records.

    python benchmarks/bench_pages.py [--data-dir DIR] [--history PATH]
        [--requests 300] [--warmup 30] [--seed 1] [--json]

Before timing, the script stores sentence vectors for classified provisions that lack
one, as a deployment does after an import. The warm-up then requests one provision page
per clause type, which builds the figures' per-type caches, and --warmup random ones.

Without --data-dir the script imports HISTORY (default: the Open Terms Archive corpus
beside the repository, the folder the tests read) with the real analyzer into a
temporary data directory, then records the bundled catalog's source URLs. With
--data-dir it reuses a store imported before, which saves minutes per run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from measurements import shared_data_path

REPOSITORY = Path(__file__).resolve().parents[1]

# The provision page's 95th percentile latency must stay under this many milliseconds.
TARGET_P95_MS = 50.0


def import_corpus(history: Path, data_dir: Path) -> float:
    """Import a history with the real analyzer and catalog URLs; return seconds."""
    sys.path.insert(0, str(REPOSITORY))
    from tests.web_fixtures import apply_catalog_urls

    from clausewatch.db.store import Store
    from clausewatch.settings import Settings
    from clausewatch.tracking.analyzer_factory import build_analyzer
    from clausewatch.tracking.history_import import import_history

    started = time.perf_counter()
    settings = Settings(data_dir=data_dir)
    store = Store.open(settings)
    import_history(store, history, analyzer=build_analyzer(settings))
    apply_catalog_urls(store)
    store.close()
    return time.perf_counter() - started


def embed_missing(data_dir: Path) -> tuple[int, float]:
    """Store sentence vectors for classified current provisions that lack one.

    A deployment does this once after tracking or import, so similar-provision lookups
    read stored vectors instead of running the model inside a page request.
    """
    from clausewatch.db.store import Store
    from clausewatch.figures import embed_current_provisions, shared_encoder
    from clausewatch.settings import Settings

    encoder = shared_encoder()
    if encoder is None:
        return 0, 0.0
    started = time.perf_counter()
    store = Store.open(Settings(data_dir=data_dir))
    with store.session() as session:
        count = embed_current_provisions(session, encoder)
    store.close()
    return count, time.perf_counter() - started


def one_per_clause_type(data_dir: Path) -> list[str]:
    """List one provision page per clause type, so warm-up builds every type index."""
    from sqlalchemy import func, select

    from clausewatch.db.models import CurrentClause, Provision
    from clausewatch.db.store import Store
    from clausewatch.settings import Settings

    store = Store.open(Settings(data_dir=data_dir))
    with store.session() as session:
        first = (
            select(func.min(CurrentClause.provision_id))
            .group_by(CurrentClause.clause_type_id)
            .scalar_subquery()
        )
        records = list(
            session.scalars(select(Provision.record_id).where(Provision.id.in_(first)))
        )
    store.close()
    return [f"/provisions/{record}" for record in records]


def sample_paths(data_dir: Path, count: int, seed: int) -> dict[str, list[str]]:
    """Pick the pages to time: random current provisions, documents and queries."""
    from sqlalchemy import select

    from clausewatch.db.models import Document, Platform, Provision
    from clausewatch.db.store import Store
    from clausewatch.settings import Settings

    store = Store.open(Settings(data_dir=data_dir))
    with store.session() as session:
        provisions = list(
            session.scalars(
                select(Provision.record_id).where(Provision.is_current.is_(True))
            )
        )
        documents = list(session.scalars(select(Document.record_id)))
        platforms = list(session.scalars(select(Platform.id)))
    store.close()

    chooser = random.Random(seed)
    picked = [chooser.choice(provisions) for _ in range(count)]
    words = ["delete account", "arbitration", "train models", "sell data", "cookies"]
    return {
        "provision page": [f"/provisions/{record}" for record in picked],
        "provision API": [f"/api/v1/provisions/{record}" for record in picked],
        "document page": [
            f"/documents/{chooser.choice(documents)}" for _ in range(count // 5)
        ],
        "platform page": [
            f"/platforms/{chooser.choice(platforms)}" for _ in range(count // 5)
        ],
        "search page": [
            f"/search?q={chooser.choice(words)}" for _ in range(count // 5)
        ],
        "changes page": ["/changes?material=true"] * (count // 10),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        __file__,
        "--serve",
        str(data_dir),
        "--port",
        str(port),
    ]
    return subprocess.Popen(command, cwd=REPOSITORY)


def wait_until_ready(client: httpx.Client, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode}")
        try:
            if client.get("/api/v1/platforms?limit=1").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not respond within 120 s; see its log above")


def time_paths(client: httpx.Client, paths: list[str]) -> list[float]:
    """Fetch each path once; return latencies in milliseconds."""
    latencies = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} returned {response.status_code}")
    return latencies


def summarize(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)

    def percentile(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    return {
        "requests": len(ordered),
        "p50_ms": round(percentile(0.50), 1),
        "p95_ms": round(percentile(0.95), 1),
        "p99_ms": round(percentile(0.99), 1),
        "max_ms": round(ordered[-1], 1),
        "mean_ms": round(statistics.fmean(ordered), 1),
    }


def serve(data_dir: Path, port: int) -> None:
    import uvicorn

    from clausewatch.settings import Settings
    from clausewatch.web import create_app

    settings = Settings(data_dir=data_dir, base_url=f"http://127.0.0.1:{port}")
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, help="Reuse this imported store.")
    parser.add_argument("--history", type=Path, help="History to import first.")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="Print JSON only.")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve:
        serve(arguments.serve, arguments.port)
        return

    report: dict[str, Any] = {"cpus": os.cpu_count(), "load": os.getloadavg()}
    data_dir = arguments.data_dir
    if data_dir is None:
        history = arguments.history or shared_data_path("corpus", "ota")
        if history is None:
            raise SystemExit("no history found; pass --history or --data-dir")
        data_dir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
        report["import_seconds"] = round(import_corpus(history, data_dir), 1)

    sys.path.insert(0, str(REPOSITORY / "src"))
    embedded, seconds = embed_missing(data_dir)
    report["embedded_texts"] = embedded
    report["embed_seconds"] = round(seconds, 1)
    paths = sample_paths(data_dir, arguments.requests, arguments.seed)
    warmup = one_per_clause_type(data_dir) + paths["provision page"][: arguments.warmup]
    port = free_port()
    server = start_server(data_dir, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            wait_until_ready(client, server)
            report["warmup_requests"] = len(warmup)
            time_paths(client, warmup)
            report["pages"] = {
                kind: summarize(time_paths(client, kind_paths))
                for kind, kind_paths in paths.items()
            }
    finally:
        server.terminate()
        server.wait(timeout=30)

    p95 = report["pages"]["provision page"]["p95_ms"]
    report["target_p95_ms"] = TARGET_P95_MS
    report["meets_target"] = p95 < TARGET_P95_MS
    if arguments.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{os.cpu_count()} CPUs, load average {report['load'][0]:.1f}")
    for kind, figures in report["pages"].items():
        print(
            f"{kind:15} n={figures['requests']:4}  p50 {figures['p50_ms']:6.1f} ms  "
            f"p95 {figures['p95_ms']:6.1f} ms  p99 {figures['p99_ms']:6.1f} ms  "
            f"max {figures['max_ms']:6.1f} ms"
        )
    verdict = "meets" if report["meets_target"] else "misses"
    print(f"provision page p95 {p95} ms {verdict} the {TARGET_P95_MS} ms target")


if __name__ == "__main__":
    main()
