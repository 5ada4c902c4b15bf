"""Values that a declaration file describes: platforms, their documents and pages."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from clausewatch.declarations.selectors import Selector

CATEGORIES: tuple[str, ...] = (
    "ai",
    "social",
    "commerce",
    "saas",
    "dating",
    "messaging",
    "media",
    "other",
)

PLATFORM_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class SourcePage:
    """One web page or PDF file that a document is read from, with its selectors."""

    url: str
    select: tuple[Selector, ...] = ()
    remove: tuple[Selector, ...] = ()
    browser: bool = False
    pdf: bool = False


@dataclass(frozen=True)
class DocumentDeclaration:
    """A document of one terms type, read from one page or several joined in order."""

    terms_type: str
    pages: tuple[SourcePage, ...]

    @property
    def urls(self) -> tuple[str, ...]:
        """URLs of the source pages, in order."""
        return tuple(page.url for page in self.pages)


@dataclass(frozen=True)
class PlatformDeclaration:
    """A platform and the documents of it that clausewatch tracks."""

    id: str
    name: str
    category: str | None
    documents: tuple[DocumentDeclaration, ...]
    source: Path
    # Other names of the platform, such as the service name in a versions history.
    aliases: tuple[str, ...] = ()
    # True when the file gives no id, so that the id is the slug of the file name.
    id_from_file_name: bool = False

    def document(self, terms_type: str) -> DocumentDeclaration | None:
        """Return the document of ``terms_type``, or None if it is not declared."""
        for document in self.documents:
            if document.terms_type == terms_type:
                return document
        return None


def looks_like_pdf(url: str) -> bool:
    """Tell whether a URL names a PDF file by its extension.

    Open Terms Archive treats a URL ending in ``.pdf`` (before an optional query) as a
    PDF, and some declarations append ``?.pdf`` to mark one, so both forms count.
    """
    parts = urlsplit(url)
    if parts.path.lower().endswith(".pdf"):
        return True
    return parts.query.lower().endswith(".pdf")


def slugify_platform_id(name: str) -> str:
    """Turn a platform or file name into a platform id such as ``claude-ai``.

    Accents are dropped and every run of other characters becomes one hyphen. A name
    with no Latin letter or digit (``туту.ру``) is first written in Punycode so that it
    still gets a stable, distinct id.
    """
    slug = _ascii_slug(name)
    if slug:
        return slug
    return _ascii_slug(name.encode("punycode").decode("ascii"))


def _ascii_slug(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(
        char for char in decomposed if unicodedata.category(char) != "Mn"
    )
    return re.sub(r"[^a-z0-9]+", "-", without_marks.lower()).strip("-")
