"""Platform ids derived from names ("Claude.ai" -> "claude-ai")."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Hex digits of the SHA-256 of the name that end the id of a name the Latin slug
# cannot tell apart. By the birthday bound, two of 10,000 such names share these 32
# bits with a probability of about 1%, and the import reports ids that collide.
NAME_HASH_DIGITS = 8


def platform_slug(name: str) -> str:
    """Return a lower-case id of letters, digits and dashes for a platform name.

    A name written in Latin letters, digits and punctuation keeps the id it has
    always had ("Société Générale" -> "societe-generale"), so stored record IDs and
    URLs stay valid. A name with letters or digits of another script, or with no
    letter or digit at all, would lose them in that id ("日本語サービス" and
    "中文服务" both had the id "platform"). Its id is that Latin slug, or "platform"
    when nothing is left, followed by a hash of the whole name.
    """
    slug = _latin_slug(name)
    if slug and not _has_non_latin_characters(name):
        return slug
    normalized = unicodedata.normalize("NFC", name)
    digest = hashlib.sha256(normalized.encode("utf-8")).hexdigest()
    return f"{slug or 'platform'}-{digest[:NAME_HASH_DIGITS]}"


def legacy_platform_slug(name: str) -> str:
    """Return the id that imports before hashed ids gave this name.

    Every name without a Latin letter or digit had the id "platform".
    """
    return _latin_slug(name) or "platform"


def _latin_slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def same_platform_name(first: str, second: str) -> bool:
    """Tell whether two names are the same, whatever their Unicode normalization.

    A folder name read on macOS is often decomposed ("e" and a combining accent)
    where the same name typed elsewhere is composed.
    """
    return unicodedata.normalize("NFC", first) == unicodedata.normalize("NFC", second)


def _has_non_latin_characters(name: str) -> bool:
    """Tell whether the name has a letter or digit that the Latin slug drops.

    Latin letters without an ASCII decomposition (ß, Ø, Ł) are dropped as well, but
    they count as Latin here so that such names keep their earlier ids.
    """
    for char in unicodedata.normalize("NFKD", name):
        if char.isascii() or unicodedata.category(char)[0] not in "LN":
            continue
        if not unicodedata.name(char, "").startswith("LATIN "):
            return True
    return False
