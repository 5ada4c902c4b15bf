"""The catalog of platforms bundled with clausewatch."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from clausewatch.declarations import (
    CATEGORIES,
    PlatformDeclaration,
    bundled_catalog_dir,
    load_catalog,
)

AI_PLATFORMS = [
    "character-ai",
    "openai",
    "anthropic",
    "google-gemini",
    "microsoft-copilot",
    "meta-ai",
    "mistral-le-chat",
    "perplexity",
    "midjourney",
    "replika",
    "deepseek",
    "xai-grok",
    "cohere",
    "stability-ai",
    "hugging-face",
    "poe",
    "pi-inflection",
    "jasper",
    "runway",
    "elevenlabs",
]

CATALOG = load_catalog()


def platform_ids() -> list[str]:
    return [platform.id for platform in CATALOG]


def test_catalog_size_and_ids() -> None:
    ids = platform_ids()

    assert len(ids) >= 60
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("platform_id", AI_PLATFORMS)
def test_ai_platform_present(platform_id: str) -> None:
    assert platform_id in platform_ids()


@pytest.mark.parametrize("platform", CATALOG, ids=lambda platform: platform.id)
def test_platform_entry(platform: PlatformDeclaration) -> None:
    assert platform.source.stem == platform.id
    assert platform.source.suffix == ".yaml"
    assert platform.category in CATEGORIES
    assert platform.name.strip()
    assert platform.document("Privacy Policy") is not None
    assert platform.document("Terms of Service") is not None
    for document in platform.documents:
        for page in document.pages:
            parts = urlsplit(page.url)
            assert parts.scheme == "https", page.url
            assert parts.hostname and "." in parts.hostname, page.url


def test_ai_platforms_in_ai_category() -> None:
    by_id = {platform.id: platform for platform in CATALOG}

    for platform_id in AI_PLATFORMS:
        assert by_id[platform_id].category == "ai"


def test_catalog_dir_in_package() -> None:
    folder = bundled_catalog_dir()

    assert folder.is_dir()
    assert (folder / "__init__.py").is_file()
    assert folder.parent.name == "clausewatch"
    assert len(list(folder.glob("*.yaml"))) == len(CATALOG)
