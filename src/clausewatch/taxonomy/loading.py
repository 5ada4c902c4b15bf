"""Assembly of the taxonomy: read every file, check cross-references, freeze."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from clausewatch.taxonomy.clause_parsing import parse_clause_file
from clausewatch.taxonomy.models import (
    CATEGORIES,
    Agency,
    ClauseType,
    Regulation,
    Taxonomy,
)
from clausewatch.taxonomy.reading import TaxonomyFileError
from clausewatch.taxonomy.reference_parsing import parse_agencies, parse_regulations

logger = logging.getLogger(__name__)

BUNDLED_FOLDER = Path(__file__).resolve().parent

_Item = TypeVar("_Item", ClauseType, Regulation, Agency)


def load_taxonomy(folder: Path | None = None) -> Taxonomy:
    """Read and validate a taxonomy folder, by default the bundled one.

    The folder contains ``regulations.yaml``, ``agencies.yaml`` and
    ``clause_types/*.yaml``, and other files in it are ignored. Raises TaxonomyError
    naming the file, entry and field of the first problem found.
    """
    folder = BUNDLED_FOLDER if folder is None else Path(folder)
    started = time.perf_counter()

    regulations_path = _required(folder / "regulations.yaml")
    agencies_path = _required(folder / "agencies.yaml")
    regulations = _index("regulation", _locate(regulations_path, parse_regulations))
    agencies = _index("agency", _locate(agencies_path, parse_agencies))

    clause_folder = _required(folder / "clause_types", directory=True)
    clause_paths = sorted(clause_folder.glob("*.yaml"))
    if not clause_paths:
        raise TaxonomyFileError(
            clause_folder, "contains no .yaml files; add one file per category"
        )
    located = [
        place for path in clause_paths for place in _locate(path, parse_clause_file)
    ]
    clause_types = _index("clause type", located)
    where = {ct.id: path for path, _, ct in located}
    for clause_type in clause_types.values():
        _check_references(
            where[clause_type.id], clause_type, clause_types, regulations, agencies
        )

    taxonomy = Taxonomy(
        clause_types=MappingProxyType(clause_types),
        regulations=MappingProxyType(regulations),
        agencies=MappingProxyType(agencies),
        categories=tuple(
            name
            for name in CATEGORIES
            if any(ct.category == name for ct in clause_types.values())
        ),
    )
    logger.info(
        "loaded taxonomy from %s: %d clause types, %d regulations, %d agencies "
        "in %.0f ms",
        folder,
        len(clause_types),
        len(regulations),
        len(agencies),
        (time.perf_counter() - started) * 1000,
    )
    return taxonomy


@cache
def default_taxonomy() -> Taxonomy:
    """Return the bundled taxonomy, loaded and validated once per process."""
    return load_taxonomy()


def _required(path: Path, *, directory: bool = False) -> Path:
    exists = path.is_dir() if directory else path.is_file()
    if not exists:
        kind = "folder" if directory else "file"
        raise TaxonomyFileError(path, f"required {kind} is missing; create it")
    return path


def _locate(
    path: Path, parse: Callable[[Path], list[_Item]]
) -> list[tuple[Path, int, _Item]]:
    return [(path, number, item) for number, item in enumerate(parse(path), start=1)]


def _index(entry: str, located: Iterable[tuple[Path, int, _Item]]) -> dict[str, _Item]:
    items: dict[str, _Item] = {}
    first_seen: dict[str, tuple[Path, int]] = {}
    for path, number, item in located:
        if item.id in first_seen:
            first_path, first_number = first_seen[item.id]
            raise TaxonomyFileError(
                path,
                f"duplicate {entry} id {item.id!r} in entry #{number}: already defined "
                f"by entry #{first_number} of {first_path}; "
                "rename or remove one of them",
                entry=entry,
                entry_id=item.id,
                field="id",
            )
        items[item.id] = item
        first_seen[item.id] = (path, number)
    return items


def _check_references(
    path: Path,
    clause_type: ClauseType,
    clause_types: dict[str, ClauseType],
    regulations: dict[str, Regulation],
    agencies: dict[str, Agency],
) -> None:
    regulation_field = (
        "regulations" if clause_type.regulation_articles else "regulation_ids"
    )
    targets: tuple[tuple[str, tuple[str, ...], Mapping[str, object], str], ...] = (
        (regulation_field, clause_type.regulation_ids, regulations, "regulations.yaml"),
        ("agency_ids", clause_type.agency_ids, agencies, "agencies.yaml"),
        ("related_ids", clause_type.related_ids, clause_types, "clause_types/"),
    )
    for field, ids, known, source in targets:
        for ref in ids:
            if field == "related_ids" and ref == clause_type.id:
                problem = f"lists its own id {ref!r}; remove it"
            elif ref not in known:
                problem = (
                    f"unknown id {ref!r}; define it in {source} or fix the spelling"
                )
            else:
                continue
            raise TaxonomyFileError(
                path, problem, entry="clause type", entry_id=clause_type.id, field=field
            )
    _check_articles(path, clause_type, regulations)


def _check_articles(
    path: Path, clause_type: ClauseType, regulations: dict[str, Regulation]
) -> None:
    """Fail when a clause type names an article its regulation's entry lacks."""
    for choice in clause_type.regulation_articles:
        known = [article.ref for article in regulations[choice.regulation_id].articles]
        for ref in choice.refs:
            if ref in known:
                continue
            raise TaxonomyFileError(
                path,
                f"unknown article {ref!r} of regulation {choice.regulation_id!r}; "
                f"use a ref listed for it in regulations.yaml "
                f"({'; '.join(known)}) or add the article there",
                entry="clause type",
                entry_id=clause_type.id,
                field=f"regulations.{choice.regulation_id}",
            )
