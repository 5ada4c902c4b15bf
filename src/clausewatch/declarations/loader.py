"""Loading of declaration files and folders in either format, reporting every error."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from clausewatch.declarations.diagnostics import (
    DeclarationFieldError,
    DeclarationSetError,
    FieldPath,
    Problems,
)
from clausewatch.declarations.model import PlatformDeclaration
from clausewatch.declarations.native_format import read_native_platform
from clausewatch.declarations.ota_format import is_ota_declaration, read_ota_platform
from clausewatch.errors import DeclarationError

logger = logging.getLogger(__name__)

DECLARATION_SUFFIXES = (".yaml", ".yml", ".json")
# Open Terms Archive keeps earlier declarations of a service in <name>.history.json.
HISTORY_SUFFIX = ".history.json"


@dataclass(frozen=True)
class DeclarationSet:
    """Platforms read from a folder, and every problem found on the way.

    A file with an invalid top level (syntax, name, duplicate id) contributes no
    platform. A document with a problem is left out of its platform. A platform whose
    documents were all left out is left out too, but one that declares no document at
    all is kept. Every problem is listed in ``errors``.
    """

    platforms: tuple[PlatformDeclaration, ...]
    errors: tuple[DeclarationError, ...]

    @property
    def ok(self) -> bool:
        """True when no file or document was rejected."""
        return not self.errors

    def raise_for_errors(self) -> None:
        """Raise a DeclarationSetError listing every problem, if there is any."""
        if self.errors:
            raise DeclarationSetError(self.errors)


def read_declaration(
    path: Path,
) -> tuple[PlatformDeclaration | None, list[DeclarationError]]:
    """Read one file into its platform and the problems found.

    The platform keeps only the documents that were read without a problem. It is None
    when the file is unusable or when every document it declares has a problem.
    """
    problems = Problems(path)
    try:
        data = _parse_file(path)
    except DeclarationError as error:
        return None, [error]
    if is_ota_declaration(data):
        platform = read_ota_platform(data, path, problems)
    else:
        platform = read_native_platform(data, path, problems)
    if any(not _is_document_error(error) for error in problems.errors):
        return None, problems.errors
    if problems.errors and not platform.documents:
        return None, problems.errors
    return platform, problems.errors


def load_declaration(path: Path) -> PlatformDeclaration:
    """Load one declaration file in clausewatch's format or Open Terms Archive's.

    Raises DeclarationError when anything in the file is invalid or unsupported; the
    message names the file, the field, the value and the fix.
    """
    path = Path(path)
    if path.name.endswith(HISTORY_SUFFIX):
        current = path.name.removesuffix(HISTORY_SUFFIX) + ".json"
        raise DeclarationError(
            f"{path} is an Open Terms Archive history of earlier declarations, "
            f"which clausewatch does not track; load {current} instead"
        )
    platform, errors = read_declaration(path)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise DeclarationSetError(errors)
    assert platform is not None, "a file read without errors always gives a platform"
    return platform


def load_declarations(path: Path) -> DeclarationSet:
    """Load every declaration file in a folder (not its subfolders), or one file.

    Files ending in .yaml, .yml or .json are read, except Open Terms Archive history
    files (``*.history.json``); other files are ignored. Problems do not stop the
    loading: they are returned in ``DeclarationSet.errors``.
    """
    path = Path(path)
    platforms: dict[str, PlatformDeclaration] = {}
    errors: list[DeclarationError] = []
    for file in _declaration_files(path):
        platform, file_errors = read_declaration(file)
        errors.extend(file_errors)
        if platform is None:
            continue
        first = platforms.get(platform.id)
        if first is not None:
            errors.append(
                DeclarationFieldError(
                    file,
                    FieldPath(("id",)),
                    platform.id,
                    f"platform id already declared by {first.source}",
                    "give one platform another id or delete the duplicate file",
                )
            )
            continue
        platforms[platform.id] = platform

    result = DeclarationSet(
        platforms=tuple(sorted(platforms.values(), key=lambda item: item.id)),
        errors=tuple(errors),
    )
    logger.info(
        "loaded %d platforms with %d documents from %s; %d problems",
        len(result.platforms),
        sum(len(platform.documents) for platform in result.platforms),
        path,
        len(result.errors),
    )
    return result


def bundled_catalog_dir() -> Path:
    """Folder of the platform declarations that ship with clausewatch."""
    return Path(str(resources.files("clausewatch") / "catalog"))


def load_catalog(path: Path | None = None) -> list[PlatformDeclaration]:
    """Load a catalog: a folder or one file, by default the bundled catalog.

    Raises DeclarationSetError listing every problem when any file or document is
    invalid, because a catalog is meant to be tracked in full.
    """
    declarations = load_declarations(bundled_catalog_dir() if path is None else path)
    declarations.raise_for_errors()
    return list(declarations.platforms)


def _declaration_files(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
        return
    if not path.is_dir():
        raise DeclarationError(
            f"declarations folder not found: {path}; give an existing folder or file"
        )
    for file in sorted(path.iterdir()):
        if not file.is_file() or file.name.endswith(HISTORY_SUFFIX):
            continue
        if file.suffix.lower() in DECLARATION_SUFFIXES:
            yield file


def _is_document_error(error: DeclarationError) -> bool:
    return isinstance(error, DeclarationFieldError) and error.terms_type is not None


class _DuplicateKeyError(ValueError):
    pass


def _parse_file(path: Path) -> Mapping[str, object]:
    suffix = path.suffix.lower()
    if suffix not in DECLARATION_SUFFIXES:
        raise DeclarationError(
            f"{path}: unsupported file type {suffix!r}; "
            "write declarations as .yaml, .yml or .json files"
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as error:
        raise DeclarationError(
            f"declaration file not found: {path}; check the path"
        ) from error
    except OSError as error:
        raise DeclarationError(f"{path}: cannot read the file ({error})") from error
    except UnicodeDecodeError as error:
        raise DeclarationError(
            f"{path}: not valid UTF-8 at byte {error.start}; save the file as UTF-8"
        ) from error
    try:
        data = _parse_json(text) if suffix == ".json" else _parse_yaml(text)
    except json.JSONDecodeError as error:
        raise DeclarationError(
            f"{path}: invalid JSON at line {error.lineno}, column {error.colno} "
            f"({error.msg}); fix the syntax"
        ) from error
    except yaml.YAMLError as error:
        raise DeclarationError(
            f"{path}: invalid YAML ({_describe_yaml_error(error)}); fix the syntax"
        ) from error
    except _DuplicateKeyError as error:
        raise DeclarationError(
            f"{path}: key {error} appears twice in one mapping; keep one of them"
        ) from error
    if not isinstance(data, Mapping):
        raise DeclarationError(
            f"{path}: expected a mapping at the top level, got {type(data).__name__}; "
            "start the file with name: and documents: (or Open Terms Archive's terms)"
        )
    return data


def _parse_json(text: str) -> Any:
    def reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise _DuplicateKeyError(repr(key))
            result[key] = value
        return result

    return json.loads(text, object_pairs_hook=reject_duplicates)


class _StrictSafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader, except that a repeated mapping key is an error."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Any:
    seen: set[str] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if not isinstance(key, str):
            continue
        if key in seen:
            line = key_node.start_mark.line + 1
            raise _DuplicateKeyError(f"{key!r} (line {line})")
        seen.add(key)
    return loader.construct_mapping(node)


_StrictSafeLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def _parse_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_StrictSafeLoader)


def _describe_yaml_error(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    if mark is None:
        return str(problem)
    return f"{problem} at line {mark.line + 1}, column {mark.column + 1}"
