"""Benchmark contact extraction against an earlier commit and check equal results.

Every version of an Open Terms Archive corpus is normalized as the import normalizes
it, then given to ``extract_contacts`` with the base URL of its document's declaration
(None when the bundled catalog does not declare the document). Two child processes run
the extraction: one with the ``src`` folder of the baseline commit (taken out with
``git archive`` into a temporary folder) and one with this working tree's. Each reports
the CPU time of the extraction alone, the best of ``--repeat`` rounds, and its results.
The script then counts the versions whose contacts (kind, value, context, in rank
order) differ, which must be 0 when the change only makes extraction faster.

    python benchmarks/bench_contacts.py [CORPUS] [--baseline REV] [--repeat N]
        [--latest] [--json]

CORPUS defaults to the corpus the tests use (see tests/conftest.py). REV defaults to
HEAD, so run it with a commit from before the change being measured. --latest keeps
only the newest version of each document, the text that tracking reads contacts from.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

from measurements import shared_data_path

REPOSITORY = Path(__file__).resolve().parents[1]


# -- the child process: one extraction implementation ---------------------------------


def extract_in_this_process(inputs: Path, output: Path, repeat: int) -> None:
    """Extract contacts from every input text and write the results and CPU time."""
    import clausewatch
    from clausewatch.analysis import extract_contacts

    documents = json.loads(inputs.read_text(encoding="utf-8"))
    rounds: list[float] = []
    results: list[list[list[str]]] = []
    for _ in range(repeat):
        started = time.process_time()
        results = [
            [
                [contact.kind, contact.value, contact.context]
                for contact in extract_contacts(
                    document["markdown"], base_url=document["base_url"]
                )
            ]
            for document in documents
        ]
        rounds.append(time.process_time() - started)
    report = {
        "package": str(Path(clausewatch.__file__).parent),
        "cpu_seconds": rounds,
        "results": results,
    }
    output.write_text(json.dumps(report), encoding="utf-8")


# -- the parent process ---------------------------------------------------------------


def load_inputs(corpus: Path, *, latest: bool) -> list[dict[str, Any]]:
    """Read and normalize the versions, with their document's declared base URL."""
    sys.path.insert(0, str(REPOSITORY / "src"))
    from clausewatch.declarations import load_catalog
    from clausewatch.extract import normalize_markdown
    from clausewatch.tracking.history_import import catalog_index
    from clausewatch.tracking.slugs import platform_slug

    catalog = catalog_index(load_catalog())
    documents = []
    # Layout: <service>/<terms type>/<capture time>.md, so sorting puts each
    # document's newest version last.
    paths = sorted(corpus.glob("*/*/*.md"))
    if latest:
        paths = list({path.parent: path for path in paths}.values())
    for path in paths:
        service, terms_type = path.parent.parent.name, path.parent.name
        platform = catalog.get(platform_slug(service))
        declared = platform.document(terms_type) if platform else None
        base_url = declared.pages[0].url if declared and declared.pages else None
        documents.append(
            {
                "path": str(path.relative_to(corpus)),
                "base_url": base_url,
                "markdown": normalize_markdown(path.read_text(encoding="utf-8")),
            }
        )
    return documents


def export_source(revision: str, folder: Path) -> Path:
    """Write the ``src`` folder of a commit into ``folder`` and return its path."""
    folder.mkdir()
    archive = folder / "src.tar"
    subprocess.run(
        ["git", "-C", str(REPOSITORY), "archive", "-o", str(archive), revision, "src"],
        check=True,
    )
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


def run_child(source: Path, inputs: Path, output: Path, repeat: int) -> dict[str, Any]:
    """Run the extraction with the package under ``source`` in a new process."""
    environment = {**os.environ, "PYTHONPATH": str(source)}
    command = [
        sys.executable,
        __file__,
        "--child",
        str(inputs),
        "--output",
        str(output),
        "--repeat",
        str(repeat),
    ]
    subprocess.run(command, env=environment, check=True)
    report: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    expected = (source / "clausewatch").resolve()
    if Path(report["package"]).resolve() != expected:
        raise SystemExit(
            f"the child imported clausewatch from {report['package']}, not from "
            f"{expected}; check that no other copy shadows PYTHONPATH"
        )
    return report


def differing_documents(
    documents: list[dict[str, Any]], old: dict[str, Any], new: dict[str, Any]
) -> list[str]:
    return [
        document["path"]
        for document, before, after in zip(
            documents, old["results"], new["results"], strict=True
        )
        if before != after
    ]


def compare(
    corpus: Path, revision: str, repeat: int, *, latest: bool
) -> dict[str, Any]:
    documents = load_inputs(corpus, latest=latest)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="clausewatch-bench-contacts-") as name:
        folder = Path(name)
        inputs = folder / "inputs.json"
        inputs.write_text(json.dumps(documents), encoding="utf-8")
        old_source = export_source(revision, folder / "baseline")
        old = run_child(old_source, inputs, folder / "old.json", repeat)
        new = run_child(REPOSITORY / "src", inputs, folder / "new.json", repeat)
    load_after = os.getloadavg()[0]
    differing = differing_documents(documents, old, new)
    return {
        "baseline": revision,
        "versions": len(documents),
        "with_base_url": sum(1 for document in documents if document["base_url"]),
        "contacts_found": sum(len(result) for result in new["results"]),
        "repeat": repeat,
        "baseline_cpu_seconds": round(min(old["cpu_seconds"]), 3),
        "current_cpu_seconds": round(min(new["cpu_seconds"]), 3),
        "speed_up": round(min(old["cpu_seconds"]) / min(new["cpu_seconds"]), 2),
        "differing_versions": len(differing),
        "differing_paths": differing,
        "load_average_1min": [round(load_before, 2), round(load_after, 2)],
    }


def print_result(result: dict[str, Any]) -> None:
    print(
        f"{result['versions']} versions ({result['with_base_url']} with a base URL), "
        f"{result['contacts_found']} contacts found"
    )
    print(
        f"  extraction CPU, best of {result['repeat']}: baseline "
        f"{result['baseline']} {result['baseline_cpu_seconds']:.2f} s, "
        f"working tree {result['current_cpu_seconds']:.2f} s "
        f"({result['speed_up']:.1f}x)"
    )
    print(f"  versions whose contacts differ: {result['differing_versions']}")
    for path in result["differing_paths"][:20]:
        print(f"    {path}")
    low, high = result["load_average_1min"]
    print(f"  1-minute load average before and after: {low} / {high}")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "corpus",
        nargs="?",
        type=Path,
        help="Open Terms Archive versions folder (default: the corpus the tests use)",
    )
    parser.add_argument(
        "--baseline",
        default="HEAD",
        help="commit whose extraction is the reference (default: HEAD)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="extraction rounds per implementation; the fastest counts (default: 3)",
    )
    parser.add_argument(
        "--latest",
        action="store_true",
        help="use only the newest version of each document",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    if arguments.child is not None:
        extract_in_this_process(arguments.child, arguments.output, arguments.repeat)
        return
    corpus = arguments.corpus or shared_data_path("corpus", "ota")
    if corpus is None:
        raise SystemExit(
            "corpus not found; pass the folder of an Open Terms Archive history"
        )
    result = compare(
        corpus, arguments.baseline, arguments.repeat, latest=arguments.latest
    )
    if arguments.json:
        print(json.dumps(result, indent=2))
    else:
        print_result(result)
    if result["differing_versions"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
