"""Stance of a provision towards its clause type: it affirms the practice or denies it.

"We do not sell your personal information" is classified as a sale-of-data clause, but
it says the opposite of "we may sell it". For the clause types listed in
``stance_cues.yaml``, each mention of the practice that the type's cues find is read
as one of:

- denied: a negation comes before it in the same clause and reaches it ("we do not
  sell", "your data is never used to train", "no human reads"), its subject is "none
  of" some data ("none of your chats is used to train"), or it is left out of a list
  of uses ("to improve the service (excluding model training)");
- neutral: it names the practice without saying the platform does it: a right or an
  opt-out ("you may opt out of the sale"), the name of a link ("Do Not Sell My
  Personal Information"), a run-in heading ("Profiling: we do not ..."), or a
  condition ("if we learn that we collected");
- affirmed: any other mention.

The provision denies the practice only when it has at least one denied mention, no
affirmed one, and no denial that is qualified. A denial is qualified when its sentence
goes on with an exception or a contrast ("except", "unless", "other than", "but",
"only", "without your consent"), when the next sentence opens with one ("However, we
share ..."), or when the denial is narrowed ("not for money", "in the conventional
sense", "not directly", "not voluntarily"). Every other provision affirms it, which is
also the stance of clause types without cues. Erring this way keeps a practice that a
provision allows from being reported as denied.

A negation does not deny the practice when it is "without" ("we share it without
asking"), when it is a prohibition on the user ("you may not sell"), when its scope
ends before the mention ("does not identify you may be shared"), or when it bears on
another verb ("we cannot guarantee", "not limited to", "not only", "we strip names so
that reports no longer identify anyone and pass them on").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from clausewatch.analysis.negation import negations_before
from clausewatch.taxonomy import Taxonomy, default_taxonomy
from clausewatch.taxonomy.reading import TaxonomyFileError, read_yaml

Stance = Literal["affirms", "denies"]
AFFIRMS: Stance = "affirms"
DENIES: Stance = "denies"
STANCES: tuple[Stance, ...] = (AFFIRMS, DENIES)

CUES_FILE = Path(__file__).resolve().parent / "stance_cues.yaml"

_I = re.IGNORECASE

# A sentence ends at a full stop, semicolon, question or exclamation mark, or a line
# break (list items are sentences of their own).
_SENTENCE_BREAK = re.compile(r"[.;!?](?:\s|$)|\n")
# A condition or a question opens the clause the mention sits in.
_HYPOTHETICAL = re.compile(
    r"\b(?:if|whether|in the event|in case|should we|should you)\b", _I
)
_CLAUSE_START = re.compile(r"[,:(]")
# A right or a request names the practice without affirming it.
_RIGHTS = re.compile(
    r"\bright (?:to|of)\b|\b(?:ask|tell|direct|instruct)(?:s|ed|ing)? us (?:not )?to\b"
    r"|\brequests? (?:to|that|for)\b|\bwithdraw\w*",
    _I,
)
# An opt-out implies the practice ("you can opt out of training"), unless it is
# itself negated ("we do not process opt-out requests for the sale").
_OPT_OUT = re.compile(
    r"\bopt(?:s|ed|ing)?[- ]?(?:out|in)\b|\bobject(?:s|ed|ing)? to\b"
    r"|\b(?:turn|switch)(?:s|ed|ing)? (?:it |this |that )?off\b",
    _I,
)
# The name of a link or button such as "Do Not Sell or Share My Personal Information".
_LINK_NAME = re.compile(
    r"\bdo not (?:sell|share)(?: or (?:sell|share))?"
    r"(?: my\b| (?:link|button|toggle|page|request|signal)s?\b)"
    r"|[\"“‘']\W*do not (?:sell|share)\b",
    _I,
)
# A heading or label of a few words ("Sale.") names a topic without a statement.
_HEADING_WORDS = 3
# A run-in heading of a list item or paragraph ("**Profiling:** We do not ...") names
# the topic of the statement after the colon.
_RUN_IN_HEADING = re.compile(
    r"^[\s*#>•·-]*(?:[\w'’/()-]+\s+){0,5}[\w'’/()-]+\s*(?:\*\*|__)?\s*:", _I
)
# Words after a negation that show it bears on something else than the practice.
_OTHER_SCOPE = re.compile(
    r"\b(?:only|just|merely|necessarily|always|all|every|limited|restricted"
    r"|responsible|liable|able|possible|guarantee\w*|ensure|warrant\w*|control\w*"
    r"|prevent\w*|stop\w*|require\w*|need|have to|want|wish|choose|decide"
    r"|agree|object|opt|aware|apply|applies|identif\w*)\b",
    _I,
)
# A new subject with its own verb ends the reach of a negation.
_NEW_CLAUSE = re.compile(
    r"\b(?:may|might|can|could|will|would|shall|must)\b|\b(?:and|or|while|whereas"
    r"|so|then|because|as)\s+(?:we|you|they|it|our|its|these|those|such)\b",
    _I,
)
# Prohibitions on the user: "you may not sell", "users must not".
_USER_PROHIBITION = re.compile(
    r"\b(?:you|users?|customers?|members?)\s+(?:(?:may|must|shall|should|will)\s+"
    r"|(?:agree|undertake|promise)s?\s+|(?:are|is)\s+)$",
    _I,
)
# Exceptions and contrasts after a denied mention, in the rest of its sentence.
_EXCEPTION = re.compile(
    r"\b(?:except\w*|unless|other than|apart from|aside from|save for|excluding"
    r"|beyond|but|however|although|though|yet|instead|only"
    r"|outside)\b|\bwithout (?:first |prior |your |their |the user's |obtaining "
    r"|asking|getting|express|explicit|written|notice|telling)",
    _I,
)
# Narrowed denials: the statement leaves the practice open in another form.
_NARROWING = re.compile(
    r"\bfor (?:money|cash|monetary|financial)\b|\bmonetary\b"
    r"|\b(?:conventional|traditional|ordinary|commonly understood|usual) sense\b"
    r"|\b(?:directly|voluntarily|generally|typically|usually|routinely)\b",
    _I,
)
# Exceptions before the negation: "Unless you opt in, we will not ...".
# A condition before the negation makes the denial conditional: "Once you opt out,
# new chats are not used", "If the setting is off, we do not".
# A denial limited to one mode ("Temporary chats are not used to train") leaves the
# practice open in the ordinary mode.
_EXCEPTION_BEFORE = re.compile(
    r"\b(?:except\w*|unless|other than|apart from|aside from|save for|without|if"
    r"|once|when|whenever|after|while|until|provided|temporary|incognito|ephemeral"
    r"|private mode|guest mode)\b",
    _I,
)
# A next sentence that opens with a contrast qualifies the denial before it.
_CONTRAST_OPENING = re.compile(
    r"^\W*(?:however|but|that said|nevertheless|nonetheless|instead|although"
    r"|except|unless|yet|still|even so)\b",
    _I,
)

# A practice left out of a list of uses denies it without a negation word: "to
# improve the service (excluding model training)".
_EXCLUDED = re.compile(r"\bexcluding\s+(?:(?:any|the|all|model|AI)\s+){0,2}$", _I)
# "None of your chats is used to train" denies with the data as its subject. Other
# subjects ("none of the services is meant for") are left alone, because "none" also
# opens disclaimers that mention a practice only in passing.
_NONE_OF_DATA = re.compile(
    r"\bnone of (?:your|the|this|these|such|any|our)?\s*"
    r"(?:(?!or\b|and\b)[\w-]+\s+){0,2}?"
    r"(?:data|information|content|conversations?|chats?|messages?|prompts?|inputs?"
    r"|outputs?|recordings?|details|files|photos|posts)\b",
    _I,
)
# The reach of "none of ... data" ends at a new clause, a condition or a new subject:
# "none of the data that we sell", "none of your data is kept after we sell".
_NONE_OF_ENDS = re.compile(
    r"[.;:!?]\s|\b(?:but|however|unless|except|although|instead|after|before|when"
    r"|if|once|because|since|while|until|where|who|whom|which|that|whose|we|you"
    r"|they)\b",
    _I,
)

_URL = re.compile(r"(?:https?://|www\.)[^\s)\]>\"]+", _I)

MentionKind = Literal["affirmed", "denied", "neutral"]


@dataclass(frozen=True)
class Mention:
    """One mention of the practice in a provision and how the provision states it."""

    start: int
    end: int
    kind: MentionKind
    qualified: bool = False


@dataclass(frozen=True)
class StanceCues:
    """The practice cues of each stance-aware clause type."""

    patterns: Mapping[str, re.Pattern[str]]

    @property
    def clause_type_ids(self) -> frozenset[str]:
        return frozenset(self.patterns)


def detect_stance(
    clause_type_id: str, text: str, *, cues: StanceCues | None = None
) -> Stance:
    """Return "denies" when the provision only mentions the practice to deny it."""
    mentions = find_mentions(clause_type_id, text, cues=cues)
    denied = [mention for mention in mentions if mention.kind == "denied"]
    if not denied:
        return AFFIRMS
    if any(mention.kind == "affirmed" for mention in mentions):
        return AFFIRMS
    if any(mention.qualified for mention in denied):
        return AFFIRMS
    return DENIES


def stance_aware(clause_type_id: str, *, cues: StanceCues | None = None) -> bool:
    """Tell whether a clause type gets stance detection."""
    return clause_type_id in (cues or default_stance_cues()).patterns


def find_mentions(
    clause_type_id: str, text: str, *, cues: StanceCues | None = None
) -> tuple[Mention, ...]:
    """Find the mentions of the clause type's practice and read each one."""
    pattern = (cues or default_stance_cues()).patterns.get(clause_type_id)
    if pattern is None:
        return ()
    # Words inside a link's address ("/do-not-sell-my-info") are not statements.
    urls = [match.span() for match in _URL.finditer(text)]
    return tuple(
        _read_mention(text, match.start(), match.end())
        for match in pattern.finditer(text)
        if not any(start <= match.start() < end for start, end in urls)
    )


def _read_mention(text: str, start: int, end: int) -> Mention:
    sentence_start, sentence_end = _sentence_bounds(text, start, end)
    sentence = text[sentence_start:sentence_end]
    local = start - sentence_start
    before = sentence[:local]
    context = _context_kind(sentence, local, end - sentence_start)
    if context is not None:
        return Mention(start, end, context)

    negation = _denying_negation(sentence, local)
    if negation is None:
        return Mention(start, end, "affirmed")
    after = sentence[end - sentence_start :]
    qualified = (
        bool(_EXCEPTION.search(after))
        or bool(_EXCEPTION_BEFORE.search(before[:negation]))
        or bool(_NARROWING.search(before[negation:] + after))
        or _next_sentence_contrasts(text, sentence_end)
    )
    return Mention(start, end, "denied", qualified)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    breaks_before = list(_SENTENCE_BREAK.finditer(text, 0, start))
    sentence_start = breaks_before[-1].end() if breaks_before else 0
    following = _SENTENCE_BREAK.search(text, end)
    sentence_end = following.end() if following else len(text)
    return sentence_start, sentence_end


def _context_kind(sentence: str, start: int, end: int) -> MentionKind | None:
    """Read a mention from its context: a link name, right, opt-out or condition."""
    before = sentence[:start]
    if _LINK_NAME.search(sentence[max(0, start - 20) : end + 20]):
        return "neutral"
    heading = _RUN_IN_HEADING.match(sentence)
    if heading and end <= heading.end():
        return "neutral"
    if len(re.findall(r"[^\W\d_]+", sentence)) <= _HEADING_WORDS:
        return "neutral"
    clause_breaks = list(_CLAUSE_START.finditer(before))
    clause = before[clause_breaks[-1].end() :] if clause_breaks else before
    if _RIGHTS.search(clause[-80:]) or _HYPOTHETICAL.search(clause):
        return "neutral"
    near = clause[-80:]
    opt_outs = list(_OPT_OUT.finditer(near))
    if opt_outs:
        negated = negations_before(near, opt_outs[-1].start())
        return "neutral" if negated else "affirmed"
    return None


def _denying_negation(sentence: str, start: int) -> int | None:
    """Return the offset of the words that deny the mention at ``start``."""
    excluded = _EXCLUDED.search(sentence[:start])
    if excluded:
        return excluded.start()
    negation = _negation_reaching(sentence, start)
    if negation is not None:
        return negation
    return _none_of_data(sentence, start)


def _none_of_data(sentence: str, start: int) -> int | None:
    """Return the offset of a "none of your data" that is the subject of the mention."""
    found = list(_NONE_OF_DATA.finditer(sentence, 0, start))
    if not found:
        return None
    between = sentence[found[-1].end() : start]
    if _NONE_OF_ENDS.search(between) or _OTHER_SCOPE.search(between):
        return None
    return found[-1].start()


def _negation_reaching(sentence: str, start: int) -> int | None:
    # "Without" never denies the mention ("we share it without asking"), but it does
    # not end the reach of a negation before it either: "we do not use automated
    # decisions without human review, including profiling" denies profiling too.
    negations = [
        item for item in negations_before(sentence, start) if item[1] != "without"
    ]
    if not negations:
        return None
    offset, word = negations[-1]
    # "You will not be profiled" denies; "you will not resell" binds the user.
    passive = sentence[offset + len(word) :].lstrip().lower().startswith("be ")
    if not passive and _USER_PROHIBITION.search(sentence[max(0, offset - 40) : offset]):
        return None
    between = sentence[offset + len(word) : start]
    if _OTHER_SCOPE.search(between) or _NEW_CLAUSE.search(between):
        return None
    return offset


def _next_sentence_contrasts(text: str, sentence_end: int) -> bool:
    return bool(_CONTRAST_OPENING.search(text[sentence_end : sentence_end + 40]))


# -- the cue file ---------------------------------------------------------------------


@cache
def default_stance_cues() -> StanceCues:
    """Load the bundled cue file once, checked against the bundled taxonomy."""
    return load_stance_cues(CUES_FILE, default_taxonomy())


def load_stance_cues(path: Path, taxonomy: Taxonomy) -> StanceCues:
    """Read and validate a cue file; raise TaxonomyFileError naming file and field."""
    document = read_yaml(path)
    if not isinstance(document, dict) or not isinstance(
        document.get("clause_types"), dict
    ):
        raise TaxonomyFileError(
            path,
            "top level must be a mapping with a 'clause_types' mapping of clause "
            "type ids to their cues",
            field="clause_types",
        )
    unknown_keys = sorted(str(key) for key in document if key not in _TOP_KEYS)
    if unknown_keys:
        raise TaxonomyFileError(
            path,
            f"unknown top-level key(s) {', '.join(unknown_keys)}; "
            f"use only {', '.join(sorted(_TOP_KEYS))}",
        )
    patterns = {
        str(clause_type_id): _compile_entry(path, str(clause_type_id), raw, taxonomy)
        for clause_type_id, raw in document["clause_types"].items()
    }
    return StanceCues(patterns)


_TOP_KEYS = frozenset({"clause_types", "cue_sets"})


def _compile_entry(
    path: Path, clause_type_id: str, raw: Any, taxonomy: Taxonomy
) -> re.Pattern[str]:
    def fail(problem: str, field: str) -> TaxonomyFileError:
        return TaxonomyFileError(
            path, problem, entry="clause type", entry_id=clause_type_id, field=field
        )

    if clause_type_id not in taxonomy.clause_types:
        raise fail(
            "is not a clause type of the taxonomy; fix the id or remove the entry",
            "clause_types",
        )
    if not isinstance(raw, dict) or set(raw) != {"practice"}:
        raise fail("must be a mapping with only a 'practice' list", "practice")
    practice = raw["practice"]
    if not isinstance(practice, list) or not practice:
        raise fail("must be a non-empty list of regular expressions", "practice")
    for index, item in enumerate(practice):
        if not isinstance(item, str) or not item.strip():
            raise fail("must be a non-empty string", f"practice[{index}]")
        try:
            re.compile(item)
        except re.error as error:
            raise fail(
                f"is not a valid regular expression ({error}); fix the pattern",
                f"practice[{index}]",
            ) from error
    return re.compile("|".join(f"(?:{item.strip()})" for item in practice), _I)
