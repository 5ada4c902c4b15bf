"""Did-you-mean hints: offered for close mistypings only, else the valid names."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clausewatch.cli import app
from clausewatch.db.store import Store
from clausewatch.declarations import TERMS_TYPES, load_declaration, suggest_terms_type
from clausewatch.errors import DeclarationError, NotFoundError
from clausewatch.settings import Settings
from clausewatch.suggestions import close_matches
from clausewatch.taxonomy import default_taxonomy
from clausewatch.tracking.history_import import import_history
from tests.history_builders import PRIVACY_V1, write_folder_history

PLATFORM_IDS = ["openai", "facebook", "tiktok", "linkedin", "twitter", "x", "wix"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("opnai", ["openai"]),
        ("opeani", ["openai"]),
        ("faceboook", ["facebook"]),
        ("tiktk", ["tiktok"]),
        ("LinkedIn", ["linkedin"]),
        (" twiter ", ["twitter"]),
        ("X", ["x"]),
    ],
)
def test_close_matches_near(value: str, expected: list[str]) -> None:
    assert close_matches(value, PLATFORM_IDS) == expected


@pytest.mark.parametrize("value", ["nope", "zzzz", "y", "xx", "wxi", "", "meta"])
def test_close_matches_far(value: str) -> None:
    assert close_matches(value, PLATFORM_IDS) == []


def test_close_matches_closest_first() -> None:
    choices = ["privacy policies", "privacy policy", "privacy polic"]

    assert close_matches("privacy policx", choices) == [
        "privacy policy",
        "privacy polic",
        "privacy policies",
    ]
    assert close_matches("privacy policx", choices, limit=1) == ["privacy policy"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Privacy Polcy", "Privacy Policy"),
        ("terms of servce", "Terms of Service"),
        ("Community Guideline", "Community Guidelines"),
        ("Imprints", "Imprint"),
        ("Cookie Policy", "Trackers Policy"),
        ("Cookies Polcy", "Trackers Policy"),
        ("Acceptable Usage Policy", "Acceptable Use Policy"),
    ],
)
def test_terms_type_near_suggested(name: str, expected: str) -> None:
    assert suggest_terms_type(name) == expected


@pytest.mark.parametrize(
    "name",
    [
        "Nonsense Policy",
        "Banana Policy",
        "Random Policy",
        "AI Policy",
        "Data Policy",
        "Refund Policy",
        "Foo Terms",
        "Terms",
    ],
)
def test_terms_type_far_not_suggested(name: str) -> None:
    assert suggest_terms_type(name) is None


def test_declaration_far_type_lists_names(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(
        "id: acme\nname: Acme\ndocuments:\n"
        "  Banana Policy: https://acme.example/banana\n"
    )

    with pytest.raises(DeclarationError) as raised:
        load_declaration(path)

    message = str(raised.value)
    assert "unknown terms type" in message
    assert "Complaints Policy" in message
    assert 'use "Complaints Policy"' not in message
    assert "use one of the Open Terms Archive terms types" in message
    assert all(f'"{terms_type}"' in message for terms_type in TERMS_TYPES)


def test_declaration_near_type_suggested(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(
        "id: acme\nname: Acme\ndocuments:\n"
        "  Privacy Polcy: https://acme.example/privacy\n"
    )

    with pytest.raises(DeclarationError, match='use "Privacy Policy"'):
        load_declaration(path)


def test_declaration_far_key_not_suggested(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(
        "id: acme\nname: Acme\nbanana: 1\ndocuments:\n"
        "  Privacy Policy: https://acme.example/privacy\n"
    )

    with pytest.raises(DeclarationError) as raised:
        load_declaration(path)

    message = str(raised.value)
    assert "unknown key" in message
    assert "did you mean" not in message
    assert "allowed keys here:" in message


@pytest.mark.parametrize(
    ("terms_type", "present", "absent"),
    [
        ("Nonsense Policy", "one of the Open Terms Archive", "User Consent Policy"),
        ("Privacy Polcy", 'rename it to "Privacy Policy"', "one of the"),
    ],
)
def test_import_unknown_type_hint(
    tmp_path: Path, terms_type: str, present: str, absent: str
) -> None:
    history = write_folder_history(
        tmp_path / "history",
        "Zeta",
        terms_type,
        [(datetime(2025, 3, 1, tzinfo=UTC), PRIVACY_V1)],
    )
    store = Store.open(Settings(data_dir=tmp_path / "data"))
    try:
        report, _ = import_history(store, history, analyzer=None)
    finally:
        store.close()

    assert len(report.errors) == 1
    assert present in report.errors[0]
    assert f'rename it to "{absent}"' not in report.errors[0]


@pytest.mark.parametrize(
    ("clause_type", "suggested"),
    [("arbitraton", "arbitration"), ("sale_of_date", "sale_of_data")],
)
def test_clause_type_near_suggested(
    tmp_path: Path, clause_type: str, suggested: str
) -> None:
    data_dir = tmp_path / "data"
    runner = CliRunner()
    assert runner.invoke(app, ["--data-dir", str(data_dir), "init"]).exit_code == 0

    result = runner.invoke(
        app,
        ["--data-dir", str(data_dir), "changes", "--clause-type", clause_type],
        env={"COLUMNS": "400"},
    )

    assert result.exit_code == 3
    assert f"did you mean {suggested}?" in result.output


@pytest.mark.parametrize("clause_type", ["banana_data", "xyz_data", "selling"])
def test_clause_type_far_points_to_list(tmp_path: Path, clause_type: str) -> None:
    data_dir = tmp_path / "data"
    runner = CliRunner()
    assert runner.invoke(app, ["--data-dir", str(data_dir), "init"]).exit_code == 0

    result = runner.invoke(
        app,
        ["--data-dir", str(data_dir), "changes", "--clause-type", clause_type],
        env={"COLUMNS": "400"},
    )

    assert result.exit_code == 3
    assert "did you mean" not in result.output
    assert "use an id listed at /clause-types" in result.output


@pytest.mark.parametrize(
    ("clause_type_id", "hint"),
    [
        ("arbitation", "did you mean arbitration?"),
        ("location", "did you mean location_data?"),
        ("banana_data", "no similar id exists"),
        ("a", "no similar id exists"),
    ],
)
def test_taxonomy_lookup_hint(clause_type_id: str, hint: str) -> None:
    with pytest.raises(NotFoundError) as raised:
        default_taxonomy().clause_type(clause_type_id)

    assert hint in str(raised.value)
