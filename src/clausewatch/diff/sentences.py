"""Generated sentences that describe provision changes and document events."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from clausewatch.diff.cosmetic import remove_invisible
from clausewatch.diff.dates import find_stated_dates
from clausewatch.diff.models import (
    SEVERITIES,
    ChangeKind,
    ProvisionChange,
    ProvisionState,
)

MAX_SENTENCE_CHARS = 200
MAX_QUOTED_CHARS = 40
MAX_HEADING_CHARS = 50
MAX_QUOTED_TERMS = 3
MAX_OPENING_WORDS = 6

ClauseTypeNamer = Callable[[str], str]

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_NOISE = re.compile(r"[*_`#\\]+")
_SPACES = re.compile(r"\s+")


def make_namer(clause_type_names: Mapping[str, str] | None) -> ClauseTypeNamer:
    """Build a function that turns a clause type ID into the name shown to readers.

    IDs missing from the mapping are shown with underscores and hyphens as spaces.
    """
    names = dict(clause_type_names or {})

    def name_of(clause_type: str) -> str:
        name = names.get(clause_type) or re.sub(r"[_-]+", " ", clause_type)
        # "Limitation of liability" reads "limitation of liability" inside a
        # sentence, but "AI/ML model training" keeps its capitals.
        if len(name) > 1 and name[0].isupper() and not name[1].isupper():
            name = name[0].lower() + name[1:]
        return name

    return name_of


def shorten(text: str, limit: int) -> str:
    """Cut text at a word boundary so that it fits in ``limit`` characters."""
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-") + "…"


def quote(text: str) -> str:
    """Quote a term or heading for a sentence, shortened to ``MAX_QUOTED_CHARS``."""
    return f"'{shorten(text, MAX_QUOTED_CHARS)}'"


def join_words(items: Sequence[str], conjunction: str = "and") -> str:
    """Join items as English prose: "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def quote_terms(terms: Sequence[str]) -> str:
    """Quote up to ``MAX_QUOTED_TERMS`` terms and join them as prose."""
    return join_words([quote(term) for term in terms[:MAX_QUOTED_TERMS]])


def plain_text(markdown: str) -> str:
    """Strip link syntax, emphasis and extra whitespace from a Markdown snippet."""
    text = _MARKDOWN_NOISE.sub("", _LINK.sub(r"\1", remove_invisible(markdown)))
    return _SPACES.sub(" ", text).strip(" :;,.-=")


def opening_words(markdown: str) -> str:
    """Return the first ``MAX_OPENING_WORDS`` words of a text, without Markdown."""
    words = plain_text(markdown).split(" ")
    opening = " ".join(words[:MAX_OPENING_WORDS])
    return opening + "…" if len(words) > MAX_OPENING_WORDS else opening


def heading_of(state: ProvisionState | None) -> str | None:
    """Return the innermost heading of a provision, cleaned of Markdown, or None."""
    if state is None:
        return None
    for heading in reversed(state.heading_path):
        cleaned = plain_text(heading)
        if cleaned:
            return shorten(cleaned, MAX_HEADING_CHARS)
    return None


def type_names(clause_types: Sequence[str], name_of: ClauseTypeNamer) -> str:
    """Name at most two clause types, and count the rest."""
    names = [name_of(clause_type) for clause_type in clause_types]
    if len(names) <= 2:
        return join_words(names)
    return f"{names[0]}, {names[1]} and {len(names) - 2} more"


def provision_phrase(
    state: ProvisionState,
    name_of: ClauseTypeNamer,
    *,
    article: str,
    terms: Sequence[str] = (),
    use_heading: bool = True,
) -> str:
    """Describe a provision by its clause types, heading, terms or opening words.

    ``article`` is "a" or "the". Examples: "the clause on arbitration", "a provision
    under 'Data retention'", "a provision on 'cookies'", "a provision beginning
    'Welcome to…'". The heading is skipped when ``use_heading`` is false, because
    the caller names headings itself.
    """
    if state.clause_types:
        return f"{article} clause on {type_names(sorted(state.clause_types), name_of)}"
    heading = heading_of(state) if use_heading else None
    if heading is not None:
        return f"{article} provision under {quote(heading)}"
    if terms:
        return f"{article} provision on {quote_terms(terms[:2])}"
    opening = opening_words(state.text)
    if opening:
        return f"{article} provision beginning {quote(opening)}"
    return f"{article} provision"


def severity_shift(before: str | None, after: str | None) -> str | None:
    """Describe a severity change ("severity raised from Medium to High") or None."""
    if before == after or after is None:
        return None
    if before is None:
        return f"severity rated {after}"
    verb = "raised" if SEVERITIES.index(after) > SEVERITIES.index(before) else "lowered"
    return f"severity {verb} from {before} to {after}"


def finish(core: str, *optional_tails: str | None) -> str:
    """Join a core clause and the tails that still fit, as one sentence.

    Tails are added in order while the sentence stays within
    ``MAX_SENTENCE_CHARS``. A core that alone is too long is shortened.
    """
    sentence = core
    for tail in optional_tails:
        if tail and len(sentence) + len(tail) + 3 <= MAX_SENTENCE_CHARS:
            sentence = f"{sentence}, {tail}"
    sentence = shorten(sentence, MAX_SENTENCE_CHARS - 1)
    if not sentence.endswith((".", "…")):
        sentence += "."
    return sentence


def document_change_sentence(
    changes: Sequence[ProvisionChange], *, document: str, platform: str
) -> str:
    """Describe a document-level event in one sentence.

    Example: "Privacy Policy of ChatGPT: 3 provisions added, 1 removed, 4 modified
    (2 cosmetic)." Moved and reclassified provisions follow in that order. Each kind
    counts distinct keys, so a provision that was modified and moved counts in both.
    """
    keys: dict[ChangeKind, set[str]] = {kind: set() for kind in ChangeKind}
    cosmetic_keys: set[str] = set()
    for change in changes:
        keys[change.kind].add(change.key)
        if change.kind is ChangeKind.MODIFIED and change.cosmetic:
            cosmetic_keys.add(change.key)

    parts: list[str] = []
    for kind in ChangeKind:
        count = len(keys[kind])
        if count == 0:
            continue
        part = f"{count} {kind.value}"
        if not parts:
            # Only the first count names its noun: "3 provisions added, 1 removed".
            part = f"{count} {'provision' if count == 1 else 'provisions'} {kind.value}"
        if kind is ChangeKind.MODIFIED and cosmetic_keys:
            part += f" ({len(cosmetic_keys)} cosmetic)"
        parts.append(part)

    subject = f"{document} of {platform}"
    if not parts:
        return f"{subject}: no provision changed."
    return f"{subject}: {', '.join(parts)}."


def describe_date_bump(before_text: str, after_text: str) -> str | None:
    """Describe a bumped document date ("Changed the 'Last updated' date from ...")."""
    before_dates = find_stated_dates(before_text)
    after_dates = find_stated_dates(after_text)
    for old, new in zip(before_dates, after_dates, strict=False):
        if old.date != new.date:
            label = _SPACES.sub(" ", new.label or old.label).strip()
            date_phrase = (
                f"the {quote(label.capitalize())} date" if label else "the stated date"
            )
            return f"Changed {date_phrase} from {old.date} to {new.date}"
    return None
