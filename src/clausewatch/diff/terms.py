"""Key terms of a provision: content words and short noun phrases worth noticing.

Candidate phrases are the runs of words between stopwords and punctuation, as in the
RAKE keyword method, cut into pieces of at most three words. A negation before a run
stays with it, so "do not sell" yields "not sell", and "never sell" compares equal to
it. Terms compare by light stems, so "training" in one version and "trained" in the
other is no change.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import NamedTuple

from clausewatch.diff.lexicon import NEGATIONS, NOTABLE_WORDS, STOPWORDS, WEAK_WORDS

MAX_PHRASE_WORDS = 3
MAX_TERMS = 6
# A provision whose text changes in two versions in a row has its text compared
# twice. On an import of the histories of 38 platforms, a cache of the latest 2,000
# texts served 98% of those repeats.
KEY_TERMS_CACHE_SIZE = 2048

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_URL_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.-]+")
_TOKEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*|[^\w\s]")
_SENTENCE_END = frozenset(".!?:;")
# Markup and opening marks keep a pending negation and the sentence start as they
# were, so "do not **sell**" still yields "not sell".
_MARKUP = frozenset("*_#>`\"“‘'([-•")
_NOTABLE_EXACT = frozenset(word for word in NOTABLE_WORDS if not word.endswith("*"))
_NOTABLE_PREFIXES = tuple(word[:-1] for word in NOTABLE_WORDS if word.endswith("*"))


class KeyTerm(NamedTuple):
    """One key term of a text, with what ranks it against the others.

    A named tuple, because a long history yields over a hundred thousand terms and a
    tuple is built in about half the time of a dataclass.
    """

    text: str
    stems: tuple[str, ...]
    score: float
    offset: int


def stem(word: str) -> str:
    """Reduce an English word to a light stem ("parties" and "party" to "parti")."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix, replacement in (("ies", "i"), ("ing", ""), ("ed", ""), ("es", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    else:
        if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 3 and word.endswith("y"):
        word = word[:-1] + "i"
    return word


def is_notable(word: str) -> bool:
    """Tell whether a lowercase word is one that readers of policies look for."""
    return word in _NOTABLE_EXACT or word.startswith(_NOTABLE_PREFIXES)


@functools.lru_cache(maxsize=KEY_TERMS_CACHE_SIZE)
def extract_key_terms(text: str) -> Mapping[tuple[str, ...], KeyTerm]:
    """Extract the key terms of a text, keyed by their stems, in text order.

    The result is cached by text, so it is read-only.
    """
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "://" in text or "www." in text or "@" in text:
        text = _URL_OR_EMAIL.sub(" . ", text)
    terms: dict[tuple[str, ...], KeyTerm] = {}
    for offset, words, infos, negation in _candidate_runs(text):
        for start in range(0, len(words), MAX_PHRASE_WORDS):
            end = start + MAX_PHRASE_WORDS
            term = _make_term(
                words[start:end],
                infos[start:end],
                negation if start == 0 else None,
                offset + start,
            )
            if term is not None and term.stems not in terms:
                terms[term.stems] = term
    return MappingProxyType(terms)


def changed_terms(before: str, after: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the key terms only in ``after`` and only in ``before``, notable first."""
    before_terms = extract_key_terms(before)
    after_terms = extract_key_terms(after)
    added = [term for key, term in after_terms.items() if key not in before_terms]
    removed = [term for key, term in before_terms.items() if key not in after_terms]
    return rank_terms(added), rank_terms(removed)


def top_terms(text: str) -> tuple[str, ...]:
    """Return the most notable key terms of one text."""
    return rank_terms(list(extract_key_terms(text).values()))


def rank_terms(terms: list[KeyTerm]) -> tuple[str, ...]:
    """Order terms by score, then by position, and keep at most ``MAX_TERMS``."""
    ranked = sorted(terms, key=lambda term: (-term.score, term.offset))
    return tuple(term.text for term in ranked[:MAX_TERMS])


class _TokenInfo(NamedTuple):
    role: int
    lower: str
    display: str
    sentence_end: bool
    markup: bool
    stem: str
    notable: bool
    weak: bool
    has_digit: bool
    is_alpha: bool


_CONTENT, _STOPWORD, _NEGATION, _PUNCTUATION = 0, 1, 2, 3
# Policies reuse a small vocabulary, so a cache makes most tokens one dict lookup.
# The cache is emptied when full, which bounds its memory.
_TOKEN_CACHE: dict[str, _TokenInfo] = {}
_TOKEN_CACHE_SIZE = 100_000


def _token_info(token: str) -> _TokenInfo:
    info = _TOKEN_CACHE.get(token)
    if info is not None:
        return info

    lower = token.lower()
    plain = lower.replace("’", "'")
    if not token[0].isalnum():
        role = _PUNCTUATION
    elif plain in NEGATIONS or plain.endswith("n't"):
        role = _NEGATION
    elif plain in STOPWORDS:
        role = _STOPWORD
    else:
        role = _CONTENT

    # ``display`` is the form at a sentence start: acronyms and brand spellings keep
    # their case ("AI", "OpenAI") and other words are lowercased. Inside a sentence
    # a word is shown as written, because a capital there marks a name.
    keeps_case = any(letter.isupper() for letter in token[1:])
    info = _TokenInfo(
        role=role,
        lower=lower,
        display=token if keeps_case else lower,
        sentence_end=token in _SENTENCE_END,
        markup=token in _MARKUP,
        stem=stem(lower),
        notable=is_notable(lower),
        weak=lower in WEAK_WORDS or lower.isdigit() or len(lower) < 2,
        has_digit=any(char.isdigit() for char in lower),
        is_alpha=lower.isalpha(),
    )

    if len(_TOKEN_CACHE) >= _TOKEN_CACHE_SIZE:
        _TOKEN_CACHE.clear()
    _TOKEN_CACHE[token] = info
    return info


def _candidate_runs(
    text: str,
) -> Iterator[tuple[int, list[str], list[_TokenInfo], str | None]]:
    """Yield (word offset, words, token infos, negation or None) for each run.

    The negation is shown with the stopwords between it and the run ("cannot be"),
    so a negated term reads as the text does ("cannot be turned").
    """
    words: list[str] = []
    infos: list[_TokenInfo] = []
    run_offset = 0
    run_start = ""
    negation: str | None = None
    sentence_start = True
    for offset, token in enumerate(_TOKEN.findall(text)):
        info = _token_info(token)
        role = info.role
        if role == _CONTENT:
            if not words:
                run_offset = offset
                run_start = token
            elif len(words) == 1 and token[0].isupper():
                # A title-case phrase ("Viber Credits") keeps the case of its first
                # word even at a sentence start.
                words[0] = run_start
            words.append(info.display if sentence_start else token)
            infos.append(info)
            sentence_start = False
            continue
        if words:
            yield run_offset, words, infos, negation
            words, infos = [], []
            negation = None
        if role == _PUNCTUATION:
            if not info.markup:
                negation = None
                sentence_start = info.sentence_end
            continue
        # A negation reaches across stopwords ("not share your") to the next run
        # only, and punctuation ends it.
        if role == _NEGATION:
            negation = "not" if info.lower.endswith(("n't", "n’t")) else info.lower
        elif negation is not None:
            negation = f"{negation} {info.lower}"
        sentence_start = False
    if words:
        yield run_offset, words, infos, negation


def _make_term(
    words: list[str], infos: list[_TokenInfo], negation: str | None, offset: int
) -> KeyTerm | None:
    # One pass over the (at most three) words, because this runs for every phrase.
    all_weak = True
    any_alpha = notable = has_number = False
    for info in infos:
        all_weak = all_weak and info.weak
        any_alpha = any_alpha or info.is_alpha
        notable = notable or info.notable
        has_number = has_number or info.has_digit
    if all_weak:
        # "not use" is worth noticing although "use" alone is not.
        if negation is None or not any_alpha:
            return None
    # Notable terms and figures ("90 days") come first, in text order, so a long
    # phrase does not outrank a short notable verb such as "sell" before it.
    score = 2.0 * notable + 2.0 * has_number
    if score == 0 and len(words) > 1:
        score = 0.5
    stems = tuple(info.stem for info in infos)
    text = " ".join(words)
    if negation is not None:
        score += 1.0
        stems = ("not", *stems)
        text = f"{negation} {text}"
    return KeyTerm(text, stems, score, offset)
