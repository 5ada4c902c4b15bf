"""Compare the Markdown converter with the markdownify conversion it replaced.

Extraction converts HTML to Markdown with ``clausewatch.extract.markdown``; earlier
releases used markdownify 1.2.3 on BeautifulSoup, kept as a reference in
``tests/markdownify_reference.py``. A page whose Markdown changes would look like a
new version of its document after an upgrade, so this script extracts the same pages
with both and reports how many give identical normalized Markdown:

- bench: the benchmark pages of serve_corpus.py on 127.0.0.1, in its base and
  changed states, with the declarations bench_tracking.py writes (select
  ``main#content``, remove ``#cookie-banner`` and ``.breadcrumb``);
- corpus: the corpus's Markdown files rendered to HTML with Python-Markdown, once
  with the tables extension and once with the "extra" extensions and sane lists;
- tests: every element the extraction and tracking tests convert in this process.

It also measures the CPU time of extracting the base-state bench pages with each.

    python benchmarks/compare_markdown.py [--sources bench corpus tests]
        [--corpus-step N] [--repeats 3] [--show 3] [--json]
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import statistics
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench_tracking import REMOVE, SELECT, free_port, get, start_server
from measurements import REPOSITORY, shared_data_path

sys.path.insert(0, str(REPOSITORY))

from tests.markdownify_reference import reference_markdown  # noqa: E402

import clausewatch.extract.html as html_extraction  # noqa: E402
from clausewatch.errors import ExtractionError  # noqa: E402
from clausewatch.extract import extract_content, extract_html  # noqa: E402
from clausewatch.extract.normalize import normalize_markdown  # noqa: E402

URL = "http://127.0.0.1/policy"
STATES = ("base", "changed")
# The test modules whose pages go through HTML extraction in the test process.
TEST_MODULES = [
    "tests/test_extract_html.py",
    "tests/test_extract_content.py",
    "tests/test_extract_corpus.py",
    "tests/test_declarations_selectors.py",
    "tests/test_track.py",
]


def old_to_markdown(element: Any) -> str:
    """Convert as extraction did before: the element and its tail, by markdownify."""
    return reference_markdown(element, include_tail=True)


@contextmanager
def converting_with(convert: Callable[[Any], str]) -> Iterator[None]:
    """Make HTML extraction convert elements with ``convert`` inside the block."""
    original = html_extraction._to_markdown
    html_extraction._to_markdown = convert
    try:
        yield
    finally:
        html_extraction._to_markdown = original


@dataclass
class Comparison:
    """Pages compared from one source, and the first differences found."""

    name: str
    pages: int = 0
    identical: int = 0
    differences: list[dict[str, str]] = field(default_factory=list)

    def add(self, page: str, old: str, new: str) -> None:
        self.pages += 1
        if old == new:
            self.identical += 1
            return
        diff = difflib.unified_diff(
            old.splitlines(), new.splitlines(), "markdownify", "clausewatch", n=1
        )
        self.differences.append({"page": page, "diff": "\n".join(diff)})

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.name,
            "pages": self.pages,
            "identical": self.identical,
            "different": [difference["page"] for difference in self.differences],
        }


def extracted_or_error(extract: Callable[[], str]) -> str:
    """Return the extracted Markdown, or the extraction error as text."""
    try:
        return extract()
    except ExtractionError as error:
        return f"ExtractionError: {error}"


def compare_extraction(
    comparison: Comparison, page: str, extract: Callable[[], str]
) -> None:
    with converting_with(old_to_markdown):
        old = extracted_or_error(extract)
    new = extracted_or_error(extract)
    comparison.add(page, old, new)


# -- the benchmark pages ---------------------------------------------------------------


@dataclass(frozen=True)
class BenchPage:
    name: str
    url: str
    body: bytes
    content_type: str

    def extract(self) -> str:
        return extract_content(
            self.body,
            content_type=self.content_type,
            text=None,
            url=self.url,
            select=SELECT,
            remove=REMOVE,
        ).markdown


def fetch_bench_pages(base: str, state: str) -> list[BenchPage]:
    get(f"{base}/__bench/state/{state}")
    manifest = json.loads(get(f"{base}/__bench/manifest.json"))
    pages = []
    for entry in manifest["documents"]:
        url = entry["url"]
        with urllib.request.urlopen(url, timeout=10) as response:
            content_type = response.headers.get("Content-Type", "text/html")
            body = bytes(response.read())
        name = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
        pages.append(BenchPage(f"{state} {name}", url, body, content_type))
    return pages


def compare_bench(server: Path) -> tuple[list[Comparison], list[BenchPage]]:
    port = free_port()
    process = start_server(server, port)
    base = f"http://127.0.0.1:{port}"
    try:
        states = {state: fetch_bench_pages(base, state) for state in STATES}
        get(f"{base}/__bench/state/base")
    finally:
        process.terminate()
        process.wait(timeout=30)
    comparisons = []
    for state, pages in states.items():
        comparison = Comparison(f"bench {state}")
        for page in pages:
            compare_extraction(comparison, page.name, page.extract)
        comparisons.append(comparison)
    return comparisons, states["base"]


class TimedConverter:
    """A converter that adds up the CPU time spent in it."""

    def __init__(self, convert: Callable[[Any], str]) -> None:
        self.convert = convert
        self.seconds = 0.0

    def __call__(self, element: Any) -> str:
        started = time.process_time()
        try:
            return self.convert(element)
        finally:
            self.seconds += time.process_time() - started


def time_extraction(pages: list[BenchPage], repeats: int) -> dict[str, Any]:
    """Return the median CPU seconds of extracting every page with each converter."""
    converters = {
        "markdownify": old_to_markdown,
        "clausewatch": html_extraction._to_markdown,
    }
    extraction: dict[str, list[float]] = {name: [] for name in converters}
    conversion: dict[str, list[float]] = {name: [] for name in converters}
    for _ in range(repeats):
        for name, convert in converters.items():
            timed = TimedConverter(convert)
            with converting_with(timed):
                started = time.process_time()
                for page in pages:
                    page.extract()
                extraction[name].append(time.process_time() - started)
            conversion[name].append(timed.seconds)
    return {
        "pages": len(pages),
        "repeats": repeats,
        "extraction_cpu_seconds": {
            name: round(statistics.median(values), 3)
            for name, values in extraction.items()
        },
        "conversion_cpu_seconds": {
            name: round(statistics.median(values), 3)
            for name, values in conversion.items()
        },
    }


# -- the corpus rendered to HTML -------------------------------------------------------

RENDERINGS = {
    "tables": ["tables"],
    "extra": ["extra", "sane_lists"],
}


def compare_corpus(corpus: Path, step: int) -> list[Comparison]:
    import markdown as python_markdown

    files = sorted(corpus.glob("*/*/*.md"))[::step]
    comparisons = []
    for rendering, extensions in RENDERINGS.items():
        comparison = Comparison(f"corpus ({rendering})")
        for file in files:
            text = file.read_text(encoding="utf-8")
            body = python_markdown.markdown(text, extensions=extensions)
            page = f"<html><body><main>{body}</main></body></html>"
            name = str(file.relative_to(corpus))

            def extract(page: str = page) -> str:
                return extract_html(page, url=URL, select=["main"]).markdown

            compare_extraction(comparison, name, extract)
        comparisons.append(comparison)
    return comparisons


# -- the elements the tests convert ----------------------------------------------------


def compare_tests() -> Comparison:
    import pytest

    comparison = Comparison("tests")
    convert = html_extraction._to_markdown

    def both(element: Any) -> str:
        new = convert(element)
        old = old_to_markdown(element)
        markup = html_extraction.html.tostring(element, encoding="unicode")
        comparison.add(markup[:80], normalize_markdown(old), normalize_markdown(new))
        return new

    modules = [str(REPOSITORY / path) for path in TEST_MODULES]
    with converting_with(both):
        exit_code = pytest.main(["-q", "-p", "no:cacheprovider", *modules])
    if exit_code not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        print(f"note: the tests exited with {exit_code}", file=sys.stderr)
    return comparison


# -- report ----------------------------------------------------------------------------


def print_report(
    comparisons: list[Comparison], timing: dict[str, Any] | None, show: int
) -> None:
    for comparison in comparisons:
        print(
            f"{comparison.name:<18} {comparison.identical:5d} of "
            f"{comparison.pages:5d} identical"
        )
    for comparison in comparisons:
        for difference in comparison.differences[:show]:
            print(f"\n--- {comparison.name}: {difference['page']}")
            print(difference["diff"][:3000])
    if timing is not None:
        extraction = timing["extraction_cpu_seconds"]
        conversion = timing["conversion_cpu_seconds"]
        print(
            f"\nCPU seconds for the {timing['pages']} base-state bench pages, median "
            f"of {timing['repeats']}: extraction {extraction['markdownify']:.2f} with "
            f"markdownify, {extraction['clausewatch']:.2f} with clausewatch; "
            f"conversion alone {conversion['markdownify']:.2f} and "
            f"{conversion['clausewatch']:.2f}"
        )
    print(f"1-minute load average: {os.getloadavg()[0]:.2f}")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sources",
        nargs="+",
        choices=["bench", "corpus", "tests"],
        default=["bench", "corpus", "tests"],
        help="what to compare (default: all)",
    )
    parser.add_argument(
        "--server", type=Path, help="serve_corpus.py (default: beside the test data)"
    )
    parser.add_argument(
        "--corpus-step",
        type=int,
        default=1,
        help="compare every this-many-th corpus file (default 1: all of them)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="timed extractions of the bench pages with each converter (default 3, "
        "and 0 skips the timing)",
    )
    parser.add_argument(
        "--show", type=int, default=3, help="differences shown per source (default 3)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    comparisons: list[Comparison] = []
    timing = None
    if "bench" in arguments.sources:
        server = arguments.server or shared_data_path("bench", "serve_corpus.py")
        if server is None or not server.is_file():
            raise SystemExit(
                f"benchmark page server not found at {server}: give it with --server"
            )
        bench, base_pages = compare_bench(server)
        comparisons.extend(bench)
        if arguments.repeats > 0:
            timing = time_extraction(base_pages, arguments.repeats)
    if "corpus" in arguments.sources:
        corpus = shared_data_path("corpus", "ota")
        if corpus is None:
            raise SystemExit(
                "corpus not found: set CLAUSEWATCH_TEST_DATA to the test data folder"
            )
        comparisons.extend(compare_corpus(corpus, arguments.corpus_step))
    if "tests" in arguments.sources:
        comparisons.append(compare_tests())

    if arguments.json:
        report = {
            "comparisons": [comparison.as_dict() for comparison in comparisons],
            "timing": timing,
            "load_average_1min": round(os.getloadavg()[0], 2),
        }
        print(json.dumps(report, indent=1))
    else:
        print_report(comparisons, timing, arguments.show)


if __name__ == "__main__":
    main()
