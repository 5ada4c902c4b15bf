"""Precision of the similar-provisions figure, from hand-checked judgements.

Each line of ``tests/data/similar_checks/judgements.jsonl`` is one candidate that
``similar_provisions`` returned in the top three for a source provision of the real
corpus, with a verdict from a person who read both texts: "same" when the candidate
describes the same practice, "different" otherwise. Texts are named by service, terms
type, version date and segment position plus the SHA-256 of the text, never copied.
``held_out`` marks judgements made after the cut-offs of the figure were chosen.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from clausewatch.extract import normalize_markdown
from clausewatch.segment import segment_markdown
from clausewatch.tracking.ingest import text_hash
from tests.conftest import require_shared

JUDGEMENTS = Path(__file__).parent / "data" / "similar_checks" / "judgements.jsonl"
# NOTE: the goal is 0.9. All judged top-three candidates reach 0.890 (195 of 219).
# The cut-offs in similar.py were tuned on the judgements not marked held_out (0.883),
# and the held-out ones, judged after, reach 0.911 (51 of 56). The floors below keep
# the figures from getting worse.
MIN_PRECISION = 0.88
MIN_HELD_OUT_PRECISION = 0.9
MIN_SOURCES = 50
MAX_RESEGMENTED_SHARE = 0.05


def load_judgements() -> list[dict[str, Any]]:
    with JUDGEMENTS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def precision(judgements: list[dict[str, Any]]) -> float:
    same = sum(1 for item in judgements if item["verdict"] == "same")
    return same / len(judgements)


def test_judgements_cover_enough_sources() -> None:
    judgements = load_judgements()
    sources = {json.dumps(item["source"], sort_keys=True) for item in judgements}
    assert len(sources) >= MIN_SOURCES
    assert {item["verdict"] for item in judgements} <= {"same", "different"}
    assert all(1 <= item["rank"] <= 3 for item in judgements)


def test_top_three_precision_floor() -> None:
    assert precision(load_judgements()) >= MIN_PRECISION


def test_held_out_precision_floor() -> None:
    held_out = [item for item in load_judgements() if item["held_out"]]
    assert len(held_out) >= 50
    assert precision(held_out) >= MIN_HELD_OUT_PRECISION


@cache
def segment_hashes(service: str, terms_type: str, version_date: str) -> dict[int, str]:
    """Hash every segment of one corpus file, by position."""
    corpus = require_shared("corpus", "ota")
    moment = datetime.fromisoformat(version_date)
    name = moment.strftime("%Y-%m-%dT%H-%M-%SZ") + ".md"
    markdown = (corpus / service / terms_type / name).read_text("utf-8")
    segments = segment_markdown(normalize_markdown(markdown))
    return {segment.position: text_hash(segment.text) for segment in segments}


def referenced_texts() -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for item in load_judgements():
        for text in (item["source"], item["candidate"]):
            found[json.dumps(text, sort_keys=True)] = text
    return list(found.values())


def test_judged_texts_exist_in_corpus() -> None:
    references = referenced_texts()
    missing = [
        reference
        for reference in references
        if reference["sha256"]
        not in segment_hashes(
            reference["service"], reference["terms_type"], reference["version_date"]
        ).values()
    ]
    # Positions and hashes come from the segmentation of the day the texts were
    # judged. A later change to the segmenter may split or merge a few of them.
    assert len(missing) <= MAX_RESEGMENTED_SHARE * len(references), missing
