"""Benchmark `clausewatch embed` on a copy of a data directory's database.

    python benchmarks/bench_embed.py DATA_DIR [--interrupt-after SECONDS]
        [--profile FILE] [--reference DIR] [--json]

DATA_DIR is a clausewatch data directory after `import` or `track` (classified, as
they leave it). Its database is copied into a temporary data directory and every
stored vector is deleted there, so DATA_DIR itself is never changed. Each phase runs
`python -m clausewatch embed --json` in a new process and reports that process's
own wall time, CPU time (user plus system) and peak resident memory:

- full: embed every current provision text from nothing;
- rerun: run again at once, which must store nothing new.

--interrupt-after SECONDS adds two phases on a second fresh copy: a run stopped with
SIGINT (as Ctrl+C does) after that many seconds, then a rerun that must finish the
rest. The vectors stored by the stopped run show what an interruption keeps.
--profile FILE writes cProfile statistics of the full phase to FILE. cProfile exits
with status 0 even when the command fails, so the script warns when the full phase
did not store a vector for every text.

--reference DIR compares the vectors of the full phase with those stored in another
data directory, such as a copy of DATA_DIR embedded by an earlier version of the code
(`PYTHONPATH=OLD/src python -m clausewatch embed`). It prints how many are
byte-identical, the largest difference of one component, and the lowest cosine
between the two.

Texts per second count the vectors a phase added to the database. The machine's
1-minute load average is printed with each phase: on a shared machine, CPU time is the
steadier figure.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from measurements import REPOSITORY


def connect(data_dir: Path) -> contextlib.closing[sqlite3.Connection]:
    """Open the database of a data directory, closed when the block ends."""
    return contextlib.closing(sqlite3.connect(data_dir / "clausewatch.db"))


def copy_without_vectors(source: Path, data_dir: Path) -> None:
    """Copy the SQLite database of ``source`` into ``data_dir`` and delete its vectors.

    The backup API copies a consistent database even while WAL files are present.
    """
    with connect(source) as original, connect(data_dir) as copy:
        original.backup(copy)
        copy.execute("DELETE FROM provision_embeddings")
        copy.commit()


def stored_vectors(data_dir: Path) -> int:
    with connect(data_dir) as database:
        (count,) = database.execute(
            "SELECT count(*) FROM provision_embeddings"
        ).fetchone()
    return int(count)


def texts_to_embed(data_dir: Path) -> tuple[int, int]:
    """Return the number of distinct current classified texts and their characters."""
    with connect(data_dir) as database:
        texts, characters = database.execute(
            "SELECT count(*), coalesce(sum(length(text)), 0) FROM ("
            " SELECT DISTINCT provision_texts.text_sha256, provision_texts.text"
            " FROM provision_texts JOIN current_clauses"
            " ON current_clauses.provision_text_id = provision_texts.id)"
        ).fetchone()
    return int(texts), int(characters)


def run_phase(
    name: str,
    data_dir: Path,
    *,
    interrupt_after: float | None = None,
    profile: Path | None = None,
) -> dict[str, Any]:
    """Run `clausewatch embed` in a child process and return its figures."""
    command = [sys.executable]
    if profile is not None:
        command += ["-m", "cProfile", "-o", str(profile)]
    command += ["-m", "clausewatch", "embed", "--json"]
    environment = dict(os.environ, CLAUSEWATCH_DATA_DIR=str(data_dir))
    before = stored_vectors(data_dir)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        started = time.perf_counter()
        # A shell starts background jobs with SIGINT ignored, and a child inherits
        # that. The default disposition lets Python raise KeyboardInterrupt.
        child = subprocess.Popen(
            command,
            env=environment,
            cwd=REPOSITORY,
            stdout=stdout,
            stderr=stderr,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        # SIGINT is what Ctrl+C sends, so the command gets its usual chance to stop.
        timer = None
        if interrupt_after is not None:
            timer = threading.Timer(interrupt_after, child.send_signal, [signal.SIGINT])
            timer.start()
        # wait4 returns the usage of this child alone, so each phase has its own
        # CPU time and peak memory.
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        if timer is not None:
            timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        output, errors = stdout.read().strip(), stderr.read()
    if interrupt_after is None and child.returncode != 0:
        sys.stderr.write(errors)
        raise SystemExit(f"`clausewatch embed` failed in phase {name}; see above")

    added = stored_vectors(data_dir) - before
    cpu = usage.ru_utime + usage.ru_stime
    return {
        "phase": name,
        "exit_code": child.returncode,
        "vectors_added": added,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "texts_per_second": round(added / seconds, 1),
        "texts_per_cpu_second": round(added / cpu, 1) if cpu else 0.0,
        # Linux reports ru_maxrss in KB.
        "peak_memory_mb": round(usage.ru_maxrss / 1024, 1),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "output": json.loads(output) if output.startswith("{") else output,
    }


def read_vectors(data_dir: Path) -> dict[tuple[str, str], bytes]:
    with connect(data_dir) as database:
        rows = database.execute(
            "SELECT text_sha256, model_id, vector FROM provision_embeddings"
        ).fetchall()
    return {(digest, model): vector for digest, model, vector in rows}


def compare_vectors(data_dir: Path, reference: Path) -> dict[str, Any]:
    """Compare the stored vectors of two data directories, text by text."""
    import numpy as np

    ours, theirs = read_vectors(data_dir), read_vectors(reference)
    common = sorted(set(ours) & set(theirs))
    identical = sum(1 for key in common if ours[key] == theirs[key])
    max_difference = 0.0
    min_cosine = 1.0
    if common:
        # Vectors are stored as float16, as clausewatch.figures.embeddings does.
        left = np.stack([np.frombuffer(ours[key], np.float16) for key in common])
        right = np.stack([np.frombuffer(theirs[key], np.float16) for key in common])
        left, right = left.astype(np.float32), right.astype(np.float32)
        max_difference = float(np.abs(left - right).max())
        cosines = (left * right).sum(axis=1) / (
            np.linalg.norm(left, axis=1) * np.linalg.norm(right, axis=1)
        )
        min_cosine = float(cosines.min())
    return {
        "reference": str(reference),
        "compared": len(common),
        "only_here": len(set(ours) - set(theirs)),
        "only_in_reference": len(set(theirs) - set(ours)),
        "identical": identical,
        "max_component_difference": max_difference,
        "min_cosine": round(min_cosine, 6),
    }


def print_phase(result: dict[str, Any]) -> None:
    low, high = result["load_average_1min"]
    print(
        f"  {result['phase']:<11} {result['vectors_added']:>6} vectors in "
        f"{result['seconds']:.1f} s wall, {result['cpu_seconds']:.1f} s CPU: "
        f"{result['texts_per_second']:.1f} texts/s, "
        f"{result['texts_per_cpu_second']:.1f} texts per CPU second, "
        f"peak {result['peak_memory_mb']:.0f} MB, exit {result['exit_code']}, "
        f"load {low} / {high}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path, help="an imported data directory")
    parser.add_argument(
        "--interrupt-after",
        type=float,
        help="also stop a run after this many seconds, then resume it",
    )
    parser.add_argument(
        "--profile", type=Path, help="write cProfile statistics of the full run here"
    )
    parser.add_argument(
        "--reference",
        type=Path,
        help="compare the vectors of the full run with this data directory's",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    arguments = parser.parse_args()
    if not (arguments.data_dir / "clausewatch.db").is_file():
        raise SystemExit(
            f"no clausewatch.db in {arguments.data_dir}: give a data directory "
            "filled by `clausewatch import` or `clausewatch track`"
        )

    phases = []
    with tempfile.TemporaryDirectory(prefix="clausewatch-bench-embed-") as folder:
        data_dir = Path(folder)
        copy_without_vectors(arguments.data_dir, data_dir)
        texts, characters = texts_to_embed(data_dir)
        phases.append(run_phase("full", data_dir, profile=arguments.profile))
        if phases[0]["vectors_added"] != texts:
            print(
                f"warning: the full run stored {phases[0]['vectors_added']} vectors "
                f"for {texts} texts",
                file=sys.stderr,
            )
        comparison = None
        if arguments.reference is not None:
            comparison = compare_vectors(data_dir, arguments.reference)
        phases.append(run_phase("rerun", data_dir))
        if arguments.interrupt_after is not None:
            copy_without_vectors(arguments.data_dir, data_dir)
            phases.append(
                run_phase(
                    "interrupted", data_dir, interrupt_after=arguments.interrupt_after
                )
            )
            phases.append(run_phase("resumed", data_dir))

    report = {
        "data_dir": str(arguments.data_dir),
        "texts": texts,
        "characters": characters,
        "cpus": os.cpu_count(),
        "phases": phases,
        "comparison": comparison,
    }
    if arguments.json:
        print(json.dumps(report, indent=1))
        return
    print(
        f"{arguments.data_dir}: {texts} distinct current classified texts, "
        f"{characters} characters, {os.cpu_count()} CPUs"
    )
    for phase in phases:
        print_phase(phase)
    if comparison is not None:
        print(
            f"  against {comparison['reference']}: {comparison['identical']} of "
            f"{comparison['compared']} vectors identical, largest component "
            f"difference {comparison['max_component_difference']:.2g}, lowest "
            f"cosine {comparison['min_cosine']}; {comparison['only_here']} only "
            f"here, {comparison['only_in_reference']} only in the reference"
        )


if __name__ == "__main__":
    main()
