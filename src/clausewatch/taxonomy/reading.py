"""Strict reading of taxonomy YAML: one parser, and typed field access per entry.

Every failure raises TaxonomyFileError naming the file, the entry id and the field, so a
broken data file is found at start-up rather than on the page that first uses it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from pathlib import Path
from typing import Any, NoReturn

import yaml

from clausewatch.errors import TaxonomyError

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TaxonomyFileError(TaxonomyError):
    """A taxonomy data file is invalid, with the file, entry and field at fault."""

    def __init__(
        self,
        path: Path,
        problem: str,
        *,
        entry: str | None = None,
        entry_id: str | None = None,
        field: str | None = None,
    ) -> None:
        self.path = path
        self.entry_id = entry_id
        self.field = field
        self.problem = problem
        where = [f"invalid taxonomy file {path}"]
        if entry_id is not None:
            where.append(f"{entry or 'entry'} {entry_id!r}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(f"{', '.join(where)}: {problem}")


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML loader that rejects a key repeated in one mapping.

    PyYAML silently keeps the last of two equal keys, which would hide a
    copy-and-paste mistake in a data file.
    """

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[Hashable] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        mapping: dict[Hashable, Any] = super().construct_mapping(node, deep=deep)
        return mapping


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, raising TaxonomyFileError when it is unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TaxonomyFileError(
            path, f"cannot be read ({error}); check the file"
        ) from error
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        raise TaxonomyFileError(
            path, f"is not valid YAML: {error}; fix the syntax at that line"
        ) from error


def entry_list(
    path: Path, document: Any, key: str, *, other_keys: Iterable[str] = ()
) -> list[Any]:
    """Return the list under ``key`` of a file's top-level mapping.

    ``other_keys`` names the further top-level keys the file may contain.
    """
    if not isinstance(document, dict):
        raise TaxonomyFileError(
            path,
            f"top level must be a mapping with a {key!r} list, got {_kind(document)}",
        )
    allowed = {key, *other_keys}
    unknown = sorted(str(name) for name in document if name not in allowed)
    if unknown:
        raise TaxonomyFileError(
            path,
            f"unknown top-level key(s) {', '.join(unknown)}; "
            f"use only {', '.join(sorted(allowed))}",
        )
    entries = document.get(key)
    if not isinstance(entries, list):
        raise TaxonomyFileError(
            path, f"{key!r} must be a list of entries, got {_kind(entries)}", field=key
        )
    return entries


class EntryReader:
    """Typed access to the fields of one mapping entry, raising on any mismatch."""

    def __init__(
        self,
        path: Path,
        raw: Any,
        *,
        entry: str,
        position: str,
        allowed: Iterable[str],
    ) -> None:
        self.path = path
        self.entry = entry
        self.entry_id = position
        if not isinstance(raw, dict):
            self.fail(f"must be a mapping of fields, got {_kind(raw)}")
        self.raw: dict[str, Any] = raw
        # Name the entry by its id when it has one, even before the id is validated.
        raw_id = raw.get("id")
        if isinstance(raw_id, str) and raw_id.strip():
            self.entry_id = raw_id.strip()
        unknown = sorted(str(key) for key in raw if key not in set(allowed))
        if unknown:
            self.fail(
                f"unknown field(s) {', '.join(unknown)}; "
                f"use only {', '.join(sorted(allowed))}"
            )

    def fail(self, problem: str, field: str | None = None) -> NoReturn:
        """Raise TaxonomyFileError for this entry."""
        raise TaxonomyFileError(
            self.path, problem, entry=self.entry, entry_id=self.entry_id, field=field
        )

    def identify(self, field: str = "id") -> str:
        """Read the entry's id and use it in every later error message."""
        value = self.text(field)
        if not value.isidentifier() or not value.islower():
            self.fail(
                f"id {value!r} is invalid; use lower_snake_case letters, digits and _",
                field,
            )
        self.entry_id = value
        return value

    def value(self, field: str) -> Any:
        """Return a field's raw value, failing when the field is missing."""
        if field not in self.raw or self.raw[field] is None:
            self.fail("required field is missing; add it", field)
        return self.raw[field]

    def text(self, field: str) -> str:
        """Return a non-empty string field, each whitespace run made one space."""
        value = self.value(field)
        if not isinstance(value, str):
            self.fail(f"must be a string, got {_kind(value)} {value!r}", field)
        stripped = value.strip()
        if not stripped:
            self.fail("must not be empty", field)
        return " ".join(stripped.split())

    def text_list(self, field: str, *, allow_empty: bool = True) -> tuple[str, ...]:
        """Return a list-of-strings field as a tuple, rejecting repeated items."""
        value = self.value(field)
        if not isinstance(value, list):
            self.fail(f"must be a list of strings, got {_kind(value)}", field)
        items: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.fail(
                    f"item {index} must be a non-empty string, "
                    f"got {_kind(item)} {item!r}",
                    field,
                )
            normalized = " ".join(item.split())
            if normalized in items:
                self.fail(f"item {normalized!r} appears twice; remove the copy", field)
            items.append(normalized)
        if not items and not allow_empty:
            self.fail("must list at least one item", field)
        return tuple(items)

    def mapping_list(self, field: str) -> list[Any]:
        """Return a list field whose items are read by another EntryReader."""
        value = self.value(field)
        if not isinstance(value, list):
            self.fail(f"must be a list, got {_kind(value)}", field)
        return value


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return type(value).__name__
