"""Background sentences: policy and terms text that belongs to no clause type."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from clausewatch.errors import TaxonomyError


def bundled_background_path() -> Path:
    """Path of the background sentences shipped inside the taxonomy package."""
    folder = resources.files("clausewatch.taxonomy")
    return Path(str(folder.joinpath("background_sentences.yaml")))


@cache
def load_background_sentences(path: Path | None = None) -> tuple[str, ...]:
    """Read the ``sentences`` list of a background file (the bundled one by default).

    Raises TaxonomyError naming the file when the YAML is malformed or the list is
    missing, empty or contains something other than non-empty strings.
    """
    path = path or bundled_background_path()
    try:
        document = yaml.safe_load(path.read_bytes())
    except yaml.YAMLError as error:
        raise TaxonomyError(f"invalid YAML in {path}: {error}; fix the file") from error
    sentences = document.get("sentences") if isinstance(document, dict) else None
    if not isinstance(sentences, list) or not sentences:
        raise TaxonomyError(f"{path} needs a non-empty 'sentences' list")
    for sentence in sentences:
        if not isinstance(sentence, str) or not sentence.strip():
            raise TaxonomyError(
                f"{path}: {sentence!r} is not a sentence; write each entry as text"
            )
    return tuple(sentences)
