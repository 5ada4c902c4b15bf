"""Reader of clausewatch's own declaration format (YAML or JSON), one platform a file.

    id: character-ai            # optional; default: the slug of the file name
    name: Character.AI
    category: ai                # optional; one of CATEGORIES
    aliases: [Character AI]     # optional; names other records (histories) use
    documents:
      Privacy Policy: https://policies.character.ai/privacy
      Terms of Service:
        url: https://policies.character.ai/tos
        select: ["main"]        # CSS selectors or {start_before: ..., end_before: ...}
        remove: [".cookie-banner"]
        browser: true           # the page needs JavaScript to show its text
      Acceptable Use Policy:
        urls:                   # several pages joined in order into one document
          - https://example.com/usage
          - {url: https://example.com/terms.pdf, pdf: true}

``select``, ``remove``, ``browser`` and ``pdf`` set beside ``urls`` apply to every page
that does not set its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from clausewatch.declarations.diagnostics import MISSING, FieldPath, Problems
from clausewatch.declarations.fields import (
    PageOptions,
    Scope,
    check_keys,
    derive_platform_id,
    read_bool,
    read_mapping,
    read_selectors,
    read_terms_type,
    read_url,
)
from clausewatch.declarations.model import (
    CATEGORIES,
    PLATFORM_ID_PATTERN,
    DocumentDeclaration,
    PlatformDeclaration,
    SourcePage,
    slugify_platform_id,
)

RANGE_KEYS = {
    "start_before": "start_before",
    "start_after": "start_after",
    "end_before": "end_before",
    "end_after": "end_after",
}
_PLATFORM_KEYS = ("id", "name", "category", "aliases", "documents")
_PAGE_KEYS = ("url", "select", "remove", "browser", "pdf")
_DOCUMENT_KEYS = (*_PAGE_KEYS, "urls")


def read_native_platform(
    data: Mapping[str, object], source: Path, problems: Problems
) -> PlatformDeclaration:
    """Read a platform; documents with problems are left out and recorded."""
    scope = Scope(problems)
    root = FieldPath()
    check_keys(scope, data, _PLATFORM_KEYS, root)

    name = data.get("name", MISSING)
    if not isinstance(name, str) or not name.strip():
        scope.invalid(
            root / "name", name, "missing platform name", "add name: <display name>"
        )
        name = source.stem
    platform_id = _read_id(scope, data.get("id", MISSING), source)
    category = _read_category(scope, data.get("category"))
    aliases = _read_aliases(scope, data.get("aliases"))

    entries: Mapping[str, object] | None = None
    if "documents" in data:
        entries = read_mapping(scope, data["documents"], root / "documents")
    if entries is not None and not entries:
        scope.invalid(
            root / "documents",
            entries,
            "no documents declared",
            "declare at least a Privacy Policy or Terms of Service URL",
        )
    elif "documents" not in data:
        scope.invalid(
            root / "documents",
            MISSING,
            "missing documents",
            "add documents: with at least a Privacy Policy or Terms of Service URL",
        )
    documents = []
    for terms_type, entry in (entries or {}).items():
        path = root / "documents" / terms_type
        document = _read_document(problems, terms_type, entry, path)
        if document is not None:
            documents.append(document)
    return PlatformDeclaration(
        id=platform_id,
        name=str(name).strip(),
        category=category,
        documents=tuple(documents),
        source=source,
        aliases=aliases,
        id_from_file_name="id" not in data,
    )


def _read_id(scope: Scope, value: object, source: Path) -> str:
    if value is MISSING:
        return derive_platform_id(scope, source)
    if isinstance(value, str) and PLATFORM_ID_PATTERN.match(value):
        return value
    suggestion = slugify_platform_id(value) if isinstance(value, str) else ""
    example = f'"{suggestion}"' if suggestion else '"character-ai"'
    scope.invalid(
        FieldPath(("id",)),
        value,
        "invalid platform id",
        f"use lower-case letters, digits and single hyphens, e.g. {example}",
    )
    return derive_platform_id(scope, source)


def _read_aliases(scope: Scope, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list) and all(
        isinstance(item, str) and item.strip() for item in value
    ):
        return tuple(item.strip() for item in value)
    scope.invalid(
        FieldPath(("aliases",)),
        value,
        "invalid aliases",
        'use a list of names, e.g. aliases: ["ChatGPT"]',
    )
    return ()


def _read_category(scope: Scope, value: object) -> str | None:
    if value is None or value in CATEGORIES:
        return value if isinstance(value, str) else None
    scope.invalid(
        FieldPath(("category",)),
        value,
        "unknown category",
        f"use one of {', '.join(CATEGORIES)}",
    )
    return None


def _read_document(
    problems: Problems, terms_type: str, value: object, path: FieldPath
) -> DocumentDeclaration | None:
    scope = Scope(problems, terms_type)
    errors_before = len(problems.errors)
    if read_terms_type(scope, terms_type, path) is None:
        return None
    if value is None or isinstance(value, str):
        url = read_url(scope, MISSING if value is None else value, path)
        pages = [PageOptions().page(url)] if url is not None else []
    else:
        pages = _read_pages(scope, value, path)
    if len(problems.errors) > errors_before:
        return None
    return DocumentDeclaration(terms_type=terms_type, pages=tuple(pages))


def _read_pages(scope: Scope, value: object, path: FieldPath) -> list[SourcePage]:
    mapping = read_mapping(scope, value, path)
    if mapping is None:
        return []
    check_keys(scope, mapping, _DOCUMENT_KEYS, path)
    shared = _read_options(scope, mapping, path)

    if "urls" not in mapping:
        url = read_url(scope, mapping.get("url", MISSING), path / "url")
        return [shared.page(url)] if url is not None else []
    if "url" in mapping:
        scope.invalid(
            path / "url",
            mapping["url"],
            'both "url" and "urls" are set',
            'move the URL into the "urls" list',
        )
    entries = mapping["urls"]
    if not isinstance(entries, list) or not entries:
        scope.invalid(
            path / "urls", entries, "expected a non-empty list of URLs", "write [...]"
        )
        return []
    pages = []
    for index, entry in enumerate(entries):
        page = _read_listed_page(scope, entry, path / "urls" / index, shared)
        if page is not None:
            pages.append(page)
    return pages


def _read_listed_page(
    scope: Scope, value: object, path: FieldPath, shared: PageOptions
) -> SourcePage | None:
    if isinstance(value, str):
        url = read_url(scope, value, path)
        return shared.page(url) if url is not None else None
    mapping = read_mapping(scope, value, path)
    if mapping is None:
        return None
    check_keys(scope, mapping, _PAGE_KEYS, path)
    own = _read_options(scope, mapping, path)
    url = read_url(scope, mapping.get("url", MISSING), path / "url")
    return own.over(shared).page(url) if url is not None else None


def _read_options(
    scope: Scope, mapping: Mapping[str, object], path: FieldPath
) -> PageOptions:
    select = remove = browser = pdf = None
    if "select" in mapping:
        select = read_selectors(scope, mapping["select"], path / "select", RANGE_KEYS)
    if "remove" in mapping:
        remove = read_selectors(scope, mapping["remove"], path / "remove", RANGE_KEYS)
    if "browser" in mapping:
        browser = read_bool(scope, mapping["browser"], path / "browser")
    if "pdf" in mapping:
        pdf = read_bool(scope, mapping["pdf"], path / "pdf")
    return PageOptions(select=select, remove=remove, browser=browser, pdf=pdf)
