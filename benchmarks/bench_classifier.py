"""Benchmark the clause classifier: train, score the validation split, time it.

Trains one model on the training documents of every labelled data set, with the same
document-level split that ``clausewatch train`` uses. It then prints, for each data
set, per-label precision, recall and F1 and the micro and macro averages, followed by
the throughput in texts per second on two CPU cores and the peak resident memory.

    python benchmarks/bench_classifier.py LABELS_DIR [--seed N] [--model M] [--json]
    python benchmarks/bench_classifier.py LABELS_DIR --folds 5 [--model M] [--json]

LABELS_DIR contains one folder per data set (``claudette_en/claudette_en.jsonl`` ...).
``--model accurate`` trains the model that stacks sentence embeddings on the linear
scores; its throughput is measured on fewer texts, since it is far slower.

``--folds N`` cross-validates instead: every document of each set is held out once,
one model is trained per fold on the other documents, and the report gives each
fold's macro- and micro-F1, their mean and standard deviation, and per-label F1 over
the pooled predictions of all folds. ``--seed`` then seeds the fold assignment.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console

from clausewatch.classify import (
    DEFAULT_SEED,
    Classifier,
    available_datasets,
    evaluate,
    load_patterns,
    train,
)
from clausewatch.classify.crossval import cross_validate
from clausewatch.settings import Settings
from clausewatch.taxonomy import default_taxonomy

# Throughput is measured on sentence-sized texts, the unit the 2,000 texts per second
# target is stated in; the CLAUDETTE sentences are used when present.
THROUGHPUT_DATASET = "claudette_en"
THROUGHPUT_TEXTS = {"fast": 10_000, "accurate": 1_000}
THROUGHPUT_RUNS = 3


def pin_to_two_cores() -> list[int]:
    """Restrict this process to the first two CPUs, like ``taskset -c 0,1``."""
    available = sorted(os.sched_getaffinity(0))
    cores = set(available[:2])
    os.sched_setaffinity(0, cores)
    return sorted(cores)


def peak_memory_mib() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_throughput(classifier: Classifier, texts: list[str]) -> dict[str, Any]:
    """Classify ``texts`` in batches of 1,000, three times, and report texts per second.

    Other processes on the machine slow single runs down, so the median and the best
    of the three runs are both reported, with the load average at the end. Texts per
    CPU second (the process's CPU time over all its threads) vary less with the load.
    """
    classifier.classify(texts[:100])  # warm caches before timing
    rates, cpu_rates = [], []
    for _ in range(THROUGHPUT_RUNS):
        started, cpu_started = time.perf_counter(), time.process_time()
        for start in range(0, len(texts), 1000):
            classifier.classify(texts[start : start + 1000])
        rates.append(len(texts) / (time.perf_counter() - started))
        cpu_rates.append(len(texts) / (time.process_time() - cpu_started))
    return {
        "texts": len(texts),
        "texts_per_second": round(statistics.median(rates), 1),
        "best_texts_per_second": round(max(rates), 1),
        "texts_per_cpu_second": round(statistics.median(cpu_rates), 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def throughput_texts(labels_dir: Path, count: int) -> list[str]:
    """Sentence-sized texts for the throughput run, repeated to ``count``."""
    path = labels_dir / THROUGHPUT_DATASET / f"{THROUGHPUT_DATASET}.jsonl"
    with path.open(encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle if line.strip()]
    repeats = count // len(texts) + 1
    return (texts * repeats)[:count]


def run(
    labels_dir: Path, seed: int, include_fallback: bool, model: str = "fast"
) -> dict[str, Any]:
    """Train, evaluate every data set and measure throughput; return the results."""
    cores = pin_to_two_cores()
    results: dict[str, Any] = {"seed": seed, "cores": cores, "model": model}
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir))
        report = train(labels_dir, settings.model_dir, seed=seed, model=model)
        results["train"] = {
            "seconds": round(report.seconds, 1),
            "version": report.version,
        }
        results["train"]["datasets"] = report.datasets
        stacked = sorted(fit.target for fit in report.stacked)
        results["train"]["stacked_targets"] = stacked
        classifier = Classifier.load(settings)
        results["evaluations"] = {
            name: evaluate(labels_dir / name, classifier).to_dict()
            for name in available_datasets(labels_dir)
        }
        results["throughput"] = measure_throughput(
            classifier, throughput_texts(labels_dir, THROUGHPUT_TEXTS[model])
        )
    if include_fallback:
        taxonomy = default_taxonomy()
        patterns = load_patterns(known_types=taxonomy.clause_types)
        fallback = Classifier.from_examples(taxonomy, patterns, threshold=0.5)
        results["fallback"] = {
            name: evaluate(labels_dir / name, fallback, seed=seed).to_dict()
            for name in available_datasets(labels_dir)
        }
        results["fallback_throughput"] = measure_throughput(
            fallback, throughput_texts(labels_dir, THROUGHPUT_TEXTS["fast"])
        )
    results["peak_memory_mib"] = round(peak_memory_mib(), 1)
    return results


def print_results(results: dict[str, Any], console: Console) -> None:
    """Print per-label tables and a summary line per data set."""
    console.print(
        f"{results['model']} model, seed {results['seed']}, cores {results['cores']}, "
        f"trained {results['train']['version']} in {results['train']['seconds']} s"
    )
    for name, evaluation in results["evaluations"].items():
        console.print(f"\n[bold]{name}[/bold]: {evaluation['records']} texts")
        for space, scores in evaluation["spaces"].items():
            console.print(f"  {space} ({scores['method']})")
            for label, metrics in scores["labels"].items():
                console.print(
                    f"    {label[:48]:<48} P {100 * metrics['precision']:5.1f} "
                    f"R {100 * metrics['recall']:5.1f} F1 {100 * metrics['f1']:5.1f} "
                    f"n {metrics['support']}"
                )
            micro, macro = scores["micro"], scores["macro"]
            console.print(
                f"    micro F1 {100 * micro['f1']:.1f}  "
                f"macro F1 {100 * macro['f1']:.1f}"
            )
        for key, value in evaluation["accuracy"].items():
            console.print(f"  accuracy, {key}: {100 * value:.1f}")
    throughput = results["throughput"]
    console.print(
        f"\nthroughput: median {throughput['texts_per_second']:.0f} texts/s, best "
        f"{throughput['best_texts_per_second']:.0f}, "
        f"{throughput['texts_per_cpu_second']:.0f} per CPU second "
        f"({throughput['texts']} sentences, "
        f"{len(results['cores'])} cores, load average "
        f"{throughput['load_average_1min']})"
    )
    if "fallback_throughput" in results:
        fallback = results["fallback_throughput"]["texts_per_second"]
        console.print(f"fallback throughput: {fallback:.0f} texts/s")
    console.print(f"peak memory: {results['peak_memory_mib']:.0f} MiB")


def run_cross_validation(
    labels_dir: Path, folds: int, seed: int, model: str
) -> dict[str, Any]:
    """Cross-validate by document on two cores; return the report as a dict."""
    cores = pin_to_two_cores()
    started = time.perf_counter()
    report = cross_validate(labels_dir, folds=folds, seed=seed, model=model)
    results = report.to_dict()
    results["cores"] = cores
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["peak_memory_mib"] = round(peak_memory_mib(), 1)
    return results


def print_cross_validation(results: dict[str, Any], console: Console) -> None:
    """Print fold figures, their mean and SD, and pooled per-label F1 per data set."""
    console.print(
        f"{results['model']} model, {results['folds']} folds by document, seed "
        f"{results['seed']}, {results['seconds']} s on cores {results['cores']}"
    )
    for name, spaces in results["summary"].items():
        console.print(f"\n[bold]{name}[/bold]")
        for space, figures in spaces.items():
            console.print(f"  {space}")
            for figure, spread in figures.items():
                folds = " ".join(f"{100 * value:5.1f}" for value in spread["folds"])
                console.print(
                    f"    {figure:<24} {100 * spread['mean']:5.1f} ± "
                    f"{100 * spread['sd']:4.1f}   folds {folds}"
                )
            pooled = results["pooled"][name][space]
            for label, metrics in pooled["labels"].items():
                console.print(
                    f"    pooled {label[:41]:<41} F1 {100 * metrics['f1']:5.1f} "
                    f"n {metrics['support']}"
                )
            console.print(
                f"    pooled macro F1 {100 * pooled['macro']['f1']:.1f}  "
                f"micro F1 {100 * pooled['micro']['f1']:.1f}"
            )
            if "macro_with_no_label" in pooled:
                console.print(
                    "    pooled macro F1 with the no-label class "
                    f"{100 * pooled['macro_with_no_label']['f1']:.1f}"
                )
    console.print(f"peak memory: {results['peak_memory_mib']:.0f} MiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels_dir", type=Path, help="folder of labelled data sets")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="seed of the document split"
    )
    parser.add_argument(
        "--fallback",
        action="store_true",
        help="also score the classifier built from patterns and taxonomy examples",
    )
    parser.add_argument(
        "--model",
        choices=("fast", "accurate"),
        default="fast",
        help="model to train: the linear model, or it plus sentence embeddings",
    )
    parser.add_argument(
        "--folds",
        type=int,
        help="cross-validate by document with this many folds (one model each)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args(argv)

    if args.folds is not None:
        results = run_cross_validation(
            args.labels_dir, args.folds, args.seed, args.model
        )
        if args.json:
            json.dump(results, sys.stdout, indent=2)
            sys.stdout.write("\n")
        else:
            print_cross_validation(results, Console())
        return 0

    results = run(args.labels_dir, args.seed, args.fallback, args.model)
    if args.json:
        json.dump(results, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print_results(results, Console())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
