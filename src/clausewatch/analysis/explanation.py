"""Plain-language explanation of one provision on one platform."""

from __future__ import annotations

import re
from dataclasses import dataclass

from clausewatch.analysis.stance import (
    AFFIRMS,
    DENIES,
    Stance,
    find_mentions,
    stance_aware,
)
from clausewatch.analysis.subjects import (
    detect_subjects,
    join_subjects,
    subject_vocabulary,
)
from clausewatch.taxonomy import ClauseType, render_template


@dataclass(frozen=True)
class Explanation:
    """The what-it-is sentence, why it matters, consumer impact and the subject used."""

    what_it_is: str
    why_it_matters: str
    consumer_impact: str
    subject: str


#: Used when a provision denies the practice and its clause type has no denial texts.
GENERIC_DENIAL_WHAT_IT_IS = (
    "{platform} states in its {document} that it does not do what this type of "
    "clause is about."
)
GENERIC_DENIAL_IMPACT = (
    "{platform} says it does not do this. A statement like this is a promise: if it "
    "is not true, regulators can treat it as deceptive."
)


def explain(
    clause_type: ClauseType,
    text: str,
    *,
    platform: str,
    document: str,
    stance: Stance = AFFIRMS,
) -> Explanation:
    """Explain a provision of ``clause_type`` in ``platform``'s ``document``.

    A provision that denies the practice (``stance`` "denies") gets the clause type's
    denial texts, else generic ones, so no sentence says the platform may do what the
    provision states it does not. A provision that only names the practice (in a right,
    a link, a definition or a condition) gets the type's neutral texts where it has
    them. So a right to opt out of a sale is not read as a sale.

    The subject is the data the provision names (up to three kinds, in the order the
    text mentions them), else the clause type's ``subject_default``. Generic mentions
    such as "personal data" keep the default, and so do clause types whose default
    subject is not data ("you and your account") or that turn ``subject_from_text``
    off.
    """
    subject = find_subject(clause_type, text)

    def fill(template: str) -> str:
        return render_template(
            template, platform=platform, document=document, subject=subject
        )

    what_it_is_template = clause_type.what_it_is
    impact_template = clause_type.consumer_impact
    if stance == DENIES:
        what_it_is_template = clause_type.denial_what_it_is or GENERIC_DENIAL_WHAT_IT_IS
        impact_template = clause_type.denial_consumer_impact or GENERIC_DENIAL_IMPACT
    elif clause_type.neutral_what_it_is and _names_practice_only(clause_type, text):
        what_it_is_template = clause_type.neutral_what_it_is
        impact_template = clause_type.neutral_consumer_impact or impact_template
    what_it_is = fill(what_it_is_template)
    # The page shows this sentence on its own, so it must name whose clause it is.
    if platform not in what_it_is:
        what_it_is = f"In {platform}'s {document}: {_lower_first(what_it_is)}"
    return Explanation(
        what_it_is=what_it_is,
        why_it_matters=fill(clause_type.why_it_matters),
        consumer_impact=fill(impact_template),
        subject=subject,
    )


def find_subject(clause_type: ClauseType, text: str) -> str:
    """Return the subject phrase for the template, in the default's style.

    Where the text names personal data in general and gives the specific kinds only
    as its examples ("your personal data, including your conversations"), the
    phrase keeps the default and adds the examples, because the clause covers all of
    it.
    """
    default = clause_type.subject_default
    # "personal data" is less specific than any default, such as "personal information
    # of children", so only specific subjects replace the default.
    about_data = clause_type.subject_from_text and _is_about_data(default)
    names = detect_subjects(text, generic=False) if about_data else []
    if not names:
        return default
    phrase = join_subjects(names)
    # Follow the default's wording: "your conversations" wants "your prompts".
    if default.lower().startswith("your "):
        phrase = f"your {phrase}"
    if _names_examples_of_general_data(text):
        return f"{default}, including {phrase}"
    return phrase


def _names_practice_only(clause_type: ClauseType, text: str) -> bool:
    """Tell whether a provision mentions its practice neither to affirm nor deny it."""
    if not stance_aware(clause_type.id):
        return False
    kinds = {mention.kind for mention in find_mentions(clause_type.id, text)}
    return not kinds & {"affirmed", "denied"}


# "including", "such as", "e.g." or "for example" right after a general data phrase.
_EXAMPLES_FOLLOW = re.compile(
    r"[\s,(]*(?:including|such as|like|e\.g\.|for example)\b", re.IGNORECASE
)


def _names_examples_of_general_data(text: str) -> bool:
    """Tell whether the first kind of data named is general, with examples after it."""
    general = [entry for entry in subject_vocabulary() if entry.generic]
    starts = [
        (match.start(), match.end())
        for entry in general
        for match in entry.pattern.finditer(text)
    ]
    specific_starts = [
        match.start()
        for entry in subject_vocabulary()
        if not entry.generic
        for match in entry.pattern.finditer(text)
    ]
    if not starts or not specific_starts:
        return False
    first_start, first_end = min(starts)
    return first_start < min(specific_starts) and bool(
        _EXAMPLES_FOLLOW.match(text, first_end)
    )


def _is_about_data(subject: str) -> bool:
    return bool(detect_subjects(subject)) or bool(
        re.search(r"\b(?:data|information|content)\b", subject, re.IGNORECASE)
    )


def _lower_first(sentence: str) -> str:
    first_word = sentence.split(" ", 1)[0]
    if first_word[:1].isupper() and first_word[1:2].islower():
        return sentence[0].lower() + sentence[1:]
    return sentence
