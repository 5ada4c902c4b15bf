"""Articles named per regulation in clause types: schema errors and bundled lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from clausewatch.taxonomy import (
    BUNDLED_FOLDER,
    default_taxonomy,
    load_taxonomy,
)
from tests.test_taxonomy_validation import (
    Data,
    alpha,
    broken,
    load_error,
    write_folder,
)


def cite(regulations: Any) -> Data:
    """Return the valid folder with alpha citing ``regulations`` instead of ids."""

    def change(files: Data) -> None:
        entry = alpha(files)
        del entry["regulation_ids"]
        entry["regulations"] = regulations
        files["regulations.yaml"]["regulations"][0]["articles"].append(
            {"ref": "Art. 2", "title": "Duties", "relevance": "Sets duties."}
        )

    return broken(change)


def test_named_articles_load(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(write_folder(tmp_path, cite({"reg_one": ["Art. 2"]})))
    clause_type = taxonomy.clause_type("alpha")
    [regulation] = taxonomy.regulations_for(clause_type)

    assert clause_type.regulation_ids == ("reg_one",)
    assert clause_type.article_refs("reg_one") == ("Art. 2",)
    assert [a.title for a in taxonomy.articles_for(clause_type, regulation)] == [
        "Duties"
    ]


def test_empty_list_means_whole_regulation(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(write_folder(tmp_path, cite({"reg_one": []})))
    clause_type = taxonomy.clause_type("alpha")
    [regulation] = taxonomy.regulations_for(clause_type)

    assert clause_type.regulation_ids == ("reg_one",)
    assert taxonomy.articles_for(clause_type, regulation) == ()


def test_plain_ids_name_no_articles(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(write_folder(tmp_path, broken(lambda f: None)))
    clause_type = taxonomy.clause_type("beta")
    [regulation] = taxonomy.regulations_for(clause_type)

    assert clause_type.regulation_articles == ()
    assert taxonomy.articles_for(clause_type, regulation) == ()


def test_unknown_article_named(tmp_path: Path) -> None:
    error = load_error(tmp_path, cite({"reg_one": ["Art. 2", "Art. 99"]}))

    assert error.path.name == "contract.yaml"
    assert error.entry_id == "alpha"
    assert error.field == "regulations.reg_one"
    assert "'Art. 99'" in str(error)
    assert "Art. 1; Art. 2" in str(error)
    assert "contract.yaml" in str(error)


def test_unknown_regulation_in_mapping(tmp_path: Path) -> None:
    error = load_error(tmp_path, cite({"reg_one": [], "reg_typo": ["Art. 1"]}))

    assert error.entry_id == "alpha"
    assert error.field == "regulations"
    assert "'reg_typo'" in str(error)


@pytest.mark.parametrize(
    ("regulations", "field", "expected"),
    [
        (["reg_one"], "regulations", "must be a mapping"),
        ({}, "regulations", "must be a mapping"),
        ({"reg_one": None}, "regulations.reg_one", "write []"),
        ({"reg_one": "Art. 1"}, "regulations.reg_one", "must be a list"),
        ({"reg_one": [""]}, "regulations.reg_one", "non-empty string"),
        ({"reg_one": ["Art. 1", "Art. 1"]}, "regulations.reg_one", "appears twice"),
    ],
)
def test_malformed_mapping(
    tmp_path: Path, regulations: object, field: str, expected: str
) -> None:
    error = load_error(tmp_path, cite(regulations))

    assert error.entry_id == "alpha"
    assert error.field == field
    assert expected in str(error)


def test_both_forms_rejected(tmp_path: Path) -> None:
    files = cite({"reg_one": []})
    alpha(files)["regulation_ids"] = ["reg_one"]

    error = load_error(tmp_path, files)

    assert error.field == "regulations"
    assert "regulation_ids" in str(error)


def test_neither_form_rejected(tmp_path: Path) -> None:
    error = load_error(tmp_path, broken(lambda f: alpha(f).pop("regulation_ids")))

    assert error.entry_id == "alpha"
    assert error.field == "regulations"
    assert "missing" in str(error)


def test_repeated_article_ref_in_catalog(tmp_path: Path) -> None:
    files = cite({"reg_one": ["Art. 1"]})
    files["regulations.yaml"]["regulations"][0]["articles"][1]["ref"] = "Art. 1"

    error = load_error(tmp_path, files)

    assert error.path.name == "regulations.yaml"
    assert error.field == "articles[1].ref"
    assert "appears twice" in str(error)


def bundled_entries() -> list[tuple[str, dict[str, Any]]]:
    entries = []
    for path in sorted((BUNDLED_FOLDER / "clause_types").glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries += [(path.name, entry) for entry in document["clause_types"]]
    return entries


@pytest.mark.parametrize(
    ("file_name", "entry"),
    bundled_entries(),
    ids=[entry["id"] for _, entry in bundled_entries()],
)
def test_bundled_type_lists_articles(file_name: str, entry: dict[str, Any]) -> None:
    # Every pair of clause type and regulation carries a list written on purpose,
    # so the plain id form, which names no articles, is not used here.
    assert "regulation_ids" not in entry, file_name
    assert isinstance(entry["regulations"], dict), file_name
    assert all(isinstance(refs, list) for refs in entry["regulations"].values())


def test_bundled_articles_exist_in_catalog() -> None:
    taxonomy = default_taxonomy()
    missing = [
        (clause_type.id, choice.regulation_id, ref)
        for clause_type in taxonomy.clause_types.values()
        for choice in clause_type.regulation_articles
        for ref in choice.refs
        if ref
        not in {a.ref for a in taxonomy.regulation(choice.regulation_id).articles}
    ]

    assert missing == []


# Each row pairs an article the type needs with one that word stems used to pick.
@pytest.mark.parametrize(
    ("clause_id", "regulation_id", "present", "absent"),
    [
        (
            "data_deletion_right",
            "ccpa_cpra",
            "Civ. Code 1798.105",
            "Civ. Code 1798.150",
        ),
        ("first_party_collection", "uk_gdpr", "Art. 6", "Art. 22A-22D"),
        ("automated_decisions_profiling", "uk_gdpr", "Art. 22A-22D", "Art. 33-34"),
        ("breach_notification", "gdpr", "Art. 33-34", "Art. 77"),
    ],
)
def test_bundled_pair(
    clause_id: str, regulation_id: str, present: str, absent: str
) -> None:
    refs = default_taxonomy().clause_type(clause_id).article_refs(regulation_id)

    assert present in refs
    assert absent not in refs
