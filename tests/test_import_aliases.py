"""One platform recorded under two folder names: one timeline per document."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from clausewatch.db.models import Document, Platform, Snapshot, Version, VersionSnapshot
from clausewatch.db.store import Store
from clausewatch.declarations import PlatformDeclaration, load_catalog
from clausewatch.settings import Settings
from clausewatch.tracking.history_files import HistoryFile
from clausewatch.tracking.history_import import catalog_index, import_history
from clausewatch.tracking.history_platforms import StoredPlatforms, match_services
from clausewatch.tracking.history_timelines import document_timelines
from tests.history_builders import timestamp_name, write_folder_history

TERMS_V1 = """# Birdsong Terms

## Your account

You must be at least 13 years old to open an account. Keep your password to
yourself, and tell us at once if someone else uses your account.

## Your posts

You keep ownership of what you post, and you give us a licence to show it to the
people you choose and to copy it between our servers for that purpose.

## Ending the service

You may close your account at any time from the settings page. We may suspend an
account that breaks these terms, and we tell you why by e-mail.
"""

TERMS_V2 = TERMS_V1.replace("13 years old", "16 years old")

TERMS_V3 = (
    TERMS_V2
    + """
## Disputes

Any dispute goes to the courts of the county where our office is.
"""
)

# The same page as another collection extracts it: a table of contents stays in.
CONTENTS = "\n- [Your account](#account)\n- [Your posts](#posts)\n"

BLOCK_PAGE = "# Access denied\n\nPlease complete the security check to continue.\n"


def at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(Settings(data_dir=tmp_path / "data"))
    yield opened
    opened.close()


def birdsong_catalog(tmp_path: Path, *, aliases: str) -> list[PlatformDeclaration]:
    tmp_path.mkdir(exist_ok=True)
    declaration = tmp_path / "birdsong.yaml"
    declaration.write_text(
        f"id: birdsong\nname: Birdsong (Chirp)\n{aliases}"
        "documents:\n  Terms of Service: https://birdsong.example/terms\n",
        "utf-8",
    )
    return load_catalog(declaration)


@pytest.fixture
def catalog(tmp_path: Path) -> list[PlatformDeclaration]:
    return birdsong_catalog(tmp_path, aliases="aliases: [Chirp]\n")


def overlapping_history(root: Path) -> Path:
    """Chirp (former name) from 2020 to 2026, Birdsong from 2025 on, same days."""
    write_folder_history(
        root,
        "Chirp",
        "Terms of Service",
        [
            (at(2020, 3, 1), TERMS_V1),
            (at(2025, 12, 17, 0), TERMS_V2),
            (at(2026, 1, 16, 0), TERMS_V3),
        ],
    )
    return write_folder_history(
        root,
        "Birdsong",
        "Terms of Service",
        [
            (at(2025, 9, 13), TERMS_V1 + CONTENTS),
            (at(2025, 12, 17, 1), TERMS_V2 + CONTENTS),
            (at(2026, 1, 16, 1), TERMS_V3 + CONTENTS),
            (at(2026, 4, 11), TERMS_V3 + CONTENTS),
        ],
    )


def timeline(store: Store) -> list[tuple[datetime, list[str]]]:
    """Each version's date and the sorted paths of the snapshots linked to it."""
    with store.session() as session:
        versions = session.scalars(select(Version).order_by(Version.number)).all()
        return [
            (
                version.captured_at,
                sorted(
                    session.scalars(
                        select(Snapshot.url)
                        .join(
                            VersionSnapshot,
                            VersionSnapshot.snapshot_id == Snapshot.id,
                        )
                        .where(VersionSnapshot.version_id == version.id)
                    )
                ),
            )
            for version in versions
        ]


def path_of(service: str, moment: datetime) -> str:
    return f"{service}/Terms of Service/{timestamp_name(moment)}"


def test_aliased_folders_make_one_platform(
    store: Store, tmp_path: Path, catalog: list[PlatformDeclaration]
) -> None:
    history = overlapping_history(tmp_path / "history")

    report, files = import_history(
        store, history, analyzer=None, catalog_platforms=catalog
    )

    assert files == 7
    assert report.errors == []
    assert report.out_of_order == []
    assert report.documents == 1
    with store.session() as session:
        assert session.scalars(select(Platform.id)).all() == ["birdsong"]
        assert session.scalars(select(Document.terms_type)).all() == [
            "Terms of Service"
        ]
    (note,) = report.joined
    assert "Chirp/Terms of Service from 2020-03-01" in note
    assert "then Birdsong/Terms of Service from 2025-09-13" in note


def test_timeline_follows_one_folder_at_a_time(
    store: Store, tmp_path: Path, catalog: list[PlatformDeclaration]
) -> None:
    history = overlapping_history(tmp_path / "history")

    report, _ = import_history(store, history, analyzer=None, catalog_platforms=catalog)

    # Chirp's captures of 17 December and 16 January differ from Birdsong's of the
    # same days only by the table of contents, so they make no versions. Otherwise
    # the import would record the contents removed and added back twice.
    assert timeline(store) == [
        (at(2020, 3, 1), [path_of("Chirp", at(2020, 3, 1))]),
        (at(2025, 9, 13), [path_of("Birdsong", at(2025, 9, 13))]),
        (at(2025, 12, 17, 1), [path_of("Birdsong", at(2025, 12, 17, 1))]),
        (
            at(2026, 1, 16, 1),
            sorted(
                [
                    path_of("Birdsong", at(2026, 1, 16, 1)),
                    path_of("Birdsong", at(2026, 4, 11)),
                ]
            ),
        ),
    ]
    assert report.new_versions == 4
    assert [line.split(":")[0] for line in report.other_source] == [
        path_of("Chirp", at(2025, 12, 17, 0)),
        path_of("Chirp", at(2026, 1, 16, 0)),
    ]
    assert "Birdsong/Terms of Service leads" in report.other_source[0]
    # The other folder's files stay as evidence, each under its own path.
    with store.session() as session:
        urls = set(session.scalars(select(Snapshot.url)))
    assert path_of("Chirp", at(2025, 12, 17, 0)) in urls
    assert store.counts().snapshots == 7


def test_same_text_of_other_folder_joins_version(
    store: Store, tmp_path: Path, catalog: list[PlatformDeclaration]
) -> None:
    history = write_folder_history(
        tmp_path / "history",
        "Chirp",
        "Terms of Service",
        [(at(2020, 3, 1), TERMS_V1), (at(2025, 12, 17, 0), TERMS_V2)],
    )
    # Birdsong leads from 2025-09-13. Chirp's capture of 17 December has the text
    # Birdsong recorded that morning, with other line endings.
    write_folder_history(
        history,
        "Birdsong",
        "Terms of Service",
        [
            (at(2025, 9, 13), TERMS_V1),
            (at(2025, 12, 16), TERMS_V2.replace("\n", "\r\n")),
        ],
    )
    write_folder_history(
        history, "Birdsong", "Terms of Service", [(at(2026, 2, 1), TERMS_V3)]
    )

    report, _ = import_history(store, history, analyzer=None, catalog_platforms=catalog)

    assert report.other_source == []
    assert timeline(store) == [
        (
            at(2020, 3, 1),
            [path_of("Birdsong", at(2025, 9, 13)), path_of("Chirp", at(2020, 3, 1))],
        ),
        (
            at(2025, 12, 16),
            [path_of("Birdsong", at(2025, 12, 16)), path_of("Chirp", at(2025, 12, 17))],
        ),
        (at(2026, 2, 1), [path_of("Birdsong", at(2026, 2, 1))]),
    ]


def test_same_capture_in_two_folders_stored_once(
    store: Store, tmp_path: Path, catalog: list[PlatformDeclaration]
) -> None:
    moments = [at(2024, 5, 1), at(2025, 5, 1)]
    for service in ("Chirp", "Birdsong"):
        write_folder_history(
            tmp_path / "history",
            service,
            "Terms of Service",
            list(zip(moments, [TERMS_V1, TERMS_V2], strict=True)),
        )

    report, files = import_history(
        store, tmp_path / "history", analyzer=None, catalog_platforms=catalog
    )

    assert files == 4
    assert report.new_versions == 2
    assert report.already_imported == 2
    assert report.other_source == []
    assert store.counts().snapshots == 2
    assert store.counts().versions == 2


def test_other_folder_starts_document_without_versions(
    store: Store, tmp_path: Path, catalog: list[PlatformDeclaration]
) -> None:
    # Birdsong leads from 2025 to 2026, but every capture of it is a block page.
    history = write_folder_history(
        tmp_path / "history",
        "Birdsong",
        "Terms of Service",
        [(at(2025, 1, 1), BLOCK_PAGE), (at(2026, 1, 1), BLOCK_PAGE)],
    )
    write_folder_history(
        history, "Chirp", "Terms of Service", [(at(2025, 6, 1), TERMS_V1)]
    )

    report, _ = import_history(store, history, analyzer=None, catalog_platforms=catalog)

    assert timeline(store) == [(at(2025, 6, 1), [path_of("Chirp", at(2025, 6, 1))])]
    assert report.other_source == []
    assert len(report.suspect) == 2
    assert report.errors == []


def test_second_import_of_joined_history_adds_nothing(
    store: Store, tmp_path: Path, catalog: list[PlatformDeclaration]
) -> None:
    history = overlapping_history(tmp_path / "history")
    import_history(store, history, analyzer=None, catalog_platforms=catalog)
    before = store.counts()

    again, files = import_history(
        store, history, analyzer=None, catalog_platforms=catalog
    )

    assert again.already_imported == files == 7
    assert again.new_versions == 0
    assert again.other_source == []
    assert again.errors == []
    assert store.counts() == before


def test_store_from_before_alias_reports_duplicate(
    store: Store, tmp_path: Path, catalog: list[PlatformDeclaration]
) -> None:
    history = overlapping_history(tmp_path / "history")
    without_alias = birdsong_catalog(tmp_path / "old", aliases="")
    import_history(store, history, analyzer=None, catalog_platforms=without_alias)
    before = store.counts()
    assert before.platforms == 2

    report, files = import_history(
        store, history, analyzer=None, catalog_platforms=catalog
    )

    # The earlier platform keeps its files, so no file lands out of order in the
    # catalog platform, and the error explains how to get one platform.
    assert store.counts() == before
    assert report.already_imported == files
    assert report.out_of_order == []
    (error,) = report.errors
    assert 'lists "Chirp" as a name of platform "birdsong"' in error
    assert 'already stores it as platform "chirp" (Chirp)' in error
    assert "figures count that platform twice" in error
    assert f"clausewatch import {history}" in error


def test_bad_file_in_joined_history_loses_nothing(
    store: Store, tmp_path: Path, catalog: list[PlatformDeclaration]
) -> None:
    history = overlapping_history(tmp_path / "history")
    import_history(store, history, analyzer=None, catalog_platforms=catalog)
    before = store.counts()
    versions_before = timeline(store)
    bad = history / "Birdsong" / "Terms of Service" / timestamp_name(at(2026, 5, 1))
    bad.write_bytes(b"\xff\xfe not text")

    report, _ = import_history(store, history, analyzer=None, catalog_platforms=catalog)

    (error,) = report.errors
    assert error.startswith(
        f"{path_of('Birdsong', at(2026, 5, 1))}: cannot read the file"
    )
    assert report.files_skipped == 1
    assert store.counts() == before
    assert timeline(store) == versions_before


def folder_files(service: str, moments: list[datetime]) -> list[HistoryFile]:
    return [
        HistoryFile(
            service=service,
            terms_type="Privacy Policy",
            captured_at=moment,
            source=f"{service}/Privacy Policy/{timestamp_name(moment)}",
            read=lambda: b"",
            size=0,
        )
        for moment in moments
    ]


def leading_services(tmp_path: Path, files: list[HistoryFile]) -> list[str]:
    services = sorted({item.service for item in files})
    catalog = birdsong_catalog(tmp_path, aliases=f"aliases: [{', '.join(services)}]\n")
    matches = match_services(services, catalog_index(catalog), StoredPlatforms())
    (joined,) = document_timelines(files, matches.platforms)
    return [timed.item.service for timed in joined.files if timed.led_by is None]


def test_folder_lasting_longest_leads(tmp_path: Path) -> None:
    # Old runs 2010 to 2026, New 2015 to 2020: Old goes on, so New never leads.
    files = folder_files("Old", [at(2010, 1, 1), at(2018, 1, 1), at(2026, 1, 1)])
    files += folder_files("New", [at(2015, 1, 1), at(2020, 1, 1)])

    assert leading_services(tmp_path, files) == ["Old", "Old", "Old"]


def test_leader_changes_once_per_longer_folder(tmp_path: Path) -> None:
    files = folder_files("A", [at(2010, 1, 1), at(2016, 1, 1), at(2021, 1, 1)])
    files += folder_files("B", [at(2015, 1, 1), at(2017, 1, 1), at(2024, 1, 1)])
    files += folder_files("C", [at(2016, 6, 1), at(2017, 6, 1)])

    assert leading_services(tmp_path, files) == ["A", "B", "B", "B"]


def test_equal_ends_keep_first_folder(tmp_path: Path) -> None:
    files = folder_files("Z", [at(2010, 1, 1), at(2026, 1, 1)])
    files += folder_files("A", [at(2020, 1, 1), at(2026, 1, 1)])

    # Z started first and lasts as long, so the timeline never changes folder.
    assert leading_services(tmp_path, files) == ["Z", "Z"]


def test_bundled_catalog_names_twitter_as_x() -> None:
    catalog = catalog_index(load_catalog())

    assert catalog["twitter"].id == "x"
    assert catalog["x"].id == "x"
