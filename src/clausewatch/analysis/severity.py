"""Severity of one provision: the clause type's default, moved by the provision's words.

A clause type has a default severity with a reason. The provision's own words can move
it one level per modifier, and the result is clamped to the range Low..Critical. Each
modifier counts at most once and applies only to the categories listed for it, because
"an opt-out is offered" lowers the risk of AI training but means nothing for a choice of
law clause.

- ``opt_out_offered`` (-1): offers an opt-out, asks for opt-in consent or lets users
  choose to allow the practice ("if you choose to provide it"), unless the choice
  changes nothing ("even if you turn it off"). AI, collection, sharing, disputes.
- ``sensitive_data`` (+1): covers health, biometric, genetic, sexual orientation,
  religion, political, racial or ethnic, precise location or financial data. AI,
  collection, sharing, retention.
- ``childrens_data`` (+1): covers children, minors or teenagers. AI, collection,
  sharing, retention.
- ``broad_sharing`` (+1): shares with "any third party" or "affiliates and partners",
  or sells, rents or trades data. AI, sharing.
- ``narrow_scope`` (-1): limits itself to anonymised, aggregated or de-identified data
  or to service providers acting for the platform, or says data is not sold. AI,
  collection, sharing.
- ``indefinite_retention`` (+1): keeps data "indefinitely", "permanently" or with no
  time limit. AI, collection, retention.
- ``perpetual_licence`` (+1): grants a perpetual, irrevocable or sublicensable licence.
  AI, contract, content.
- ``without_notice`` (+1): allows changes, suspension or removal "without notice".
  Contract, content.
- ``advance_notice`` (-1): promises notice in advance ("30 days' notice"). Contract,
  content.

Categories abbreviate the taxonomy's: AI is "Artificial intelligence", collection "Data
collection", sharing "Data sharing", retention "Security and retention", disputes
"Dispute resolution", contract "Contract terms", content "Content and conduct". A phrase
in a negated clause does not count (``clausewatch.analysis.negation``), so "we do not
collect biometric data" does not raise the level. Neither does a raising phrase in the
condition of a denial: "if you have a teen account, we do not use your interests for
ads" protects teenagers rather than covering their data. A modifier that
repeats what the clause type is about (sensitive data for ``biometric_data``, children
for ``childrens_data``, selling for ``sale_of_data``, precise location for
``location_data``) is skipped, because the default already reflects it.
A provision that denies the practice ("we do not sell your personal information",
stance ``denies``, see ``clausewatch.analysis.stance``) is Low whatever its default and
wording, because it states that the platform does not do what the clause type is about;
its reason says so and names the default that a provision allowing the practice gets.
docs/methodology-severity.md carries the same table, and ``modifier_table()`` returns
it for the methodology page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clausewatch.analysis.negation import is_negated
from clausewatch.analysis.rules import MODIFIER_RULES, ModifierRule
from clausewatch.analysis.stance import AFFIRMS, DENIES, Stance
from clausewatch.taxonomy import ClauseType, Severity

_LEVELS = tuple(Severity)

# A sentence that opens with a condition ("If you have a teen account (ages 13-17) we
# do not ...") and whose main clause denies something.
_SENTENCE_START = re.compile(r"[.;!?]\s|\n")
_CONDITION_OPENING = re.compile(r"[\s*_>•·-]*(?:if|when|where|whenever|for)\b", re.I)
# "Even if you turn it off, we ..." offers no choice.
_REGARDLESS = re.compile(
    r"\b(?:even if|even when|regardless of(?: whether)?|whether or not"
    r"|irrespective of(?: whether)?)\b(?:\W+\w+){0,3}\W*$",
    re.I,
)
_DENYING_MAIN_CLAUSE = re.compile(
    r"\b(?:we|it|they)\s+(?:(?:do|does|will|shall|would|can|may)\s+not|never"
    r"|(?:do|does|did|wo|ca|would|should)n['’]t|cannot)\b",
    re.I,
)


@dataclass(frozen=True)
class SeverityModifier:
    """A reason found in the provision's text that moves the severity by ``effect``."""

    code: str
    effect: int
    description: str


@dataclass(frozen=True)
class SeverityAssessment:
    """The severity of one provision, its default and the modifiers that moved it."""

    level: Severity
    default: Severity
    reason: str
    modifiers: tuple[SeverityModifier, ...]


def assess_severity(
    clause_type: ClauseType, text: str, *, stance: Stance = AFFIRMS
) -> SeverityAssessment:
    """Assess the severity of a provision of ``clause_type`` from its ``text``.

    ``stance`` is the provision's stance towards the practice; a denial is Low.
    """
    if stance == DENIES:
        return SeverityAssessment(
            Severity.LOW, clause_type.severity, _denial_reason(clause_type), ()
        )
    modifiers = tuple(
        modifier
        for rule in MODIFIER_RULES
        if _applies(rule, clause_type)
        for modifier in [_find(rule, text, clause_type.id)]
        if modifier is not None
    )
    rank = clause_type.severity.rank + sum(modifier.effect for modifier in modifiers)
    level = _LEVELS[min(max(rank, 0), len(_LEVELS) - 1)]
    reason = _reason(clause_type, level, modifiers)
    return SeverityAssessment(level, clause_type.severity, reason, modifiers)


def modifier_table() -> tuple[tuple[str, int, str, tuple[str, ...]], ...]:
    """Return the modifier table as (code, effect, summary, categories) rows."""
    return tuple(
        (rule.code, rule.effect, rule.summary, tuple(sorted(rule.categories)))
        for rule in MODIFIER_RULES
    )


def _applies(rule: ModifierRule, clause_type: ClauseType) -> bool:
    return clause_type.category in rule.categories and clause_type.id not in rule.exempt


def _find(
    rule: ModifierRule, text: str, clause_type_id: str
) -> SeverityModifier | None:
    """Return the rule's modifier for the first phrase that is not negated."""
    for phrase in rule.phrases:
        if clause_type_id in phrase.exempt:
            continue
        for match in phrase.pattern.finditer(text):
            if is_negated(text, match.start()):
                continue
            if rule.effect > 0 and _in_condition_of_denial(text, match.start()):
                continue
            if rule.effect < 0 and _REGARDLESS.search(text, 0, match.start()):
                continue
            return SeverityModifier(rule.code, rule.effect, phrase.description)
    return None


def _in_condition_of_denial(text: str, start: int) -> bool:
    """Tell whether ``start`` lies in a condition whose main clause is a denial."""
    breaks = list(_SENTENCE_START.finditer(text, 0, start))
    sentence_start = breaks[-1].end() if breaks else 0
    if not _CONDITION_OPENING.match(text, sentence_start):
        return False
    sentence_end = _SENTENCE_START.search(text, start)
    main_clause = _DENYING_MAIN_CLAUSE.search(
        text, start, sentence_end.start() if sentence_end else len(text)
    )
    return main_clause is not None


def _reason(
    clause_type: ClauseType, level: Severity, modifiers: tuple[SeverityModifier, ...]
) -> str:
    """Write one sentence: the default and its reason, then what moved the level."""
    default = clause_type.severity
    base = f"{default.value} by default because {_clause(clause_type.severity_reason)}"
    if not modifiers:
        return f"{base}."
    raising = [m.description for m in modifiers if m.effect > 0]
    lowering = [m.description for m in modifiers if m.effect < 0]
    if level > default:
        moved = f"raised to {level.value} because {_join(raising)}"
    elif level < default:
        moved = f"lowered to {level.value} because {_join(lowering)}"
    elif raising and lowering:
        moved = f"kept at {level.value} because {_join(raising)}, but {_join(lowering)}"
    elif raising:
        moved = f"kept at {level.value}, the highest level, although {_join(raising)}"
    else:
        moved = f"kept at {level.value}, the lowest level, although {_join(lowering)}"
    return f"{base}; {moved}."


def _denial_reason(clause_type: ClauseType) -> str:
    default = clause_type.severity
    return (
        f"Low because the provision states that the platform does not engage in "
        f"this practice ({clause_type.name.lower()}); a provision that allows it is "
        f"{default.value} by default because {_clause(clause_type.severity_reason)}."
    )


def _clause(sentence: str) -> str:
    """Turn a stand-alone sentence into a clause that can follow "because"."""
    text = sentence.strip().rstrip(".")
    first_word = text.split(" ", 1)[0]
    # "Training ..." and "A ..." start in lower case, but "AI ..." and "GDPR ..." keep
    # their capitals.
    if first_word[:1].isupper() and (first_word[1:2].islower() or first_word == "A"):
        text = text[0].lower() + text[1:]
    return text


def _join(descriptions: list[str]) -> str:
    if len(descriptions) <= 1:
        return "".join(descriptions)
    return ", ".join(descriptions[:-1]) + " and " + descriptions[-1]
