"""Parsing of regulations.yaml and agencies.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clausewatch.taxonomy.models import Agency, Article, Regulation
from clausewatch.taxonomy.reading import EntryReader, entry_list, read_yaml

_REGULATION_FIELDS = ("id", "name", "short_name", "jurisdiction", "url", "articles")
_ARTICLE_FIELDS = ("ref", "title", "relevance")
_AGENCY_FIELDS = (
    "id",
    "name",
    "short_name",
    "jurisdiction",
    "role",
    "complaint_url",
    "url",
)


def parse_regulations(path: Path) -> list[Regulation]:
    """Read regulations.yaml and return its regulations in file order."""
    entries = entry_list(path, read_yaml(path), "regulations")
    return [_parse_regulation(path, raw, index) for index, raw in enumerate(entries)]


def parse_agencies(path: Path) -> list[Agency]:
    """Read agencies.yaml and return its agencies in file order."""
    entries = entry_list(path, read_yaml(path), "agencies")
    return [_parse_agency(path, raw, index) for index, raw in enumerate(entries)]


def _parse_regulation(path: Path, raw: Any, index: int) -> Regulation:
    reader = EntryReader(
        path,
        raw,
        entry="regulation",
        position=f"#{index + 1}",
        allowed=_REGULATION_FIELDS,
    )
    regulation_id = reader.identify()
    raw_articles = reader.mapping_list("articles")
    if not raw_articles:
        reader.fail("must list at least one article", "articles")
    articles: list[Article] = []
    for number, raw_article in enumerate(raw_articles):
        field = f"articles[{number}]"
        if not isinstance(raw_article, dict):
            reader.fail(f"must be a mapping with {', '.join(_ARTICLE_FIELDS)}", field)
        # Prefix the keys so errors point at the article inside the regulation.
        article = EntryReader(
            path,
            {f"{field}.{key}": value for key, value in raw_article.items()},
            entry="regulation",
            position=regulation_id,
            allowed=[f"{field}.{name}" for name in _ARTICLE_FIELDS],
        )
        ref = article.text(f"{field}.ref")
        # Clause types name articles by ref, so a ref must pick out one article.
        if any(earlier.ref == ref for earlier in articles):
            article.fail(
                f"article ref {ref!r} appears twice; merge or renumber them",
                f"{field}.ref",
            )
        articles.append(
            Article(
                ref=ref,
                title=article.text(f"{field}.title"),
                relevance=article.text(f"{field}.relevance"),
            )
        )
    return Regulation(
        id=regulation_id,
        name=reader.text("name"),
        short_name=reader.text("short_name"),
        jurisdiction=reader.text("jurisdiction"),
        url=https_url(reader, "url"),
        articles=tuple(articles),
    )


def _parse_agency(path: Path, raw: Any, index: int) -> Agency:
    reader = EntryReader(
        path,
        raw,
        entry="agency",
        position=f"#{index + 1}",
        allowed=_AGENCY_FIELDS,
    )
    return Agency(
        id=reader.identify(),
        name=reader.text("name"),
        short_name=reader.text("short_name"),
        jurisdiction=reader.text("jurisdiction"),
        role=reader.text("role"),
        complaint_url=https_url(reader, "complaint_url"),
        url=https_url(reader, "url"),
    )


def https_url(reader: EntryReader, field: str) -> str:
    """Return a field that must be an https URL with a host and no spaces."""
    url = reader.text(field)
    host = url.removeprefix("https://").split("/", 1)[0]
    if not url.startswith("https://") or not host or " " in url:
        reader.fail(f"URL {url!r} is invalid; give a full https:// address", field)
    return url
