"""Training rows built from the taxonomy examples and the background sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from clausewatch.classify.background import load_background_sentences
from clausewatch.classify.fitting import example_records, target_rows
from clausewatch.classify.labelled import DatasetMapping, LabelledRecord
from clausewatch.errors import TaxonomyError
from clausewatch.taxonomy import default_taxonomy


@pytest.fixture(scope="module")
def rows_by_target():
    taxonomy = default_taxonomy()
    records = example_records(taxonomy)
    rows = target_rows(records, taxonomy.clause_types, {})
    texts = [record.text for record in records]
    return {
        row.target: {
            texts[index]: bool(positive)
            for index, positive in zip(row.rows, row.positive, strict=True)
        }
        for row in rows
    }


def test_negative_example_counts_against_own_type(rows_by_target):
    sale = default_taxonomy().clause_types["sale_of_data"]
    sentence = sale.negative_examples[0]

    assert rows_by_target["sale_of_data"][sentence] is False
    assert sentence not in rows_by_target["third_party_sharing"]


def test_positive_example_counts_against_other_types(rows_by_target):
    sentence = default_taxonomy().clause_types["arbitration"].positive_examples[0]

    assert rows_by_target["arbitration"][sentence] is True
    assert rows_by_target["choice_of_law"][sentence] is False


def test_background_sentence_counts_against_every_type(rows_by_target):
    sentence = load_background_sentences()[0]

    assert all(rows[sentence] is False for rows in rows_by_target.values())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("sentences: [", "invalid YAML"),
        ("other: [a]", "'sentences' list"),
        ("sentences: []", "'sentences' list"),
        ("sentences: ['ok', 3]", "not a sentence"),
        ("sentences: ['ok', '  ']", "not a sentence"),
    ],
)
def test_invalid_background_file_rejected(tmp_path: Path, content, message):
    path = tmp_path / "background.yaml"
    path.write_text(content)

    with pytest.raises(TaxonomyError, match=message):
        load_background_sentences(path)


def test_labelled_type_ignores_examples():
    taxonomy = default_taxonomy()
    labelled = LabelledRecord(
        id="set:1",
        doc="doc-1",
        dataset="set",
        text="Disputes go to arbitration in Paris.",
        labels=("arb",),
        targets=frozenset({"arbitration"}),
    )
    records = [labelled, *example_records(taxonomy)]
    mapping = DatasetMapping(dataset="set", labels={"arb": ("arbitration",)})
    rows = {
        row.target: row
        for row in target_rows(records, taxonomy.clause_types, {"set": mapping})
    }

    assert list(rows["arbitration"].rows) == [0]
    assert rows["indemnification"].rows[0] == 0
    assert rows["indemnification"].positive.sum() >= 8
