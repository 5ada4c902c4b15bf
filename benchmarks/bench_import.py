"""Benchmark the import of an Open Terms Archive versions history into a fresh store.

Each import runs in its own Python process, so the peak memory reported is that
import's own. For every mode (with and without classification) the script imports the
history into a new data directory, then imports it a second time into the same
directory, which must add nothing.

    python benchmarks/bench_import.py [HISTORY] [--analyze | --no-analyze] [--json]

HISTORY defaults to the Open Terms Archive corpus beside the repository (the folder the
tests read, see tests/conftest.py). Without --analyze or --no-analyze both modes run.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from measurements import cpu_seconds, peak_memory_mb, shared_data_path

REPOSITORY = Path(__file__).resolve().parents[1]

# The whole-corpus import without classification should take at most this long.
TARGET_SECONDS = 30.0


def run_one_import(
    history: Path, data_dir: Path, *, analyze: bool, profile: Path | None
) -> dict[str, Any]:
    """Import the history into data_dir in this process and return its figures."""
    from clausewatch.db.store import Store
    from clausewatch.settings import Settings
    from clausewatch.tracking.history_import import import_history

    settings = Settings(data_dir=data_dir)
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
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    report, files = import_history(store, history, analyzer=analyzer)
    if profiler is not None and profile is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before

    counts = store.counts()
    store.close()
    return {
        "files": files,
        "documents": report.documents,
        "new_versions": report.new_versions,
        "already_imported": report.already_imported,
        "suspect": len(report.suspect),
        "errors": len(report.errors),
        "stored_versions": counts.versions,
        "stored_provisions": counts.provisions,
        "stored_provision_texts": counts.provision_texts,
        "stored_change_events": counts.change_events,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "versions_per_second": round(report.new_versions / seconds, 2),
        "peak_memory_mb": round(peak_memory_mb(), 1),
    }


# -- the parent process ----------------------------------------------------------------


def import_in_child(
    history: Path, data_dir: Path, *, analyze: bool, profile: Path | None
) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--child",
        str(history),
        "--data-dir",
        str(data_dir),
        "--analyze" if analyze else "--no-analyze",
    ]
    if profile is not None:
        command += ["--profile", str(profile)]
    children_cpu = cpu_seconds(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        sys.stderr.write(finished.stderr)
        raise SystemExit(f"the import in {data_dir} failed; its output is above")
    result: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])
    result["process_seconds"] = round(time.perf_counter() - started, 2)
    result["process_cpu_seconds"] = round(
        cpu_seconds(resource.RUSAGE_CHILDREN) - children_cpu, 2
    )
    return result


def bench_mode(history: Path, *, analyze: bool, profile: Path | None) -> dict[str, Any]:
    """Import twice into one fresh data directory and return both runs' figures."""
    with tempfile.TemporaryDirectory(prefix="clausewatch-bench-import-") as folder:
        data_dir = Path(folder)
        load_before = os.getloadavg()[0]
        first = import_in_child(history, data_dir, analyze=analyze, profile=profile)
        second = import_in_child(history, data_dir, analyze=analyze, profile=None)
        load_after = os.getloadavg()[0]
    return {
        "analyze": analyze,
        "first": first,
        "second": second,
        "second_adds_nothing": second["new_versions"] == 0
        and second["stored_versions"] == first["stored_versions"],
        "load_average_1min": [round(load_before, 2), round(load_after, 2)],
    }


def print_mode(result: dict[str, Any]) -> None:
    first, second = result["first"], result["second"]
    label = "with classification" if result["analyze"] else "without classification"
    print(f"import {label}")
    print(
        f"  files {first['files']}, documents {first['documents']}, "
        f"versions {first['stored_versions']}, provisions "
        f"{first['stored_provisions']} ({first['stored_provision_texts']} texts), "
        f"change events {first['stored_change_events']}, "
        f"suspect captures {first['suspect']}"
    )
    for name, run in (("first import ", first), ("second import", second)):
        print(
            f"  {name}: {run['seconds']:.1f} s wall, {run['cpu_seconds']:.1f} s CPU "
            f"({run['process_seconds']:.1f} s wall, "
            f"{run['process_cpu_seconds']:.1f} s CPU with process start), "
            f"{run['versions_per_second']:.1f} versions/s, "
            f"peak {run['peak_memory_mb']:.0f} MB"
        )
    print(
        f"  second import adds nothing: {result['second_adds_nothing']} "
        f"({second['already_imported']} files already imported); "
        f"second/first wall {second['seconds'] / first['seconds']:.2f}"
    )
    if not result["analyze"]:
        print(
            f"  first import / {TARGET_SECONDS:.0f} s target: "
            f"{first['seconds'] / TARGET_SECONDS:.2f}"
        )
    low, high = result["load_average_1min"]
    print(f"  1-minute load average before and after: {low} / {high}")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "history",
        nargs="?",
        type=Path,
        help="versions history to import (default: the corpus the tests use)",
    )
    parser.add_argument(
        "--analyze",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="classify provisions (--analyze) or not (--no-analyze); default: both",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--profile",
        type=Path,
        help="write cProfile statistics of each first import to FILE.<mode>.prof",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    if arguments.child:
        logging.basicConfig(level=logging.ERROR)
        result = run_one_import(
            arguments.history,
            arguments.data_dir,
            analyze=bool(arguments.analyze),
            profile=arguments.profile,
        )
        print(json.dumps(result))
        return

    history = arguments.history or shared_data_path("corpus", "ota")
    if history is None or not history.is_dir():
        raise SystemExit(
            f"no versions history at {history}: give the folder of an Open Terms "
            "Archive versions history as the first argument"
        )
    modes = [False, True] if arguments.analyze is None else [arguments.analyze]
    results = []
    for analyze in modes:
        profile = None
        if arguments.profile is not None:
            suffix = "analyze" if analyze else "no-analyze"
            profile = arguments.profile.with_name(
                f"{arguments.profile.name}.{suffix}.prof"
            )
        results.append(bench_mode(history, analyze=analyze, profile=profile))
    if arguments.json:
        print(json.dumps({"history": str(history), "modes": results}, indent=1))
        return
    print(f"history: {history} ({os.cpu_count()} CPUs)")
    for result in results:
        print_mode(result)


if __name__ == "__main__":
    main()
