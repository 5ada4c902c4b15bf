"""Reader of Open Terms Archive service declarations (JSON).

The format is that of the Open Terms Archive engine's service schema. A file has a
``name`` and a ``terms`` mapping (``documents`` in older files) from each terms type to
a source document (``fetch``, ``select``, ``remove``, ``executeClientScripts``,
``filter``). A document read from several pages has a ``combine`` list of source
documents instead, and the keys beside ``combine`` apply to each of them. The platform
id is the slug of the file name, because Open Terms Archive names services by file.
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
    DocumentDeclaration,
    PlatformDeclaration,
    SourcePage,
)

RANGE_KEYS = {
    "startBefore": "start_before",
    "startAfter": "start_after",
    "endBefore": "end_before",
    "endAfter": "end_after",
}
_PLATFORM_KEYS = ("name", "terms", "documents", "importedFrom")
_PAGE_KEYS = ("fetch", "select", "remove", "executeClientScripts", "filter")
_DOCUMENT_KEYS = (*_PAGE_KEYS, "combine")

_FILTER_FIX = (
    "delete the filter key to track the document without it (add remove selectors for "
    "the noise it cleaned), or leave this document out"
)


def is_ota_declaration(data: Mapping[str, object]) -> bool:
    """Tell whether parsed file content is in the Open Terms Archive format."""
    if "terms" in data:
        return True
    documents = data.get("documents")
    if not isinstance(documents, Mapping):
        return False
    return any(
        isinstance(entry, Mapping) and ("fetch" in entry or "combine" in entry)
        for entry in documents.values()
    )


def read_ota_platform(
    data: Mapping[str, object], source: Path, problems: Problems
) -> PlatformDeclaration:
    """Read a platform; documents with problems are left out and recorded."""
    scope = Scope(problems)
    root = FieldPath()
    check_keys(scope, data, _PLATFORM_KEYS, root)

    name = data.get("name", MISSING)
    if not isinstance(name, str) or not name.strip():
        scope.invalid(root / "name", name, "missing service name", 'add "name": "..."')
        name = source.stem

    key = "terms" if "terms" in data else "documents"
    if "terms" in data and "documents" in data:
        scope.invalid(
            root / "documents",
            data["documents"],
            'both "terms" and "documents" are set',
            'move every document under "terms"',
        )
    terms: Mapping[str, object] = {}
    if key not in data:
        scope.invalid(
            root / "terms",
            MISSING,
            "missing terms",
            'add "terms": {"<terms type>": ...}',
        )
    else:
        # An empty mapping is valid: Open Terms Archive keeps services whose documents
        # are all retired, with their past declarations in the history file.
        terms = read_mapping(scope, data[key], root / key) or {}

    documents = []
    for terms_type, entry in terms.items():
        document = _read_document(problems, terms_type, entry, root / key / terms_type)
        if document is not None:
            documents.append(document)
    return PlatformDeclaration(
        id=derive_platform_id(scope, source),
        name=str(name).strip(),
        category=None,
        documents=tuple(documents),
        source=source,
        id_from_file_name=True,
    )


def _read_document(
    problems: Problems, terms_type: str, value: object, path: FieldPath
) -> DocumentDeclaration | None:
    scope = Scope(problems, terms_type)
    errors_before = len(problems.errors)
    if read_terms_type(scope, terms_type, path) is None:
        return None
    mapping = read_mapping(scope, value, path)
    if mapping is None:
        return None
    check_keys(scope, mapping, _DOCUMENT_KEYS, path)
    shared, filters = _read_options(scope, mapping, path)

    pages: list[SourcePage] = []
    if "combine" in mapping:
        if "fetch" in mapping:
            scope.invalid(
                path / "fetch",
                mapping["fetch"],
                'both "fetch" and "combine" are set',
                'move the URL into the "combine" list',
            )
        entries = mapping["combine"]
        if not isinstance(entries, list) or not entries:
            scope.invalid(
                path / "combine",
                entries,
                "expected a non-empty list of source documents",
                'write [{"fetch": "https://..."}, ...]',
            )
            entries = []
        for index, entry in enumerate(entries):
            page_path = path / "combine" / index
            entry_map = read_mapping(scope, entry, page_path)
            if entry_map is None:
                continue
            check_keys(scope, entry_map, _PAGE_KEYS, page_path)
            own, own_filters = _read_options(scope, entry_map, page_path)
            filters.extend(own_filters)
            url = read_url(scope, entry_map.get("fetch", MISSING), page_path / "fetch")
            if url is not None:
                pages.append(own.over(shared).page(url))
    else:
        url = read_url(scope, mapping.get("fetch", MISSING), path / "fetch")
        if url is not None:
            pages.append(shared.page(url))

    if len(problems.errors) > errors_before:
        return None
    if filters:
        problems.unsupported(
            path / "filter",
            filters,
            f"uses JavaScript filters [{', '.join(filters)}], "
            "which clausewatch cannot run",
            _FILTER_FIX,
            terms_type,
        )
        return None
    return DocumentDeclaration(terms_type=terms_type, pages=tuple(pages))


def _read_options(
    scope: Scope, mapping: Mapping[str, object], path: FieldPath
) -> tuple[PageOptions, list[str]]:
    select = remove = None
    if "select" in mapping:
        select = read_selectors(scope, mapping["select"], path / "select", RANGE_KEYS)
    if "remove" in mapping:
        remove = read_selectors(scope, mapping["remove"], path / "remove", RANGE_KEYS)
    browser = None
    if "executeClientScripts" in mapping:
        path_key = path / "executeClientScripts"
        browser = read_bool(scope, mapping["executeClientScripts"], path_key)
    filters: list[str] = []
    if "filter" in mapping:
        filters = _read_filter_names(scope, mapping["filter"], path / "filter")
    return PageOptions(select=select, remove=remove, browser=browser), filters


def _read_filter_names(scope: Scope, value: object, path: FieldPath) -> list[str]:
    # A filter is a function name, or a one-key object {name: parameters}.
    if not isinstance(value, list):
        scope.invalid(path, value, "expected a list of filter names", "write [...]")
        return []
    names: list[str] = []
    for index, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            names.append(item.strip())
        elif isinstance(item, Mapping) and len(item) == 1:
            names.append(str(next(iter(item))))
        else:
            scope.invalid(
                path / index,
                item,
                "expected a filter name or an object {name: parameters}",
                "fix the filter entry",
            )
    return names
