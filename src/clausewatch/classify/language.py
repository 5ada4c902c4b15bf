"""A small stopword-based language guesser, enough to keep non-English text out.

The classifier is trained on English text only, so its job here is to recognise text
that is not English and to abstain on it. It returns an ISO 639-1 code, or "und" when
the text has too few words to tell.
"""

from __future__ import annotations

import re
import unicodedata

UNDETERMINED = "und"

# Frequent function words of each language. Words shared by several of the languages
# ("a", "de", "la", "en") are kept out, so that a hit counts for one language only.
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and of to you your we our is are be by for this that with will may not "
        "or any from have has which such it its us shall if these those".split()
    ),
    "fr": frozenset(
        "le les des du et est sont vous votre vos nous notre nos pour par dans sur "
        "une avec qui que ne pas ces cette être sera peut au aux".split()
    ),
    "de": frozenset(
        "der die das und ist sind sie ihre wir unsere für von mit auf nicht ein eine "
        "den dem des zu werden wird oder bei aus durch diese".split()
    ),
    "es": frozenset(
        "el los las y es son usted su sus nosotros nuestro nuestra para por con una "
        "que no del al estos esta será puede sobre".split()
    ),
    "it": frozenset(
        "il lo gli e è sono voi vostro vostri noi nostro nostra per con una che non "
        "del della dei questo questa sarà può sulla".split()
    ),
    "nl": frozenset(
        "het een en is zijn u uw wij onze voor van met op niet deze dat wordt worden "
        "door bij naar ook".split()
    ),
    "pt": frozenset(
        "o os as e é são você seu sua nós nosso nossa para por com uma que não do da "
        "dos das este esta será pode".split()
    ),
}

# Scripts whose language the stopword lists cannot see, kana before Chinese characters.
_SCRIPT_LANGUAGES = (
    ("HIRAGANA", "ja"),
    ("KATAKANA", "ja"),
    ("HANGUL", "ko"),
    ("CJK", "zh"),
    ("CYRILLIC", "ru"),
    ("GREEK", "el"),
    ("ARABIC", "ar"),
    ("HEBREW", "he"),
    ("THAI", "th"),
    ("DEVANAGARI", "hi"),
)

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

#: Minimum number of words for the guesser to name a language.
MIN_WORDS = 3

# Only the start of a long text is read; a language does not change midway in practice.
_MAX_CHARS = 4000
# Words counted against the stopword lists; more do not change the guess.
_MAX_WORDS = 200

# Each stopword with the languages it belongs to, for one dictionary look-up per word.
_LANGUAGES_OF_WORD: dict[str, tuple[str, ...]] = {}
for _language, _words in _STOPWORDS.items():
    for _word in _words:
        _LANGUAGES_OF_WORD[_word] = (*_LANGUAGES_OF_WORD.get(_word, ()), _language)


def detect_language(text: str) -> str:
    """Guess the ISO 639-1 language of ``text``; "und" when it cannot tell."""
    sample = text[:_MAX_CHARS]
    # Scripts such as Japanese do not separate words by spaces, so they are recognised
    # by their letters before words are counted.
    if not sample.isascii():
        script_language = _non_latin_language(sample)
        if script_language is not None:
            return script_language

    words = _WORD.findall(sample.lower())[:_MAX_WORDS]
    if len(words) < MIN_WORDS:
        return UNDETERMINED

    hits = dict.fromkeys(_STOPWORDS, 0)
    for word in words:
        for language in _LANGUAGES_OF_WORD.get(word, ()):
            hits[language] += 1
    best = max(hits, key=lambda language: hits[language])
    if hits[best] == 0:
        # Latin-script words without any known function word: a language outside the
        # lists, or a fragment such as a heading.
        return UNDETERMINED
    if best != "en" and hits[best] <= hits["en"]:
        return "en"
    return best


def _non_latin_language(sample: str) -> str | None:
    letters = [char for char in sample if char.isalpha()]
    if len(letters) < MIN_WORDS:
        return None
    non_latin = [char for char in letters if not _is_latin(char)]
    if len(non_latin) * 2 < len(letters):
        return None
    # Japanese mixes kana with Chinese characters, so the first matching script in
    # the table's order decides, not the first letter.
    names = [unicodedata.name(char, "") for char in non_latin[:200]]
    for script, language in _SCRIPT_LANGUAGES:
        if any(script in name for name in names):
            return language
    return UNDETERMINED


def _is_latin(char: str) -> bool:
    return char.isascii() or "LATIN" in unicodedata.name(char, "")
