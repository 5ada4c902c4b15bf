"""History import: platform ids of service folders, and folders whose ids collide."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from clausewatch.cli import app
from clausewatch.db.models import Document, Platform, Version
from clausewatch.db.store import Store
from clausewatch.declarations import PlatformDeclaration, load_catalog
from clausewatch.settings import Settings
from clausewatch.tracking.history_import import import_history
from clausewatch.tracking.slugs import legacy_platform_slug, platform_slug
from tests.history_builders import (
    PRIVACY_V1,
    PRIVACY_V2,
    PRIVACY_V3,
    write_folder_history,
)

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
FIRST = datetime(2025, 3, 1, tzinfo=UTC)
LATER = datetime(2025, 4, 1, tzinfo=UTC)
HASHED_ID = re.compile(r"^[a-z0-9-]+-[0-9a-f]{8}$")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(Settings(data_dir=tmp_path / "data"))
    yield opened
    opened.close()


def import_services(
    store: Store,
    history: Path,
    services: dict[str, str],
    *,
    moment: datetime = FIRST,
    catalog: list[PlatformDeclaration] | None = None,
):
    for service, text in services.items():
        write_folder_history(history, service, "Privacy Policy", [(moment, text)])
    report, _ = import_history(
        store, history, analyzer=None, now=NOW, catalog_platforms=catalog or []
    )
    return report


def platforms(store: Store) -> dict[str, str]:
    with store.session() as session:
        rows = session.execute(select(Platform.id, Platform.name))
        return {platform_id: name for platform_id, name in rows}


def version_count(store: Store, platform_id: str) -> int:
    with store.session() as session:
        return len(
            session.scalars(
                select(Version.id)
                .join(Document, Document.id == Version.document_id)
                .where(Document.platform_id == platform_id)
            ).all()
        )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Claude.ai", "claude-ai"),
        ("Société Générale", "societe-generale"),
        ("WordPress.com", "wordpress-com"),
        ("Straße", "strae"),
        ("Ørsted", "rsted"),
        ("Ｗｉｄｅ", "wide"),
    ],
)
def test_latin_ids_unchanged(name: str, expected: str) -> None:
    assert platform_slug(name) == expected
    assert legacy_platform_slug(name) == expected


@pytest.mark.parametrize("name", ["日本語サービス", "中文服务", "Яндекс", "!!!"])
def test_non_latin_ids_hashed(name: str) -> None:
    slug = platform_slug(name)

    assert HASHED_ID.match(slug), slug
    assert slug.startswith("platform-")
    assert platform_slug(name) == slug
    assert legacy_platform_slug(name) == "platform"


def test_non_latin_ids_distinct() -> None:
    names = ["日本語サービス", "中文服务", "Яндекс", "Ελλάδα", "Acme 日本", "Acme"]

    slugs = [platform_slug(name) for name in names]

    assert len(set(slugs)) == len(names)
    assert slugs[4].startswith("acme-")
    assert slugs[5] == "acme"


def test_id_ignores_normalization_form() -> None:
    name = "Ελλάδα"
    decomposed = unicodedata.normalize("NFD", name)

    assert decomposed != name
    assert platform_slug(decomposed) == platform_slug(name)


def test_colliding_folders_in_one_history(store: Store, tmp_path: Path) -> None:
    report = import_services(
        store, tmp_path / "history", {"ACME": PRIVACY_V1, "Acme!": PRIVACY_V2}
    )

    assert store.counts().platforms == 0
    assert report.files_skipped == 2
    assert len(report.errors) == 2
    first, second = sorted(report.errors)
    assert first.startswith('ACME/: this folder and "Acme!/" give the same ')
    assert 'platform id "acme"; 1 file skipped' in first
    assert second.startswith('Acme!/: this folder and "ACME/" give the same')


def test_collision_with_stored_platform(store: Store, tmp_path: Path) -> None:
    import_services(store, tmp_path / "first", {"ACME": PRIVACY_V1})

    report = import_services(
        store, tmp_path / "second", {"Acme!": PRIVACY_V2}, moment=LATER
    )

    assert platforms(store) == {"acme": "ACME"}
    assert version_count(store, "acme") == 1
    (error,) = report.errors
    assert error.startswith(
        'Acme!/: the platform id "acme" that this folder name gives belongs to the '
        'stored platform "ACME", not to a platform named "Acme!"'
    )
    assert 'name it "ACME"' in error
    assert report.files_skipped == 1


def test_colliding_folder_leaves_others(store: Store, tmp_path: Path) -> None:
    import_services(store, tmp_path / "first", {"ACME": PRIVACY_V1})

    report = import_services(
        store,
        tmp_path / "second",
        {"ACME": PRIVACY_V2, "Acme!": PRIVACY_V3, "Zeta": PRIVACY_V1},
        moment=LATER,
    )

    assert platforms(store) == {"acme": "ACME", "zeta": "Zeta"}
    assert version_count(store, "acme") == 2
    assert report.new_versions == 2
    assert len(report.errors) == 1
    assert report.errors[0].startswith("Acme!/:")


def test_non_latin_services_kept_apart(store: Store, tmp_path: Path) -> None:
    import_services(store, tmp_path / "first", {"日本語サービス": PRIVACY_V1})

    report = import_services(
        store, tmp_path / "second", {"中文服务": PRIVACY_V2}, moment=LATER
    )

    assert report.errors == []
    assert platforms(store) == {
        platform_slug("日本語サービス"): "日本語サービス",
        platform_slug("中文服务"): "中文服务",
    }
    assert version_count(store, platform_slug("中文服务")) == 1


def test_legacy_platform_id_kept(store: Store, tmp_path: Path) -> None:
    # An earlier release stored every non-Latin name under the id "platform".
    store.ensure_document(
        platform_id="platform",
        platform_name="日本語サービス",
        terms_type="Privacy Policy",
    )

    report = import_services(
        store, tmp_path / "history", {"日本語サービス": PRIVACY_V1}
    )

    assert report.errors == []
    assert platforms(store) == {"platform": "日本語サービス"}
    assert version_count(store, "platform") == 1


def test_stored_name_joins_declared_id(store: Store, tmp_path: Path) -> None:
    # A platform declared with an id of its own receives the folder of its name.
    store.ensure_document(
        platform_id="zeta", platform_name="Zeta Corp", terms_type="Privacy Policy"
    )

    report = import_services(store, tmp_path / "history", {"Zeta Corp": PRIVACY_V1})

    assert report.errors == []
    assert platforms(store) == {"zeta": "Zeta Corp"}
    assert version_count(store, "zeta") == 1


def test_catalog_aliases_still_joined(store: Store, tmp_path: Path) -> None:
    declaration = tmp_path / "acme.yaml"
    declaration.write_text(
        "id: acme\nname: Acme Inc\naliases: [ACME, Acme!]\n"
        "documents:\n  Privacy Policy: https://acme.example/privacy\n",
        "utf-8",
    )

    report = import_services(
        store,
        tmp_path / "history",
        {"ACME": PRIVACY_V1, "Acme!": PRIVACY_V1},
        catalog=load_catalog(declaration),
    )

    assert report.errors == []
    assert platforms(store) == {"acme": "Acme Inc"}
    assert len(report.joined) == 1


def test_cli_reports_collision(tmp_path: Path) -> None:
    history = tmp_path / "history"
    for service in ("ACME", "Acme!", "Zeta"):
        write_folder_history(history, service, "Privacy Policy", [(FIRST, PRIVACY_V1)])

    result = CliRunner().invoke(
        app,
        ["--data-dir", str(tmp_path / "data"), "import", "--no-analyze", str(history)],
    )

    assert result.exit_code == 1
    errors = " ".join(result.stderr.split())
    assert 'error: ACME/: this folder and "Acme!/" give the same platform id' in errors
    assert "2 files skipped" in " ".join(result.stdout.split())
