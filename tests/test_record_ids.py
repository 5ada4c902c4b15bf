"""Record IDs: format, check character, parsing and no reuse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausewatch.db.record_ids import (
    ALPHABET,
    format_record_id,
    next_record_ids,
    parse_record_id,
)
from clausewatch.db.store import Store
from clausewatch.settings import Settings


@given(st.integers(min_value=0, max_value=32**7))
def test_record_id_round_trip(number: int) -> None:
    record_id = format_record_id("P", number)
    assert parse_record_id(record_id) == ("P", number)
    assert parse_record_id(record_id.lower()) == ("P", number)
    assert all(character in ALPHABET for character in record_id[2:])


@given(st.integers(min_value=1, max_value=10**6), st.data())
def test_single_typo_is_detected(number: int, data: st.DataObject) -> None:
    record_id = format_record_id("P", number)
    body = record_id[2:]
    index = data.draw(st.integers(min_value=0, max_value=len(body) - 1))
    replacement = data.draw(st.sampled_from([c for c in ALPHABET if c != body[index]]))
    typo = "P-" + body[:index] + replacement + body[index + 1 :]
    assert parse_record_id(typo) is None


@pytest.mark.parametrize("text", ["", "P", "P-", "P-00I01A", "P-0000", "nonsense"])
def test_malformed_record_ids(text: str) -> None:
    assert parse_record_id(text) is None


def test_counters_never_repeat(tmp_path: Path) -> None:
    store = Store.open(Settings(data_dir=tmp_path))
    with store.session() as session:
        first = next_record_ids(session, "P", 3)
    with store.session() as session:
        second = next_record_ids(session, "P", 2)
    assert len(set(first + second)) == 5
    assert first[0] == "P-00001" + first[0][-1]
    store.close()


def test_shown_record_ids_are_valid() -> None:
    """Help texts, messages and docs show record IDs that pass their own check."""
    root = Path(__file__).resolve().parent.parent
    files = [root / "README.md", *(root / "docs").glob("*.md")]
    files += (root / "src" / "clausewatch").rglob("*.py")
    shaped = re.compile(r"\b[PD]-[0-9A-HJKMNP-TV-Z]{6}\b")
    bad = sorted(
        f"{path.relative_to(root)}: {found}"
        for path in files
        for found in set(shaped.findall(path.read_text(encoding="utf-8")))
        if parse_record_id(found) is None
    )

    assert not bad, f"example record IDs that fail their check: {bad}"
