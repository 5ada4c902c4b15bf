"""Time the classifier of a data directory on labelled sentences, without training.

    python benchmarks/bench_classify_speed.py DATA_DIR JSONL [--texts 10000]

DATA_DIR is a clausewatch data directory: its trained model is used, or the fallback
built from patterns and taxonomy examples when it has none. JSONL is a labelled data
set whose ``text`` fields are classified in batches of 1,000, as `clausewatch classify`
does. The script runs on two pinned CPUs and prints texts per second of wall-clock and
of CPU time for three runs, with the load average. To compare two versions of the
code, run it alternately with PYTHONPATH set to each checkout's src.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from measurements import cpu_seconds, peak_memory_mb

BATCH = 1000
RUNS = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("jsonl", type=Path)
    parser.add_argument("--texts", type=int, default=10_000)
    arguments = parser.parse_args()
    os.sched_setaffinity(0, {0, 1})
    os.environ["CLAUSEWATCH_DATA_DIR"] = str(arguments.data_dir)

    from clausewatch.classify import Classifier
    from clausewatch.settings import load_settings

    with arguments.jsonl.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines][: arguments.texts]
    started = time.perf_counter()
    classifier = Classifier.load(load_settings())
    load_seconds = time.perf_counter() - started
    # The first call pays for lazy imports and caches; it is not timed.
    classifier.classify(texts[:200])
    runs = []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), cpu_seconds()
        for start in range(0, len(texts), BATCH):
            classifier.classify(texts[start : start + BATCH])
        wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
        runs.append(
            {
                "texts_per_second": round(len(texts) / wall),
                "texts_per_cpu_second": round(len(texts) / cpu),
                "load_average": round(os.getloadavg()[0], 1),
            }
        )
    print(
        json.dumps(
            {
                "model": classifier.version,
                "texts": len(texts),
                "load_seconds": round(load_seconds, 2),
                "runs": runs,
                "peak_memory_mb": round(peak_memory_mb()),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
