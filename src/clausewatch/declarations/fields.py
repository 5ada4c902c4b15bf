"""Readers for the values that both declaration formats share: URLs, selectors, flags.

Each reader records a problem and returns None when the value is invalid, so that one
pass over a file reports every mistake in it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

from clausewatch.declarations.diagnostics import MISSING, FieldPath, Problems
from clausewatch.declarations.model import (
    SourcePage,
    looks_like_pdf,
    slugify_platform_id,
)
from clausewatch.declarations.selectors import (
    RangeSelector,
    Selector,
    UnsupportedSelectorError,
    normalize_css,
)
from clausewatch.declarations.terms_types import (
    TERMS_TYPES,
    quoted_terms_types,
    suggest_terms_type,
)
from clausewatch.suggestions import close_matches

SELECTOR_HELP = (
    "give a CSS selector, a range object or a list of those, "
    'e.g. "main" or ["article", {"startBefore": "h1", "endBefore": "footer"}]'
)


@dataclass(frozen=True)
class Scope:
    """Context of a read: the file's problems and, inside a document, its type."""

    problems: Problems
    terms_type: str | None = None

    def invalid(self, path: FieldPath, value: object, problem: str, fix: str) -> None:
        self.problems.invalid(path, value, problem, fix, self.terms_type)


@dataclass(frozen=True)
class PageOptions:
    """Extraction options of a page; None means unset, so the shared value applies."""

    select: tuple[Selector, ...] | None = None
    remove: tuple[Selector, ...] | None = None
    browser: bool | None = None
    pdf: bool | None = None

    def over(self, shared: PageOptions) -> PageOptions:
        """Return these options with each unset one taken from ``shared``."""
        values = {}
        for option in fields(self):
            own = getattr(self, option.name)
            values[option.name] = (
                own if own is not None else getattr(shared, option.name)
            )
        return PageOptions(**values)

    def page(self, url: str) -> SourcePage:
        """Build the source page at ``url``; PDF is guessed from the URL unless set."""
        return SourcePage(
            url=url,
            select=self.select or (),
            remove=self.remove or (),
            browser=bool(self.browser),
            pdf=self.pdf if self.pdf is not None else looks_like_pdf(url),
        )


def derive_platform_id(scope: Scope, source: Path) -> str:
    """Make the platform id from the file name, recording a name that gives none."""
    platform_id = slugify_platform_id(source.stem)
    if not platform_id:
        scope.invalid(
            FieldPath(("id",)),
            source.stem,
            "no platform id can be made from the file name",
            "rename the file with letters or digits in its name",
        )
    return platform_id


def check_keys(
    scope: Scope,
    mapping: Mapping[str, object],
    allowed: Collection[str],
    path: FieldPath,
) -> bool:
    """Record each key of ``mapping`` not in ``allowed``; tell whether all are."""
    valid = True
    for key in mapping:
        if key in allowed:
            continue
        valid = False
        close = close_matches(str(key), allowed, limit=1)
        hint = f'did you mean "{close[0]}"? ' if close else ""
        scope.invalid(
            path / str(key),
            mapping[key],
            "unknown key",
            f"{hint}allowed keys here: {', '.join(sorted(allowed))}",
        )
    return valid


def read_mapping(
    scope: Scope, value: object, path: FieldPath
) -> Mapping[str, object] | None:
    """Return ``value`` if it is a mapping with string keys, else record it."""
    if isinstance(value, Mapping) and all(isinstance(key, str) for key in value):
        return value
    scope.invalid(path, value, "expected a mapping of names to values", "fix its type")
    return None


def read_terms_type(scope: Scope, name: object, path: FieldPath) -> str | None:
    """Return ``name`` if it is one of TERMS_TYPES, else record it with a suggestion."""
    if isinstance(name, str) and name in TERMS_TYPES:
        return name
    suggestion = suggest_terms_type(name) if isinstance(name, str) else None
    fix = (
        f'use "{suggestion}"'
        if suggestion
        else f"use one of the Open Terms Archive terms types: {quoted_terms_types()}"
    )
    scope.invalid(path, name, "unknown terms type", fix)
    return None


def read_url(scope: Scope, value: object, path: FieldPath) -> str | None:
    """Return ``value`` if it is an absolute http or https URL, else record it."""
    if value is MISSING:
        scope.invalid(path, MISSING, "missing URL", "add the page's https:// address")
        return None
    if not isinstance(value, str):
        scope.invalid(
            path, value, "expected a URL string", "write the address in quotes"
        )
        return None
    try:
        parts = urlsplit(value.strip())
        hostname = parts.hostname
    except ValueError as error:
        scope.invalid(
            path,
            value,
            f"invalid URL ({error})",
            "give a full address such as https://host/path",
        )
        return None
    if parts.scheme not in ("http", "https"):
        scope.invalid(
            path,
            value,
            "only http and https URLs can be fetched",
            "give the page's https:// address",
        )
        return None
    if not hostname or any(char.isspace() for char in value.strip()):
        scope.invalid(
            path, value, "invalid URL", "give a full address such as https://host/path"
        )
        return None
    return value.strip()


def read_bool(scope: Scope, value: object, path: FieldPath) -> bool | None:
    """Return ``value`` if it is true or false, else record it."""
    if isinstance(value, bool):
        return value
    scope.invalid(path, value, "expected true or false", "write true or false")
    return None


def read_selectors(
    scope: Scope, value: object, path: FieldPath, range_keys: Mapping[str, str]
) -> tuple[Selector, ...] | None:
    """Read a selector, a range or a list of them, else record the invalid ones.

    ``range_keys`` maps each range key of the format to its RangeSelector field.
    """
    items = value if isinstance(value, list) else [value]
    selectors: list[Selector] = []
    valid = True
    for index, item in enumerate(items):
        item_path = path / index if isinstance(value, list) else path
        selector = _read_selector(scope, item, item_path, range_keys)
        if selector is None:
            valid = False
        else:
            selectors.append(selector)
    return tuple(selectors) if valid else None


def _read_selector(
    scope: Scope, value: object, path: FieldPath, range_keys: Mapping[str, str]
) -> Selector | None:
    if isinstance(value, str):
        return read_css(scope, value, path)
    if isinstance(value, Mapping):
        return _read_range(scope, value, path, range_keys)
    scope.invalid(
        path, value, "expected a CSS selector or a range object", SELECTOR_HELP
    )
    return None


def read_css(scope: Scope, value: object, path: FieldPath) -> str | None:
    """Return a CSS selector that cssselect compiles, normalized, else record it."""
    if not isinstance(value, str) or not value.strip():
        scope.invalid(path, value, "expected a non-empty CSS selector", SELECTOR_HELP)
        return None
    try:
        return normalize_css(value.strip())
    except UnsupportedSelectorError as error:
        scope.problems.unsupported(
            path,
            value,
            f"cssselect, the CSS engine of clausewatch, cannot translate it ({error})",
            "rewrite it without that feature; pseudo-elements such as ::before "
            "select no document text, so remove them from the selector",
            scope.terms_type or "",
        )
    except ValueError as error:
        scope.invalid(path, value, f"invalid CSS selector ({error})", "fix its syntax")
    return None


def _read_range(
    scope: Scope,
    value: Mapping[object, object],
    path: FieldPath,
    keys: Mapping[str, str],
) -> RangeSelector | None:
    mapping = read_mapping(scope, value, path)
    if mapping is None or not check_keys(scope, mapping, keys, path):
        return None
    bounds: dict[str, str] = {}
    for key, raw in mapping.items():
        css = read_css(scope, raw, path / key)
        if css is None:
            return None
        bounds[keys[key]] = css
    starts = [name for name in bounds if name.startswith("start_")]
    ends = [name for name in bounds if name.startswith("end_")]
    if len(starts) != 1 or len(ends) != 1:
        start_keys = " or ".join(k for k, f in keys.items() if f.startswith("start_"))
        end_keys = " or ".join(k for k, f in keys.items() if f.startswith("end_"))
        scope.invalid(
            path,
            dict(mapping),
            "a range needs exactly one start and exactly one end",
            f"set one of {start_keys} and one of {end_keys}",
        )
        return None
    return RangeSelector(**bounds)
