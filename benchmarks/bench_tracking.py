"""Benchmark tracking of the corpus served as web pages on 127.0.0.1.

The script starts the benchmark page server (serve_corpus.py) on a free loopback port
and writes a catalog of declarations for its pages into a temporary folder. It then
measures four phases, each in its own Python process so that its peak memory is its own:

(a) the floor: fetching every page with clausewatch's Fetcher and hashing it;
(b) the first tracking run into a fresh store;
(c) a tracking run with nothing changed;
(d) a tracking run after the server switched to its "changed" state.

(a) and (c) are repeated and their medians reported. Tracking runs extract pages in
worker processes (one per CPU): the peak memory of the largest worker is reported
beside the tracking process's own, and the CPU times with start-up include the
workers'.

    python benchmarks/bench_tracking.py [--server PATH] [--repeats 5] [--json]

--server defaults to the benchmark page server beside the repository (found through the
test data folder of tests/conftest.py).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from measurements import cpu_seconds, peak_memory_mb, shared_data_path

REPOSITORY = Path(__file__).resolve().parents[1]

# The Open Terms Archive engine 9.1.0 (`ota track`, git storage) on the same 76 pages
# and the same kind of 2-core machine, as published with the benchmark page server.
REFERENCE_SECONDS = {"first": 38.2, "unchanged": 38.4, "changed": 40.0}
TARGET_SPEEDUP = 10.0
# A run with nothing changed should take at most this multiple of the fetch floor.
TARGET_FLOOR_RATIO = 1.3

SELECT = ["main#content"]
REMOVE = ["#cookie-banner", ".breadcrumb"]


def benchmark_settings(data_dir: Path) -> Any:
    from clausewatch.settings import Settings

    return Settings(data_dir=data_dir, allowed_private_hosts=["127.0.0.1"])


# -- child processes: one phase each ---------------------------------------------------


async def fetch_and_hash(urls: list[str], settings: Any) -> int:
    """Fetch every URL with one Fetcher, hash each body and return the bytes read."""
    from clausewatch.fetch import Fetcher

    async def one(fetcher: Fetcher, url: str) -> int:
        result = await fetcher.fetch(url)
        hashlib.sha256(result.body).hexdigest()
        return len(result.body)

    async with Fetcher(settings) as fetcher:
        sizes = await asyncio.gather(*(one(fetcher, url) for url in urls))
    return sum(sizes)


def run_fetch_phase(catalog: Path, data_dir: Path) -> dict[str, Any]:
    # Imported before the clock starts, as the tracking phase imports its modules.
    import clausewatch.fetch  # noqa: F401
    from clausewatch.declarations import load_catalog

    settings = benchmark_settings(data_dir)
    urls = [
        page.url
        for platform in load_catalog(catalog)
        for document in platform.documents
        for page in document.pages
    ]
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    size = asyncio.run(fetch_and_hash(urls, settings))
    return {
        "pages": len(urls),
        "bytes": size,
        "seconds": round(time.perf_counter() - started, 3),
        "cpu_seconds": round(cpu_seconds() - cpu_before, 3),
        "peak_memory_mb": round(peak_memory_mb(), 1),
    }


def run_track_phase(
    catalog: Path, data_dir: Path, *, analyze: bool, profile: Path | None
) -> dict[str, Any]:
    from clausewatch.db.store import Store
    from clausewatch.declarations import load_catalog
    from clausewatch.tracking.track import track

    settings = benchmark_settings(data_dir)
    platforms = load_catalog(catalog)
    store = Store.open(settings)
    analyzer = None
    if analyze:
        # Imported only here, as the CLI does: the classifier loads scikit-learn.
        from clausewatch.tracking.analyzer_factory import build_analyzer

        analyzer = build_analyzer(settings)

    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    report = asyncio.run(track(store, settings, platforms, analyzer=analyzer))
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before
    if profiler is not None and profile is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    store.close()
    return {
        "documents": report.documents,
        "new_versions": report.new_versions,
        "unchanged": report.unchanged,
        "suspect": report.suspect,
        "failed": report.failed,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "peak_memory_mb": round(peak_memory_mb(), 1),
        # The extraction workers have exited by now, so this is the largest one.
        "worker_peak_memory_mb": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
    }


# -- the parent process: server, catalog and phases ------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return bytes(response.read())


def start_server(script: Path, port: int) -> subprocess.Popen[bytes]:
    """Start the page server and return once it responds, or raise SystemExit."""
    server = subprocess.Popen(
        [sys.executable, str(script), "--port", str(port), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # The server renders every page before it listens: that takes a few seconds.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            error = server.stderr.read().decode() if server.stderr else ""
            raise SystemExit(f"the page server {script} exited: {error}")
        try:
            get(f"http://127.0.0.1:{port}/__bench/state")
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(
        f"the page server {script} did not respond on port {port} within 120 s"
    )


def write_catalog(manifest: dict[str, Any], folder: Path) -> int:
    """Write one YAML declaration per service of the manifest; return the documents."""
    import yaml

    from clausewatch.declarations import slugify_platform_id

    services: dict[str, dict[str, Any]] = {}
    for entry in manifest["documents"]:
        services.setdefault(entry["service"], {})[entry["type"]] = {
            "url": entry["url"],
            "select": list(SELECT),
            "remove": list(REMOVE),
        }
    folder.mkdir(parents=True, exist_ok=True)
    for service, documents in services.items():
        platform_id = slugify_platform_id(service)
        declaration = {"id": platform_id, "name": service, "documents": documents}
        path = folder / f"{platform_id}.yaml"
        path.write_text(yaml.safe_dump(declaration, allow_unicode=True), "utf-8")
    return sum(len(documents) for documents in services.values())


def run_phase(arguments: list[str]) -> dict[str, Any]:
    """Run one phase in a fresh Python process; add its times with start-up."""
    children_cpu = cpu_seconds(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, __file__, "--phase", *arguments],
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode != 0:
        sys.stderr.write(finished.stderr)
        raise SystemExit(f"the phase {arguments[0]} failed; its output is above")
    result: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])
    result["process_seconds"] = round(time.perf_counter() - started, 3)
    result["process_cpu_seconds"] = round(
        cpu_seconds(resource.RUSAGE_CHILDREN) - children_cpu, 3
    )
    return result


def median_of(runs: list[dict[str, Any]], key: str) -> float:
    return round(statistics.median(run[key] for run in runs), 3)


def run_benchmark(
    server_script: Path, work: Path, *, repeats: int, analyze: bool
) -> dict[str, Any]:
    port = free_port()
    server = start_server(server_script, port)
    base = f"http://127.0.0.1:{port}"
    try:
        get(f"{base}/__bench/state/base")
        manifest = json.loads(get(f"{base}/__bench/manifest.json"))
        catalog, data_dir = work / "catalog", work / "data"
        documents = write_catalog(manifest, catalog)
        changed = sum(
            1 for entry in manifest["documents"] if entry["changed_in_changed_state"]
        )
        track = ["track", str(catalog), str(data_dir)]
        track.append("--analyze" if analyze else "--no-analyze")
        load_before = os.getloadavg()[0]

        floor = [
            run_phase(["fetch", str(catalog), str(work / "fetch-only")])
            for _ in range(repeats)
        ]
        first = run_phase(track)
        unchanged = [run_phase(track) for _ in range(repeats)]
        get(f"{base}/__bench/state/changed")
        after_change = run_phase(track)
        get(f"{base}/__bench/state/base")
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "documents": documents,
        "documents_changed_by_server": changed,
        "analyze": analyze,
        "repeats": repeats,
        "fetch_floor": floor,
        "first": first,
        "unchanged": unchanged,
        "changed": after_change,
        "load_average_1min": [round(load_before, 2), round(load_after, 2)],
    }


def summarize(result: dict[str, Any]) -> dict[str, Any]:
    """Medians, the unchanged/floor ratio and the speed-ups over the reference."""
    floor = median_of(result["fetch_floor"], "seconds")
    unchanged = median_of(result["unchanged"], "seconds")
    runs = {
        "first": result["first"],
        "unchanged": {
            "seconds": unchanged,
            "process_seconds": median_of(result["unchanged"], "process_seconds"),
            "process_cpu_seconds": median_of(
                result["unchanged"], "process_cpu_seconds"
            ),
        },
        "changed": result["changed"],
    }
    return {
        "fetch_floor_median_seconds": floor,
        "fetch_floor_median_cpu_seconds": median_of(
            result["fetch_floor"], "cpu_seconds"
        ),
        "unchanged_median_seconds": unchanged,
        "unchanged_median_cpu_seconds": median_of(result["unchanged"], "cpu_seconds"),
        "unchanged_over_floor": round(unchanged / floor, 2),
        "speedup_over_reference": {
            name: round(REFERENCE_SECONDS[name] / run["process_seconds"], 1)
            for name, run in runs.items()
        },
        # A cautious estimate for an unloaded machine: the CPU time of the run and
        # its extraction workers together, as if they shared one core.
        "speedup_over_reference_by_cpu": {
            name: round(REFERENCE_SECONDS[name] / run["process_cpu_seconds"], 1)
            for name, run in runs.items()
        },
        "new_versions_after_change": result["changed"]["new_versions"],
        "suspect_after_change": result["changed"]["suspect"],
        "documents_changed_by_server": result["documents_changed_by_server"],
        # A changed page either becomes a version or is quarantined as a suspect
        # capture (an earlier version much shorter than the latest one).
        "every_change_recorded": result["changed"]["new_versions"]
        + result["changed"]["suspect"]
        == result["documents_changed_by_server"],
    }


def print_report(result: dict[str, Any], summary: dict[str, Any]) -> None:
    def line(name: str, run: dict[str, Any]) -> str:
        return (
            f"  {name:<22} {run['seconds']:7.2f} s wall "
            f"{run['cpu_seconds']:7.2f} s CPU "
            f"{run['process_seconds']:7.2f} s and "
            f"{run['process_cpu_seconds']:6.2f} s CPU with start-up  "
            f"peak {run['peak_memory_mb']:5.0f} MB"
            + (
                f", workers {run['worker_peak_memory_mb']:.0f} MB"
                if run.get("worker_peak_memory_mb")
                else ""
            )
        )

    print(
        f"{result['documents']} documents served on 127.0.0.1, "
        f"classification {'on' if result['analyze'] else 'off'}, {os.cpu_count()} CPUs"
    )
    for index, run in enumerate(result["fetch_floor"], 1):
        print(line(f"(a) fetch+hash #{index}", run))
    print(line("(b) first run", result["first"]))
    for index, run in enumerate(result["unchanged"], 1):
        print(line(f"(c) unchanged #{index}", run))
    print(line("(d) after changes", result["changed"]))
    print(
        f"  medians: fetch+hash {summary['fetch_floor_median_seconds']:.2f} s, "
        f"unchanged run {summary['unchanged_median_seconds']:.2f} s"
    )
    print(
        f"  (c)/(a) = {summary['unchanged_over_floor']:.2f} "
        f"(target at most {TARGET_FLOOR_RATIO})"
    )
    speedups = summary["speedup_over_reference"]
    print(
        "  speed-up over the reference tracker (process time with start-up): "
        + ", ".join(f"{name} {value:.1f}x" for name, value in speedups.items())
        + f" (target at least {TARGET_SPEEDUP:.0f}x)"
    )
    estimates = summary["speedup_over_reference_by_cpu"]
    print(
        "  cautious estimate for an unloaded machine, from the CPU time of all "
        "processes with start-up: "
        + ", ".join(f"{name} {value:.1f}x" for name, value in estimates.items())
    )
    print(
        f"  (d) {summary['new_versions_after_change']} new versions and "
        f"{summary['suspect_after_change']} suspect captures for "
        f"{summary['documents_changed_by_server']} documents the server changed "
        f"(all recorded: {summary['every_change_recorded']}); first run: "
        f"{result['first']['new_versions']} new versions, "
        f"{len(result['first']['failed'])} failed"
    )
    low, high = result["load_average_1min"]
    print(f"  1-minute load average before and after: {low} / {high}")


def run_child(arguments: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.ERROR)
    name, catalog, data_dir = arguments.phase
    if name == "fetch":
        result = run_fetch_phase(Path(catalog), Path(data_dir))
    else:
        result = run_track_phase(
            Path(catalog),
            Path(data_dir),
            analyze=bool(arguments.analyze),
            profile=arguments.profile,
        )
    print(json.dumps(result))


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--server", type=Path, help="serve_corpus.py (default: beside the test data)"
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=5,
        help="runs of the fetch floor and of the unchanged run (default 5)",
    )
    parser.add_argument(
        "--analyze",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="classify the provisions of new versions (default: off, as the "
        "reference tracker does not classify)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--keep",
        type=Path,
        help="work in this folder and keep it (default: a temporary folder)",
    )
    parser.add_argument(
        "--phase", nargs=3, metavar=("NAME", "CATALOG", "DATA"), help=argparse.SUPPRESS
    )
    parser.add_argument("--profile", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    if arguments.phase:
        run_child(arguments)
        return
    server = arguments.server or shared_data_path("bench", "serve_corpus.py")
    if server is None or not server.is_file():
        raise SystemExit(
            f"benchmark page server not found at {server}: give its path with --server"
        )
    options = {"repeats": arguments.repeats, "analyze": arguments.analyze}
    if arguments.keep is not None:
        arguments.keep.mkdir(parents=True, exist_ok=True)
        result = run_benchmark(server, arguments.keep, **options)
    else:
        with tempfile.TemporaryDirectory(prefix="clausewatch-bench-track-") as folder:
            result = run_benchmark(server, Path(folder), **options)
    summary = summarize(result)
    if arguments.json:
        print(json.dumps({"runs": result, "summary": summary}, indent=1))
    else:
        print_report(result, summary)


if __name__ == "__main__":
    main()
