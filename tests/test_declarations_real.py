"""Each real Open Terms Archive declaration loads or is rejected for a stated reason."""

from __future__ import annotations

import functools
import json
from collections import Counter
from pathlib import Path

import pytest

from clausewatch.declarations import (
    DeclarationSet,
    RangeSelector,
    UnsupportedFeatureError,
    css_to_xpath,
    load_declarations,
)

FOLDERS = ("contrib", "genai-eu", "genai-contrib")


def raw_declarations(folder: Path) -> dict[str, dict[str, object]]:
    """Parse the current declaration files of a folder without clausewatch."""
    return {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.json"))
        if not path.name.endswith(".history.json")
    }


def raw_documents(declaration: dict[str, object]) -> dict[str, dict[str, object]]:
    terms = declaration.get("terms", declaration.get("documents"))
    assert isinstance(terms, dict)
    return terms


@functools.cache
def load_folder(folder: Path) -> DeclarationSet:
    return load_declarations(folder)


def test_every_document_loads_or_is_rejected(declarations_dir: Path) -> None:
    total = loaded = rejected = services = 0
    reasons: Counter[str] = Counter()
    for name in FOLDERS:
        folder = declarations_dir / name
        raw = raw_declarations(folder)
        declarations = load_folder(folder)

        services += len(raw)
        total += sum(len(raw_documents(item)) for item in raw.values())
        loaded += sum(len(platform.documents) for platform in declarations.platforms)
        rejected += len(declarations.errors)
        for error in declarations.errors:
            reason = (
                "JavaScript filter" if "JavaScript filters" in str(error) else "other"
            )
            reasons[reason] += 1

    print(
        f"\nreal declarations: {services} services, {total} documents, "
        f"{loaded} loaded, {rejected} rejected {dict(reasons)}"
    )
    assert services == 439
    assert total == 1013
    assert loaded + rejected == total
    assert set(reasons) == {"JavaScript filter"}
    assert rejected < 70


@pytest.mark.parametrize("name", FOLDERS)
def test_refusals_name_file_and_type(declarations_dir: Path, name: str) -> None:
    declarations = load_folder(declarations_dir / name)

    for error in declarations.errors:
        assert isinstance(error, UnsupportedFeatureError)
        assert error.terms_type
        assert str(error.source) in str(error)
        assert error.terms_type in str(error)
        assert "which clausewatch cannot run" in str(error)


@pytest.mark.parametrize("name", FOLDERS)
def test_every_service_is_kept(declarations_dir: Path, name: str) -> None:
    folder = declarations_dir / name
    raw = raw_declarations(folder)
    declarations = load_folder(folder)

    rejected_files = {
        error.source.name
        for error in declarations.errors
        if isinstance(error, UnsupportedFeatureError)
    }
    kept_files = {platform.source.name for platform in declarations.platforms}
    fully_rejected = {
        file
        for file, item in raw.items()
        if file not in kept_files and raw_documents(item)
    }
    assert kept_files | fully_rejected == set(raw)
    assert fully_rejected <= rejected_files


@pytest.mark.parametrize("name", FOLDERS)
def test_documents_without_select_are_pdfs(declarations_dir: Path, name: str) -> None:
    declarations = load_folder(declarations_dir / name)

    for platform in declarations.platforms:
        for document in platform.documents:
            for page in document.pages:
                assert page.select or page.pdf, (platform.source, document.terms_type)


def test_combined_document_shares_options(declarations_dir: Path) -> None:
    declarations = load_folder(declarations_dir / "genai-eu")
    [chatgpt] = [item for item in declarations.platforms if item.id == "chatgpt"]

    terms = chatgpt.document("Terms of Service")

    assert terms is not None
    assert len(terms.pages) == 2
    assert all(page.select == ("main",) for page in terms.pages)
    assert all(page.browser for page in terms.pages)


def raw_selectors(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [str(bound) for bound in value.values()]
    if isinstance(value, list):
        return [css for item in value for css in raw_selectors(item)]
    return []


def test_every_css_selector_compiles(declarations_dir: Path) -> None:
    selectors = set()
    for name in FOLDERS:
        for declaration in raw_declarations(declarations_dir / name).values():
            for document in raw_documents(declaration).values():
                entries = [document, *document.get("combine", [])]  # type: ignore[list-item]
                for entry in entries:
                    for key in ("select", "remove"):
                        selectors.update(raw_selectors(entry.get(key)))

    failures = {}
    for selector in sorted(selectors):
        try:
            css_to_xpath(selector)
        except ValueError as error:
            failures[selector] = str(error)

    print(f"\n{len(selectors)} distinct CSS selectors, {len(failures)} fail")
    assert len(selectors) > 500
    assert failures == {}


def test_range_selectors_loaded(declarations_dir: Path) -> None:
    ranges = [
        selector
        for name in FOLDERS
        for platform in load_folder(declarations_dir / name).platforms
        for document in platform.documents
        for page in document.pages
        for selector in page.select + page.remove
        if isinstance(selector, RangeSelector)
    ]

    assert len(ranges) > 50
    for selector in ranges:
        starts = [selector.start_before, selector.start_after]
        ends = [selector.end_before, selector.end_after]
        assert sum(bound is not None for bound in starts) == 1
        assert sum(bound is not None for bound in ends) == 1
