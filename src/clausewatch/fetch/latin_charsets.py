"""Choose a single-byte Latin code page by the alphabets of the languages it serves.

Statistical detectors such as charset_normalizer cannot tell windows-1252 from
windows-1250 when the letters of a text read as plausible words in both. French
"à caractère" decodes as "ŕ caractčre" in windows-1250 with no mess to penalise, so
the detector ranks the two as equals. Here every candidate code page reads the
non-ASCII bytes of the body, and the reading wins whose letters all belong to the
alphabet of one language with the fewest exceptions. A tie goes to the earliest
candidate, which puts windows-1252 first, the WHATWG fallback for unlabelled pages in
Western locales.
"""

from __future__ import annotations

import codecs
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def _codec_name(label: str) -> str:
    return codecs.lookup(label).name


WINDOWS_1252 = _codec_name("cp1252")

# The single-byte Latin encodings of the WHATWG Encoding Standard, Western first so
# that they win ties (WHATWG decodes iso-8859-9 as windows-1254).
WEB_LATIN_CHARSETS: tuple[str, ...] = tuple(
    _codec_name(label)
    for label in (
        "cp1252",
        "iso8859_15",
        "cp1250",
        "iso8859_2",
        "cp1257",
        "iso8859_13",
        "iso8859_4",
        "iso8859_10",
        "cp1254",
        "iso8859_16",
        "iso8859_3",
        "iso8859_14",
        "cp1258",
    )
)

# Other Latin code pages charset_normalizer may propose (DOS, Mac, HP). A guess among
# these, or among the web ones, is checked against the alphabets below.
OTHER_LATIN_CHARSETS = frozenset(
    _codec_name(label)
    for label in (
        "latin_1",
        "iso8859_9",
        "cp437",
        "cp775",
        "cp850",
        "cp852",
        "cp857",
        "cp858",
        "cp860",
        "cp861",
        "cp863",
        "cp865",
        "mac_roman",
        "mac_latin2",
        "mac_iceland",
        "mac_turkish",
        "mac_croatian",
        "hp_roman8",
    )
)
LATIN_CHARSETS = frozenset(WEB_LATIN_CHARSETS) | OTHER_LATIN_CHARSETS

# Typographic signs that any Latin-script text may contain.
SHARED_SIGNS = frozenset("\u00a0\u00ad«»‹›‘’‚“”„–—…•·€£§°©®™†‡‰¶")

# Non-ASCII letters (and language-specific signs) of each language written with a
# Latin code page. Romanian lists both the comma and the cedilla forms because
# windows-1250 and ISO-8859-2 only have the cedilla ones.
_ALPHABETS: dict[str, str] = {
    "French": "àâæçéèêëîïôœùûüÿ",
    "German": "äöüß",
    "Spanish": "áéíñóúü¡¿ªº",
    "Portuguese": "áâãàçéêíóôõúüªº",
    "Italian": "àèéìíîòóùúªº",
    "Catalan": "àçèéíïòóúüªº",
    "Dutch": "áàâäéèêëíïóôöúûü",
    "Danish and Norwegian": "æøåéóü",
    "Swedish": "åäöé",
    "Finnish": "äöåšž",
    "Icelandic": "áðéíóúýþæö",
    "Irish": "áéíóú",
    "Welsh": "âêîôûŵŷäëïöüáéíóú",
    "Albanian": "çë",
    "Polish": "ąćęłńóśźż",
    "Czech": "áčďéěíňóřšťúůýž",
    "Slovak": "áäčďéíĺľňóôŕšťúýž",
    "Hungarian": "áéíóöőúüű",
    "Slovenian and Croatian": "čćđšž",
    "Romanian": "ăâîșțşţ",
    "Lithuanian": "ąčęėįšųūž",
    "Latvian": "āčēģīķļņšūž",
    "Estonian": "äöõüšž",
    "Turkish": "çğıöşüâîû",
    "Maltese": "ċġħżàèìòù",
    "Esperanto": "ĉĝĥĵŝŭ",
    "Vietnamese": "àáâãèéêìíòóôõùúýăđơư\u0300\u0301\u0303\u0309\u0323",
}


def _with_upper_case(letters: str) -> frozenset[str]:
    upper = (letter.upper() for letter in letters)
    return frozenset(letters) | {letter for letter in upper if len(letter) == 1}


ALPHABETS: dict[str, frozenset[str]] = {
    language: _with_upper_case(letters) | SHARED_SIGNS
    for language, letters in _ALPHABETS.items()
}


def is_latin_charset(charset: str) -> bool:
    """Return whether a Python codec name is a single-byte Latin code page."""
    return charset in LATIN_CHARSETS


@dataclass(frozen=True)
class LatinReading:
    """A Latin code page for a body, and how many of its non-ASCII characters fall
    outside the alphabet of the language they fit best."""

    charset: str
    misfits: int


def best_latin_reading(
    body: bytes, suggested: Iterable[str] = ()
) -> LatinReading | None:
    """Return the Latin code page whose reading of ``body`` fits one alphabet best.

    Candidates are windows-1252 and ISO-8859-15, then the ``suggested`` Latin codec
    names in their order, then the other web Latin encodings. A code page that
    leaves a byte of the body undefined is skipped. Returns None when none is left.
    """
    # NOTE: a tie keeps the earlier candidate, so a short text whose letters also fit
    # a Western alphabet (Latvian with only ā, ē and ū) is read as windows-1252.
    counts = Counter(body)
    high_bytes = Counter({byte: n for byte, n in counts.items() if byte >= 0x80})
    best: LatinReading | None = None
    for charset in _candidates(suggested):
        misfits = count_misfits(high_bytes, charset)
        if misfits is not None and (best is None or misfits < best.misfits):
            best = LatinReading(charset, misfits)
    return best


def count_misfits(high_bytes: Counter[int], charset: str) -> int | None:
    """Count the non-ASCII characters that fall outside the best-fitting alphabet.

    ``high_bytes`` counts each byte value of 0x80 and above in a body. Returns None
    when ``charset`` leaves one of them undefined.
    """
    characters: Counter[str] = Counter()
    for byte, count in high_bytes.items():
        try:
            characters[bytes([byte]).decode(charset)] += count
        except UnicodeDecodeError:
            return None
    return min(
        sum(count for char, count in characters.items() if char not in alphabet)
        for alphabet in ALPHABETS.values()
    )


def _candidates(suggested: Iterable[str]) -> Sequence[str]:
    ordered = [WINDOWS_1252, _codec_name("iso8859_15")]
    ordered += [name for name in suggested if is_latin_charset(name)]
    ordered += WEB_LATIN_CHARSETS
    return list(dict.fromkeys(ordered))
