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
  Personal Information"), a heading ("Profiling: we do not ...", "**Opt out of
  Sale**", "Sale & marketing."), a definition ("the law defines 'sale' as"), the
  user's own act ("the photos you provided to us"), or a condition ("if we learn
  that we collected");
- affirmed: any other mention.

A clause type whose cues have an ``about`` list counts a mention only in a sentence
that names what the practice bears on: children for the children's data type, so
"you must be old enough to consent to the processing of your data" is no mention.
A provision that names them nowhere has every sentence counted.

The provision denies the practice only when it has at least one denied mention, no
affirmed one, and no denial that is qualified. A denial is qualified when its own
clause goes on with an exception or a time limit ("except", "unless", "other than",
"only", "without your consent", "after you click") or limits it to what identifies
someone ("information that identifies you"), when a contrast follows ("but we share
it with partners", or a next sentence "However, we share ..."), when a condition
comes before the negation ("Once you opt out, we do not"), or when the denial is
hedged ("not directly", "not voluntarily", "not generally"). A contrast that only
states that the platform uses service providers does not qualify a denial, and
neither does an exception in a later clause with its own subject ("we do not sell
your data, and we do not share it unless you agree"). A next sentence opening with
"Instead" qualifies it only where it names what the practice bears on ("Instead, we
map the shape of your face"). Every other provision affirms it, which is also the
stance of clause types without cues. Erring this way keeps a practice that a
provision allows from being reported as denied.

A denial narrowed to one sense of the word ("we do not sell your data in the
conventional sense, for money") still denies the practice as the clause states it.
A provision that calls some disclosures a sale in a law's wider sense states so in
words of its own ("may be considered a sale"), which are an affirmed mention.

A negation does not deny the practice when it is "without" ("we share it without
asking"), when it is a prohibition on the user ("you may not sell"), when its scope
ends before the mention ("does not identify you may be shared"), or when it bears on
another verb ("we cannot guarantee", "not limited to", "not only", "we strip names so
that reports no longer identify anyone and pass them on").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from clausewatch.analysis.negation import negations_before
from clausewatch.analysis.stance_cues import (
    CUES_FILE,
    StanceCues,
    default_stance_cues,
    load_stance_cues,
)

Stance = Literal["affirms", "denies"]
AFFIRMS: Stance = "affirms"
DENIES: Stance = "denies"
STANCES: tuple[Stance, ...] = (AFFIRMS, DENIES)

__all__ = [
    "AFFIRMS",
    "CUES_FILE",
    "DENIES",
    "STANCES",
    "Mention",
    "Stance",
    "StanceCues",
    "default_stance_cues",
    "detect_stance",
    "find_mentions",
    "load_stance_cues",
    "stance_aware",
]

_I = re.IGNORECASE

# A sentence ends at a full stop, semicolon, question or exclamation mark, or a line
# break (list items are sentences of their own), also inside bold or italics
# ("**Your rights.** We ..."). A full stop after a single letter ends an
# abbreviation ("U.S.", "e.g."), not a sentence.
_SENTENCE_BREAK = re.compile(r"(?:(?<!\b[^\W\d_])\.|[;!?])(?:\*\*|__|\*|_)?(?:\s|$)|\n")
# A condition or a question opens the clause the mention sits in.
_HYPOTHETICAL = re.compile(
    r"\b(?:if|whether|in the event|in case|should we|should you)\b", _I
)
_CLAUSE_START = re.compile(r"[,:(]")
# A condition reaches over the commas of a list ("if a child, minor or anyone under
# 18 has provided us ...") and ends where the main clause starts with its subject
# ("if you opt out, we ...").
_MAIN_CLAUSE_START = re.compile(
    r"[:(]|,\s*(?:then\s+)?(?:we|you|they|it|he|she|i|please|our|your|this|these"
    r"|those)\b",
    _I,
)
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
# the topic of the statement after the colon. A heading of up to six words may use
# any words, and a longer one ("Sale & targeted marketing of our products:") contains
# no statement word.
_RUN_IN_HEADING = re.compile(
    r"^[\s*#>•·-]*(?:[\w'’/()&-]+\s+){0,5}[\w'’/()&-]+\s*(?:\*\*|__)?\s*:", _I
)
_LONG_RUN_IN_HEADING = re.compile(
    r"^[\s*#>•·-]*(?:[\w'’/()&,-]+\s+){6,11}[\w'’/()&-]+\s*(?:\*\*|__)?\s*:", _I
)
# A first sentence of a line in bold ("**Opt out of Sale**."), or a short one with no
# subject, verb form, negation or comma ("Sale & targeted marketing."), is a title.
_EMPHASISED_TITLE = re.compile(
    r"^[\s>•·+-]*(?:\*\s+)?(?:\d{1,3}[.)]\s*)?(\*\*|__)[^*_\n]+?\1[\s.:]*$"
)
_TITLE_WORDS = 10
_STATEMENT_WORD = re.compile(
    r"\b(?:we|you|they|it|he|she|i|us|is|are|was|were|be|been|am|do|does|did|has"
    r"|have|had|may|might|can|could|will|would|shall|should|must|not|never|no)\b"
    r"|n['’]t\b",
    _I,
)
# The user's own act of passing data on: "the photos you provided to us", "what
# users share". The platform's practice on that data has a verb of its own ("we
# collect"), and in "we show you ads" the user is no subject.
_USER_ACT = re.compile(
    r"\b(?:you|users?|the user)\s+(?:(?:have|has|may|can|might|will|also|choose to"
    r"|decide to)\s+)*$",
    _I,
)
_PASSING_VERB = re.compile(
    r"provid|giv|gave|send|sent|shar|submit|upload|disclos|pass|transfer", _I
)
# A defined term: "the law defines 'sale' as", "the term 'sell'", "'sale' means".
_DEFINED_BEFORE = re.compile(
    r"\b(?:defines?|definitions? of|the terms?|the words?)\s*[\"“‘']?\s*$", _I
)
_DEFINED_AFTER = re.compile(
    r"^\s*[\"”’']\s*(?:means|to mean|refers? to|is defined)\b", _I
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
# Exceptions, contrasts and time limits after a denied mention, in its own clause,
# and an object limited to what identifies someone ("information that identifies
# you"), which leaves the practice open for the rest.
_EXCEPTION = re.compile(
    r"\b(?:except\w*|unless|other than|apart from|aside from|save for|excluding"
    r"|beyond|but|however|although|though|yet|only"
    r"|outside)\b|\bwithout (?:first |prior |your |their |the user's |obtaining "
    r"|asking|getting|express|explicit|written|notice|telling)"
    r"|\b(?:after|once|until)\s+(?:you|we)\b"
    r"|\b(?:that|which)\s+(?:\w+\s+)?identif(?:y|ies)\s+(?:you|users?|people)\b"
    r"|\bpersonally identifiable\b|\bidentif(?:y|ies) you (?:personally|directly)\b",
    _I,
)
# The start of a later clause with its own subject ends the reach of an exception:
# in "we do not sell your data, and we do not share it unless you agree", "unless"
# bears on sharing. "... but we may do so" refers back to the practice, so it does
# not start a clause of its own.
_LINKING_WORD = r"\b(?:and|but|however|yet|whereas|while|although|though|so)\b\s*,?\s*"
_OWN_CLAUSE = re.compile(
    rf"(?:[,;]\s*(?:{_LINKING_WORD})?|{_LINKING_WORD})(?:we|you|they|it|he|she)\s+"
    r"(?!(?:\w+\s+){0,2}?do(?:es)? (?:so|this|that|it)\b)",
    _I,
)
_CONTRAST = re.compile(r"\b(?:but|however|yet|although|though)\b", _I)
# A hedge after the mention bears on the practice up to a relative clause: "data
# that directly identifies you" hedges identifying, not sharing.
_RELATIVE = re.compile(r"\b(?:that|which|who|whom|whose)\b", _I)
# Passing data to service providers that act for the platform is no sale, training or
# other practice of its own, so a contrast that states only that keeps a denial whole.
_SERVICE_PROVIDERS = re.compile(
    r"\bservice providers?\b|\bprocessors?\b|\bvendors?\b|\bcontractors?\b"
    r"|\bon (?:our|its|their) behalf\b",
    _I,
)
# Hedged denials: the statement concedes that the practice happens at times or in an
# indirect form ("files are not used directly for training").
_NARROWING = re.compile(
    r"\b(?:directly|voluntarily|generally|typically|usually|routinely)\b",
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
# "While we do not sell ..." concedes a point, like "although", and sets no time.
_CONCESSIVE_WHILE = re.compile(
    r"\b(?i:while|whilst)\s+(?:(?i:we|it|they)|[A-Z][\w.&-]*)\s+"
    r"(?:(?i:do|does|did|will|shall|would|can|may)\s+)?$"
)
# A next sentence that opens with a contrast qualifies the denial before it.
# "Instead" names what is done in place of the practice, and a practice named there
# is a mention of its own, so it qualifies only in the case that
# ``_next_sentence_contrasts`` describes.
_INSTEAD_OPENING = re.compile(r"^\W*instead\b", _I)
_CONTRAST_OPENING = re.compile(
    r"^\W*(?:however|but|that said|nevertheless|nonetheless|although"
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
    """Find the mentions of the clause type's practice and read each one.

    A clause type with an ``about`` pattern counts only the mentions in sentences
    that the pattern finds.
    """
    cues = cues or default_stance_cues()
    pattern = cues.patterns.get(clause_type_id)
    if pattern is None:
        return ()
    about = cues.about.get(clause_type_id)
    # A provision that never names what the practice bears on gives no sentence to
    # prefer, so all its sentences count.
    if about is not None and not about.search(text):
        about = None
    # Words inside a link's address ("/do-not-sell-my-info") are not statements.
    urls = [match.span() for match in _URL.finditer(text)]
    mentions = []
    for match in pattern.finditer(text):
        if any(start <= match.start() < end for start, end in urls):
            continue
        sentence_start, sentence_end = _sentence_bounds(
            text, match.start(), match.end()
        )
        if about is not None and not about.search(text, sentence_start, sentence_end):
            continue
        mentions.append(_read_mention(text, match.start(), match.end(), about))
    return tuple(mentions)


def _read_mention(
    text: str, start: int, end: int, about: re.Pattern[str] | None = None
) -> Mention:
    sentence_start, sentence_end = _sentence_bounds(text, start, end)
    sentence = text[sentence_start:sentence_end]
    local = start - sentence_start
    before = sentence[:local]
    at_line_start = sentence_start == 0 or text[sentence_start - 1] == "\n"
    context = _context_kind(sentence, local, end - sentence_start, at_line_start)
    if context is not None:
        return Mention(start, end, context)

    negation = _denying_negation(sentence, local)
    if negation is None:
        return Mention(start, end, "affirmed")
    after = sentence[end - sentence_start :]
    later_clause = _OWN_CLAUSE.search(after)
    own_clause = after[: later_clause.start()] if later_clause else after
    # A colon opens a clause of its own: "not intended for children under 13: if you
    # are under 13, wait until you turn 13" sets no time limit on the denial.
    own_clause = re.split(r":\s", own_clause, maxsplit=1)[0]
    qualified = (
        bool(_EXCEPTION.search(own_clause))
        or _contrast_follows(after, later_clause)
        or _condition_precedes(before[:negation])
        or bool(_NARROWING.search(before[negation:] + _RELATIVE.split(own_clause)[0]))
        or _next_sentence_contrasts(text, sentence_end, about)
    )
    return Mention(start, end, "denied", qualified)


def _contrast_follows(after: str, later_clause: re.Match[str] | None) -> bool:
    """Tell whether a later clause opens with a contrast that qualifies a denial.

    Exceptions count only in the denial's own clause, but a later clause with its
    own subject qualifies it when it opens with a contrast ("but we share it with
    partners") that is about more than the platform's service providers.
    """
    if later_clause is None or not _CONTRAST.search(later_clause.group()):
        return False
    return not _SERVICE_PROVIDERS.search(after, later_clause.start())


def _condition_precedes(before: str) -> bool:
    """Tell whether a condition or exception opens the sentence before a negation."""
    return bool(_EXCEPTION_BEFORE.search(_CONCESSIVE_WHILE.sub("", before)))


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    breaks_before = list(_SENTENCE_BREAK.finditer(text, 0, start))
    sentence_start = breaks_before[-1].end() if breaks_before else 0
    following = _SENTENCE_BREAK.search(text, end)
    sentence_end = following.end() if following else len(text)
    return sentence_start, sentence_end


def _context_kind(
    sentence: str, start: int, end: int, at_line_start: bool
) -> MentionKind | None:
    """Read a mention from its context: a link name, heading, right or condition."""
    before = sentence[:start]
    if _LINK_NAME.search(sentence[max(0, start - 20) : end + 20]):
        return "neutral"
    if _is_heading(sentence, end, at_line_start):
        return "neutral"
    if _DEFINED_BEFORE.search(before) or _DEFINED_AFTER.match(sentence, end):
        return "neutral"
    if _PASSING_VERB.match(sentence, start) and _USER_ACT.search(before):
        return "neutral"
    clause_breaks = list(_CLAUSE_START.finditer(before))
    clause = before[clause_breaks[-1].end() :] if clause_breaks else before
    main_clauses = list(_MAIN_CLAUSE_START.finditer(before))
    condition = before[main_clauses[-1].end() :] if main_clauses else before
    if _RIGHTS.search(clause[-80:]) or _HYPOTHETICAL.search(condition):
        return "neutral"
    near = clause[-80:]
    opt_outs = list(_OPT_OUT.finditer(near))
    if opt_outs:
        negated = negations_before(near, opt_outs[-1].start())
        return "neutral" if negated else "affirmed"
    return None


def _is_heading(sentence: str, end: int, at_line_start: bool) -> bool:
    """Tell whether the mention ending at ``end`` sits in a heading or a title."""
    heading = _RUN_IN_HEADING.match(sentence) or _LONG_RUN_IN_HEADING.match(sentence)
    if heading and end <= heading.end():
        if heading.re is _RUN_IN_HEADING or not _STATEMENT_WORD.search(heading.group()):
            return True
    words = re.findall(r"[^\W\d_]+", sentence)
    if len(words) <= _HEADING_WORDS:
        return True
    if not at_line_start:
        return False
    if _EMPHASISED_TITLE.match(sentence):
        return True
    return (
        len(words) <= _TITLE_WORDS
        and not _STATEMENT_WORD.search(sentence)
        and not re.search(r"[,:;]", sentence)
    )


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


def _next_sentence_contrasts(
    text: str, sentence_end: int, about: re.Pattern[str] | None
) -> bool:
    """Tell whether the next sentence opens with a contrast that qualifies a denial.

    "Instead" qualifies it only where the clause type names what its practice bears
    on and the sentence does too: "we do not use face recognition. Instead, we map
    the shape of your face" goes on with the practice in another form.
    """
    opening = text[sentence_end : sentence_end + 40]
    following = _SENTENCE_BREAK.search(text, sentence_end)
    next_sentence = text[sentence_end : following.end() if following else len(text)]
    if _INSTEAD_OPENING.search(opening):
        return about is not None and bool(about.search(next_sentence))
    if not _CONTRAST_OPENING.search(opening):
        return False
    return not _SERVICE_PROVIDERS.search(next_sentence)
