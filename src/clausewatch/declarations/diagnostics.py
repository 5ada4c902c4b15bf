"""Errors that point at one field of a declaration file, and their collection."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from clausewatch.errors import DeclarationError

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MAX_SHOWN_VALUE = 80


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


#: Stands for an absent value in an error, which then shows no value.
MISSING: object = _Missing()


@dataclass(frozen=True)
class FieldPath:
    """Location of a value in a declaration: ``terms."Privacy Policy".select[2]``."""

    parts: tuple[str | int, ...] = ()

    def __truediv__(self, part: str | int) -> FieldPath:
        return FieldPath((*self.parts, part))

    def __str__(self) -> str:
        text = ""
        for part in self.parts:
            if isinstance(part, int):
                text += f"[{part}]"
                continue
            name = part if _IDENTIFIER.match(part) else f'"{part}"'
            text += f".{name}" if text else name
        return text or "(top level)"


def show_value(value: object) -> str:
    """Format a value for an error message: its repr, shortened if long."""
    text = repr(value)
    if len(text) > _MAX_SHOWN_VALUE:
        text = text[: _MAX_SHOWN_VALUE - 3] + "..."
    return text


class DeclarationFieldError(DeclarationError):
    """A value in a declaration file is missing, of the wrong type or invalid."""

    def __init__(
        self,
        source: Path,
        path: FieldPath,
        value: object,
        problem: str,
        fix: str,
        terms_type: str | None = None,
    ) -> None:
        self.source = source
        self.field = str(path)
        self.value = value
        self.terms_type = terms_type
        value_text = "" if value is MISSING else f" = {show_value(value)}"
        super().__init__(f"{source}: {self.field}{value_text}: {problem}; {fix}")


class UnsupportedFeatureError(DeclarationFieldError):
    """A valid declaration of a document that uses a feature clausewatch cannot run."""


class DeclarationSetError(DeclarationError):
    """Several declaration files or documents are invalid; ``errors`` lists each one."""

    def __init__(self, errors: Sequence[DeclarationError]) -> None:
        self.errors = tuple(errors)
        lines = [f"{len(self.errors)} declaration problems; fix each one and reload:"]
        lines.extend(f"- {error}" for error in self.errors)
        super().__init__("\n".join(lines))


@dataclass
class Problems:
    """Errors found in one file, kept so that all of them are reported at once."""

    source: Path
    errors: list[DeclarationError] = field(default_factory=list)

    def invalid(
        self,
        path: FieldPath,
        value: object,
        problem: str,
        fix: str,
        terms_type: str | None = None,
    ) -> None:
        """Record an invalid or missing value (pass ``MISSING`` when it is absent)."""
        self.errors.append(
            DeclarationFieldError(self.source, path, value, problem, fix, terms_type)
        )

    def unsupported(
        self, path: FieldPath, value: object, problem: str, fix: str, terms_type: str
    ) -> None:
        """Record a document that is valid but needs a feature clausewatch lacks."""
        self.errors.append(
            UnsupportedFeatureError(self.source, path, value, problem, fix, terms_type)
        )
