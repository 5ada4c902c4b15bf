"""Validation of taxonomy folders: each broken file names its file, entry and field."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from clausewatch.errors import NotFoundError, TaxonomyError
from clausewatch.taxonomy import (
    Severity,
    TaxonomyFileError,
    load_taxonomy,
)

Data = dict[str, Any]


def _clause(clause_id: str, related: list[str]) -> Data:
    return {
        "id": clause_id,
        "name": f"Clause {clause_id}",
        "severity": "Medium",
        "severity_reason": "It shifts risk to the user.",
        "what_it_is": "{platform} states in its {document} that it may use {subject}.",
        "why_it_matters": "It matters for compliance teams.",
        "consumer_impact": "It affects users of {platform}.",
        "subject_default": "your data",
        "actions": [
            {
                "kind": "opt_out",
                "label": "Opt out",
                "needs": ["opt_out_url"],
                "caveat": "Applies only to future data.",
            }
        ],
        "regulation_ids": ["reg_one"],
        "agency_ids": ["agency_one"],
        "related_ids": related,
        "positive_examples": [f"{clause_id} positive sentence {n}." for n in range(8)],
        "negative_examples": [f"{clause_id} negative sentence {n}." for n in range(8)],
    }


VALID: Data = {
    "regulations.yaml": {
        "regulations": [
            {
                "id": "reg_one",
                "name": "Regulation One",
                "short_name": "R1",
                "jurisdiction": "Testland",
                "url": "https://example.org/reg-one",
                "articles": [
                    {"ref": "Art. 1", "title": "Scope", "relevance": "Applies."}
                ],
            }
        ]
    },
    "agencies.yaml": {
        "agencies": [
            {
                "id": "agency_one",
                "name": "Agency One",
                "short_name": "A1",
                "jurisdiction": "Testland",
                "role": "Enforces Regulation One.",
                "complaint_url": "https://example.org/complain",
                "url": "https://example.org/",
            }
        ]
    },
    "clause_types/contract.yaml": {
        "category": "Contract terms",
        "clause_types": [_clause("alpha", ["beta"]), _clause("beta", [])],
    },
}


def write_folder(root: Path, files: Data) -> Path:
    """Write each file of ``files`` (relative path to YAML data or raw text)."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else yaml.safe_dump(content)
        path.write_text(text, encoding="utf-8")
    return root


def broken(change: Callable[[Data], object]) -> Data:
    files = copy.deepcopy(VALID)
    change(files)
    return files


def alpha(files: Data) -> Data:
    entry: Data = files["clause_types/contract.yaml"]["clause_types"][0]
    return entry


def load_error(tmp_path: Path, files: Data) -> TaxonomyFileError:
    with pytest.raises(TaxonomyFileError) as caught:
        load_taxonomy(write_folder(tmp_path, files))
    return caught.value


def test_valid_folder_loads(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(write_folder(tmp_path, VALID))

    assert list(taxonomy.clause_types) == ["alpha", "beta"]
    assert taxonomy.categories == ("Contract terms",)
    assert taxonomy.clause_type("alpha").severity is Severity.MEDIUM
    assert taxonomy.related_to(taxonomy.clause_type("alpha"))[0].id == "beta"
    assert taxonomy.regulations_for(taxonomy.clause_type("alpha"))[0].short_name == "R1"
    assert taxonomy.agencies_for(taxonomy.clause_type("beta"))[0].id == "agency_one"


def test_valid_folder_ignores_other_files(tmp_path: Path) -> None:
    files = broken(lambda f: f.update({"patterns.yaml": "not: [a, taxonomy"}))
    files["mappings/labels.yaml"] = "- anything"

    taxonomy = load_taxonomy(write_folder(tmp_path, files))

    assert len(taxonomy.clause_types) == 2


def test_taxonomy_is_read_only(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(write_folder(tmp_path, VALID))

    with pytest.raises(TypeError):
        taxonomy.clause_types["gamma"] = taxonomy.clause_type("alpha")  # type: ignore[index]


@pytest.mark.parametrize(
    ("field", "bad_value"),
    [
        ("regulation_ids", "reg_typo"),
        ("agency_ids", "agency_typo"),
        ("related_ids", "gamma"),
    ],
)
def test_unknown_reference_named(tmp_path: Path, field: str, bad_value: str) -> None:
    error = load_error(tmp_path, broken(lambda f: alpha(f)[field].append(bad_value)))

    assert error.path.name == "contract.yaml"
    assert error.entry_id == "alpha"
    assert error.field == field
    assert repr(bad_value) in str(error)
    assert "contract.yaml" in str(error)


def test_related_self_reference_rejected(tmp_path: Path) -> None:
    error = load_error(
        tmp_path, broken(lambda f: alpha(f)["related_ids"].append("alpha"))
    )

    assert error.field == "related_ids"
    assert "own id" in str(error)


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    files = broken(lambda f: None)
    files["clause_types/other.yaml"] = {
        "category": "Data sharing",
        "clause_types": [_clause("alpha", [])],
    }

    error = load_error(tmp_path, files)

    assert error.entry_id == "alpha"
    assert error.field == "id"
    assert "contract.yaml" in str(error)
    assert "other.yaml" in str(error)


def test_duplicate_id_in_one_file(tmp_path: Path) -> None:
    files = broken(
        lambda f: f["clause_types/contract.yaml"]["clause_types"].append(
            _clause("alpha", [])
        )
    )

    error = load_error(tmp_path, files)

    assert error.entry_id == "alpha"
    assert "entry #3" in str(error)
    assert "entry #1" in str(error)


@pytest.mark.parametrize("field", ["positive_examples", "negative_examples"])
def test_too_few_examples(tmp_path: Path, field: str) -> None:
    error = load_error(tmp_path, broken(lambda f: alpha(f)[field].pop()))

    assert error.entry_id == "alpha"
    assert error.field == field
    assert "has 7 example sentences" in str(error)


def test_example_in_both_lists(tmp_path: Path) -> None:
    def copy_positive(files: Data) -> None:
        alpha(files)["negative_examples"].append(alpha(files)["positive_examples"][0])

    error = load_error(tmp_path, broken(copy_positive))

    assert error.field == "negative_examples"
    assert "alpha positive sentence 0." in str(error)


def test_repeated_example_rejected(tmp_path: Path) -> None:
    def repeat(files: Data) -> None:
        alpha(files)["positive_examples"].append(alpha(files)["positive_examples"][2])

    error = load_error(tmp_path, broken(repeat))

    assert error.field == "positive_examples"
    assert "appears twice" in str(error)


def test_unknown_severity(tmp_path: Path) -> None:
    error = load_error(tmp_path, broken(lambda f: alpha(f).update(severity="Severe")))

    assert error.entry_id == "alpha"
    assert error.field == "severity"
    assert "'Severe'" in str(error)
    assert "Critical" in str(error)


def test_subject_from_text_must_be_boolean(tmp_path: Path) -> None:
    error = load_error(
        tmp_path, broken(lambda f: alpha(f).update(subject_from_text="no"))
    )

    assert error.entry_id == "alpha"
    assert error.field == "subject_from_text"
    assert "true or false" in str(error)


def test_unknown_action_kind(tmp_path: Path) -> None:
    error = load_error(
        tmp_path, broken(lambda f: alpha(f)["actions"][0].update(kind="sue"))
    )

    assert error.entry_id == "alpha"
    assert error.field == "actions[0].kind"
    assert "'sue'" in str(error)


def test_unknown_contact_kind(tmp_path: Path) -> None:
    error = load_error(
        tmp_path, broken(lambda f: alpha(f)["actions"][0]["needs"].append("fax_number"))
    )

    assert error.field == "actions[0].needs"
    assert "'fax_number'" in str(error)


def test_unknown_action_field(tmp_path: Path) -> None:
    error = load_error(
        tmp_path, broken(lambda f: alpha(f)["actions"][0].update(url="https://x.org"))
    )

    assert error.field == "actions[0]"
    assert "url" in str(error)


@pytest.mark.parametrize(
    ("field", "template", "expected"),
    [
        ("what_it_is", "{platform} shares {user}.", "{user}"),
        ("consumer_impact", "It affects {0}.", "{0}"),
        ("why_it_matters", "An unmatched { brace.", "malformed template"),
    ],
)
def test_bad_template(tmp_path: Path, field: str, template: str, expected: str) -> None:
    error = load_error(tmp_path, broken(lambda f: alpha(f).update({field: template})))

    assert error.entry_id == "alpha"
    assert error.field == field
    assert expected in str(error)


@pytest.mark.parametrize(
    "field", ["name", "severity", "severity_reason", "subject_default", "actions"]
)
def test_missing_field(tmp_path: Path, field: str) -> None:
    error = load_error(tmp_path, broken(lambda f: alpha(f).pop(field)))

    assert error.entry_id == "alpha"
    assert error.field == field
    assert "missing" in str(error)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("name", ["a", "list"], "must be a string"),
        ("positive_examples", "one sentence", "must be a list"),
        ("regulation_ids", [1, 2], "must be a non-empty string"),
        ("actions", {"kind": "opt_out"}, "must be a list"),
        ("severity_reason", "   ", "must not be empty"),
    ],
)
def test_wrong_type(tmp_path: Path, field: str, value: object, expected: str) -> None:
    error = load_error(tmp_path, broken(lambda f: alpha(f).update({field: value})))

    assert error.entry_id == "alpha"
    assert error.field == field
    assert expected in str(error)


def test_neutral_texts_load(tmp_path: Path) -> None:
    neutral = {
        "what_it_is": "{platform} names {subject} without doing it.",
        "consumer_impact": "{platform} does not say it does this.",
    }
    files = broken(lambda f: alpha(f).update(neutral=neutral))

    clause_type = load_taxonomy(write_folder(tmp_path, files)).clause_type("alpha")

    assert clause_type.neutral_what_it_is == neutral["what_it_is"]
    assert clause_type.neutral_consumer_impact == neutral["consumer_impact"]


@pytest.mark.parametrize(
    ("neutral", "field", "expected"),
    [
        ("a sentence", "neutral", "must be a mapping"),
        (
            {"what_it_is": "It names {subject}.", "consumer_impact": "It affects you."},
            "neutral.what_it_is",
            "{platform}",
        ),
        (
            {"what_it_is": "{platform} names it.", "consumer_impact": "{user} cares."},
            "neutral.consumer_impact",
            "{user}",
        ),
        ({"what_it_is": "{platform} names it."}, "neutral.consumer_impact", "missing"),
    ],
)
def test_bad_neutral_texts(
    tmp_path: Path, neutral: object, field: str, expected: str
) -> None:
    error = load_error(tmp_path, broken(lambda f: alpha(f).update(neutral=neutral)))

    assert error.entry_id == "alpha"
    assert error.field == field
    assert expected in str(error)


def test_unknown_field(tmp_path: Path) -> None:
    error = load_error(tmp_path, broken(lambda f: alpha(f).update(severty="High")))

    assert error.entry_id == "alpha"
    assert "severty" in str(error)


def test_invalid_id_format(tmp_path: Path) -> None:
    error = load_error(tmp_path, broken(lambda f: alpha(f).update(id="Alpha Type")))

    assert error.field == "id"
    assert error.entry_id == "Alpha Type"
    assert "'Alpha Type'" in str(error)


def test_unknown_category(tmp_path: Path) -> None:
    files = broken(lambda f: f["clause_types/contract.yaml"].update(category="Misc"))

    error = load_error(tmp_path, files)

    assert error.field == "category"
    assert "'Misc'" in str(error)


def test_yaml_syntax_error(tmp_path: Path) -> None:
    files = broken(lambda f: f.update({"agencies.yaml": "agencies: [unclosed"}))

    error = load_error(tmp_path, files)

    assert error.path.name == "agencies.yaml"
    assert "not valid YAML" in str(error)


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    text = yaml.safe_dump(VALID["agencies.yaml"]) + "agencies: []\n"

    error = load_error(tmp_path, broken(lambda f: f.update({"agencies.yaml": text})))

    assert "duplicate key 'agencies'" in str(error)


def test_regulation_needs_https_url(tmp_path: Path) -> None:
    def downgrade(files: Data) -> None:
        files["regulations.yaml"]["regulations"][0]["url"] = "http://example.org/r"

    error = load_error(tmp_path, broken(downgrade))

    assert error.path.name == "regulations.yaml"
    assert error.entry_id == "reg_one"
    assert error.field == "url"


def test_regulation_needs_articles(tmp_path: Path) -> None:
    def empty(files: Data) -> None:
        files["regulations.yaml"]["regulations"][0]["articles"] = []

    error = load_error(tmp_path, broken(empty))

    assert error.field == "articles"


def test_article_missing_relevance(tmp_path: Path) -> None:
    def strip(files: Data) -> None:
        del files["regulations.yaml"]["regulations"][0]["articles"][0]["relevance"]

    error = load_error(tmp_path, broken(strip))

    assert error.entry_id == "reg_one"
    assert error.field == "articles[0].relevance"


def test_agency_missing_complaint_url(tmp_path: Path) -> None:
    def strip(files: Data) -> None:
        del files["agencies.yaml"]["agencies"][0]["complaint_url"]

    error = load_error(tmp_path, broken(strip))

    assert error.path.name == "agencies.yaml"
    assert error.entry_id == "agency_one"
    assert error.field == "complaint_url"


def test_duplicate_agency_id(tmp_path: Path) -> None:
    def repeat(files: Data) -> None:
        agencies = files["agencies.yaml"]["agencies"]
        agencies.append(copy.deepcopy(agencies[0]))

    error = load_error(tmp_path, broken(repeat))

    assert error.entry_id == "agency_one"
    assert "duplicate agency id" in str(error)


@pytest.mark.parametrize(
    "missing", ["regulations.yaml", "agencies.yaml", "clause_types/contract.yaml"]
)
def test_missing_file(tmp_path: Path, missing: str) -> None:
    files = broken(lambda f: f.pop(missing))

    error = load_error(tmp_path, files)

    assert "missing" in str(error) or "no .yaml files" in str(error)


def test_error_is_taxonomy_error(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError):
        load_taxonomy(tmp_path / "absent")


def test_clause_type_not_found_suggests(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(write_folder(tmp_path, VALID))

    with pytest.raises(NotFoundError) as caught:
        taxonomy.clause_type("alpah")

    assert "'alpah'" in str(caught.value)
    assert "alpha" in str(caught.value)


def test_unknown_top_level_key(tmp_path: Path) -> None:
    files = broken(lambda f: f["clause_types/contract.yaml"].update(categroy="x"))

    error = load_error(tmp_path, files)

    assert error.path.name == "contract.yaml"
    assert "categroy" in str(error)


def test_missing_category(tmp_path: Path) -> None:
    files = broken(lambda f: f["clause_types/contract.yaml"].pop("category"))

    error = load_error(tmp_path, files)

    assert error.field == "category"
    assert "Contract terms" in str(error)


def test_top_level_not_mapping(tmp_path: Path) -> None:
    files = broken(lambda f: f.update({"regulations.yaml": "- id: reg_one\n"}))

    error = load_error(tmp_path, files)

    assert error.path.name == "regulations.yaml"
    assert "top level must be a mapping" in str(error)


def test_entry_not_mapping(tmp_path: Path) -> None:
    def replace(files: Data) -> None:
        files["clause_types/contract.yaml"]["clause_types"][1] = "beta"

    error = load_error(tmp_path, broken(replace))

    assert error.entry_id == "#2"
    assert "must be a mapping" in str(error)


def test_action_not_mapping(tmp_path: Path) -> None:
    error = load_error(tmp_path, broken(lambda f: alpha(f).update(actions=["opt_out"])))

    assert error.field == "actions[0]"
    assert "must be a mapping" in str(error)


@pytest.mark.parametrize("field", ["regulation_ids", "agency_ids", "actions"])
def test_empty_required_list(tmp_path: Path, field: str) -> None:
    error = load_error(tmp_path, broken(lambda f: alpha(f).update({field: []})))

    assert error.entry_id == "alpha"
    assert error.field == field
    assert "at least one" in str(error)


def test_description_names_platform(tmp_path: Path) -> None:
    files = broken(lambda f: alpha(f).update(what_it_is="The policy shares data."))

    error = load_error(tmp_path, files)

    assert error.field == "what_it_is"
    assert "{platform}" in str(error)


def test_related_ids_may_be_empty(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(write_folder(tmp_path, VALID))

    assert taxonomy.clause_type("beta").related_ids == ()


def test_unknown_action_topic(tmp_path: Path) -> None:
    error = load_error(
        tmp_path, broken(lambda f: alpha(f)["actions"][0].update(topic="weather"))
    )

    assert error.entry_id == "alpha"
    assert error.field == "actions[0].topic"
    assert error.path.name == "contract.yaml"
    assert "'weather'" in str(error)


def test_topic_on_action_without_needs(tmp_path: Path) -> None:
    def change(files: Data) -> None:
        alpha(files)["actions"][0].update(needs=[], topic="cookies")

    error = load_error(tmp_path, broken(change))

    assert error.field == "actions[0].topic"
    assert "needs no contacts" in str(error)


def test_action_topic_loads(tmp_path: Path) -> None:
    files = broken(lambda f: alpha(f)["actions"][0].update(topic="cookies"))

    taxonomy = load_taxonomy(write_folder(tmp_path, files))

    assert taxonomy.clause_type("alpha").actions[0].topic == "cookies"
    assert taxonomy.clause_type("beta").actions[0].topic is None
