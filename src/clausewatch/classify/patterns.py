"""Precise per-clause-type regular expressions, loaded from taxonomy/patterns.yaml."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from clausewatch.errors import TaxonomyError

# Patterns read at most this many characters of one text, so a huge provision costs
# no more than a long one.
MAX_PATTERN_CHARS = 20_000

# `${name}` in a pattern is replaced by the fragment of that name in the file's
# `fragments` mapping, so a sub-pattern that several types share is written once.
_FRAGMENT_REFERENCE = re.compile(r"\$\{(\w+)\}")


@dataclass(frozen=True)
class TypePatterns:
    """The compiled patterns of one clause type and the confidence of a hit."""

    clause_type_id: str
    confidence: float
    keywords: tuple[str, ...]
    regex: re.Pattern[str]
    # Text that names the practice without stating it, such as a list of legal rights
    # ("the right not to be subject to automated decisions"). Such text gets no hit.
    unless: re.Pattern[str] | None = None
    # Words without which a text cannot be of this type, such as AI output for the
    # ownership of AI output. A text lacking all of them gets the type from no model.
    requires: re.Pattern[str] | None = None

    def search(self, lowered: str, *, prefilter: bool = True) -> bool:
        """Return whether the lower-cased text matches; keywords gate the regex."""
        if prefilter and not any(keyword in lowered for keyword in self.keywords):
            return False
        if self.regex.search(lowered) is None:
            return False
        if self.lacks_required(lowered):
            return False
        return not self.names_without_stating(lowered)

    def names_without_stating(self, lowered: str) -> bool:
        """Return whether the lower-cased text matches an ``unless`` pattern."""
        return self.unless is not None and self.unless.search(lowered) is not None

    def lacks_required(self, lowered: str) -> bool:
        """Return whether the lower-cased text lacks every ``requires`` pattern."""
        return self.requires is not None and self.requires.search(lowered) is None


@dataclass(frozen=True)
class UserRuleLeadIn:
    """The lead-ins of a list that set a rule for the user, and what they rule out.

    ``clause_types`` are the platform's own data practices, which an item under such
    a lead-in names as the user's conduct or promise.
    """

    regex: re.Pattern[str]
    clause_types: frozenset[str]

    def matches(self, sentence: str) -> bool:
        """Return whether a lead-in sentence sets a rule for the user."""
        return self.regex.search(sentence.lower()) is not None


class PatternSet:
    """All clause-type patterns, compiled once."""

    def __init__(
        self,
        entries: Iterable[TypePatterns],
        digest: str,
        user_rule_lead_in: UserRuleLeadIn | None = None,
    ) -> None:
        self.entries = tuple(entries)
        self.digest = digest
        self.user_rule_lead_in = user_rule_lead_in
        self.confidence = {
            entry.clause_type_id: entry.confidence for entry in self.entries
        }
        # Few types list ``unless`` or ``requires`` patterns, so texts are checked
        # against those alone.
        self._with_unless = tuple(
            entry for entry in self.entries if entry.unless is not None
        )
        self._with_requires = tuple(
            entry for entry in self.entries if entry.requires is not None
        )

    def named_without_stating(self, text: str) -> set[str]:
        """Return the clause types whose ``unless`` patterns match ``text``."""
        if not self._with_unless:
            return set()
        lowered = text[:MAX_PATTERN_CHARS].lower()
        return {
            entry.clause_type_id
            for entry in self._with_unless
            if entry.names_without_stating(lowered)
        }

    def lacking_required(self, text: str) -> set[str]:
        """Return the clause types whose ``requires`` patterns all miss ``text``."""
        lowered = text[:MAX_PATTERN_CHARS].lower()
        return {
            entry.clause_type_id
            for entry in self._with_requires
            if entry.lacks_required(lowered)
        }

    @property
    def clause_type_ids(self) -> tuple[str, ...]:
        """Clause types that have at least one pattern."""
        return tuple(entry.clause_type_id for entry in self.entries)

    def match(self, text: str, *, prefilter: bool = True) -> set[str]:
        """Return the clause types whose patterns match ``text``.

        ``prefilter=False`` skips the keyword gate; tests use it to check that every
        match contains one of its type's keywords.
        """
        lowered = text[:MAX_PATTERN_CHARS].lower()
        return {
            entry.clause_type_id
            for entry in self.entries
            if entry.search(lowered, prefilter=prefilter)
        }


def bundled_patterns_path() -> Path:
    """Path of the patterns file shipped inside the taxonomy package."""
    return Path(str(resources.files("clausewatch.taxonomy").joinpath("patterns.yaml")))


def load_patterns(
    path: Path | None = None, *, known_types: Collection[str] | None = None
) -> PatternSet:
    """Read and compile a patterns file (the bundled one by default).

    Raises TaxonomyError naming the file and the entry when the YAML is malformed, a
    regular expression does not compile, or a clause type id is not in ``known_types``.
    """
    path = path or bundled_patterns_path()
    raw = path.read_bytes()
    try:
        document = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise TaxonomyError(f"invalid YAML in {path}: {error}; fix the file") from error
    types = document.get("types") if isinstance(document, dict) else None
    if not isinstance(types, dict):
        raise TaxonomyError(f"{path} has no 'types' mapping; add one per clause type")
    fragments = _read_fragments(path, document.get("fragments", {}))

    entries = [
        _compile_entry(path, type_id, spec, known_types, fragments)
        for type_id, spec in sorted(types.items())
    ]
    lead_in = document.get("user_rule_lead_in")
    return PatternSet(
        entries,
        hashlib.sha256(raw).hexdigest()[:12],
        _read_user_rule_lead_in(path, lead_in, known_types, fragments)
        if lead_in is not None
        else None,
    )


def _read_user_rule_lead_in(
    path: Path,
    spec: object,
    known_types: Collection[str] | None,
    fragments: dict[str, str],
) -> UserRuleLeadIn:
    name = "user_rule_lead_in"
    patterns = spec.get("patterns") if isinstance(spec, dict) else None
    clause_types = spec.get("clause_types") if isinstance(spec, dict) else None
    if not isinstance(patterns, list) or not patterns:
        raise TaxonomyError(f"{path}: {name!r} needs a non-empty 'patterns' list")
    if not isinstance(clause_types, list) or not all(
        isinstance(type_id, str) for type_id in clause_types
    ):
        raise TaxonomyError(
            f"{path}: {name!r} needs a 'clause_types' list of clause type ids"
        )
    unknown = sorted(set(clause_types) - set(known_types or clause_types))
    if unknown:
        raise TaxonomyError(
            f"{path}: {name!r} lists unknown clause types {unknown}; "
            "use ids from the taxonomy"
        )
    return UserRuleLeadIn(
        _alternation(path, name, "patterns", patterns, fragments),
        frozenset(clause_types),
    )


def _read_fragments(path: Path, raw: object) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(
        isinstance(name, str) and isinstance(value, str) for name, value in raw.items()
    ):
        raise TaxonomyError(
            f"{path}: 'fragments' must map fragment names to regular expressions; "
            "write each as name: 'pattern'"
        )
    for name, value in raw.items():
        try:
            re.compile(value)
        except re.error as error:
            raise TaxonomyError(
                f"{path}: fragment {name!r} does not compile: {error}; fix it"
            ) from error
    return dict(raw)


def _compile_entry(
    path: Path,
    type_id: str,
    spec: object,
    known_types: Collection[str] | None,
    fragments: dict[str, str],
) -> TypePatterns:
    if known_types is not None and type_id not in known_types:
        raise TaxonomyError(
            f"{path}: patterns for unknown clause type {type_id!r}; "
            "use an id from the taxonomy or remove the entry"
        )
    if not isinstance(spec, dict) or not isinstance(spec.get("patterns"), list):
        raise TaxonomyError(f"{path}: {type_id!r} needs a 'patterns' list")
    keywords = spec.get("keywords")
    if not isinstance(keywords, list) or not keywords:
        raise TaxonomyError(
            f"{path}: {type_id!r} needs a non-empty 'keywords' list of lower-case "
            "substrings that every match contains"
        )
    confidence = float(spec.get("confidence", 0.8))
    if not 0.0 < confidence <= 1.0:
        raise TaxonomyError(
            f"{path}: confidence {confidence} of {type_id!r} is outside (0, 1]"
        )
    unless = spec.get("unless", [])
    if not isinstance(unless, list):
        raise TaxonomyError(f"{path}: 'unless' of {type_id!r} must be a list")
    requires = spec.get("requires", [])
    if not isinstance(requires, list):
        raise TaxonomyError(
            f"{path}: 'requires' of {type_id!r} must be a list of regular expressions"
        )
    lowered = tuple(str(keyword).lower() for keyword in keywords)
    return TypePatterns(
        type_id,
        confidence,
        lowered,
        _alternation(path, type_id, "patterns", spec["patterns"], fragments),
        _alternation(path, type_id, "unless", unless, fragments) if unless else None,
        (
            _alternation(path, type_id, "requires", requires, fragments)
            if requires
            else None
        ),
    )


def _alternation(
    path: Path,
    type_id: str,
    field: str,
    patterns: list[object],
    fragments: dict[str, str],
) -> re.Pattern[str]:
    def expand(reference: re.Match[str]) -> str:
        name = reference.group(1)
        if name not in fragments:
            raise TaxonomyError(
                f"{path}: {field!r} of {type_id!r} refers to the unknown fragment "
                f"{name!r}; add it under 'fragments' or fix the name"
            )
        return f"(?:{fragments[name]})"

    expanded = [_FRAGMENT_REFERENCE.sub(expand, str(pattern)) for pattern in patterns]
    try:
        # One alternation per type makes a single scan of the text per type. Texts are
        # lower-cased once instead of matching with IGNORECASE, which is twice as slow.
        return re.compile("|".join(f"(?:{pattern})" for pattern in expanded))
    except re.error as error:
        raise TaxonomyError(
            f"{path}: a pattern in {field!r} of {type_id!r} does not compile: "
            f"{error}; fix it"
        ) from error
