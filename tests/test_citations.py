"""Citation exports of a provision: BibTeX, RIS and CSL-JSON rendered by citeproc-py."""

from __future__ import annotations

# The site fixture is imported, so pytest finds it; test arguments then shadow it.
# ruff: noqa: F811
import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from fastapi.testclient import TestClient
from sqlalchemy import select

from clausewatch.db.models import Provision
from clausewatch.db.store import Store
from clausewatch.figures.provision_page import provision_page
from clausewatch.settings import Settings
from clausewatch.tracking.history_import import import_history
from clausewatch.web import create_app
from clausewatch.web.citations import (
    CitationRecord,
    bibtex_escape,
    bibtex_key,
    citation_record,
    to_bibtex,
    to_csl_json,
    to_ris,
)
from tests.history_builders import write_folder_history
from tests.web_fixtures import BASE_URL, WebSite, site  # noqa: F401

RECORD = CitationRecord(
    entity="Parrotchat",
    document="Privacy Policy",
    record_id="P-0001$=",
    document_record_id="D-00001Z",
    provision_number=7,
    version_number=3,
    heading="Sharing & 100% {braces}",
    captured_at=datetime(2026, 3, 14, 9, 26, 53, tzinfo=UTC),
    sha256="ab" * 32,
    permanent_url="https://clausewatch.example/provisions/P-0001%24%3D",
    accessed=date(2026, 12, 4),
)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("100%", r"100\%"),
        ("a & b", r"a \& b"),
        ("{x}", r"\{x\}"),
        ("$5_#", r"\$5\_\#"),
        ("~^\\", r"\textasciitilde{}\textasciicircum{}\textbackslash{}"),
    ],
)
def test_bibtex_escape(raw: str, escaped: str) -> None:
    assert bibtex_escape(raw) == escaped


def test_bibtex_entry_fields() -> None:
    entry = to_bibtex(RECORD)

    assert entry.startswith("@misc{clausewatch-P0001,\n")
    assert (
        r"title = {{Parrotchat Privacy Policy, provision P-0001\$=: Sharing \&" in entry
    )
    assert "year = {2026}" in entry
    assert "urldate = {2026-12-04}" in entry
    assert "ab" * 32 in entry
    unescaped = entry.replace(r"\{", "").replace(r"\}", "")
    assert unescaped.count("{") == unescaped.count("}")


def test_bibtex_key_letters_digits() -> None:
    assert re.fullmatch(r"clausewatch-[A-Za-z0-9]+", bibtex_key("P-0001$="))


def test_exports_name_provision_and_version() -> None:
    place = "provision 7 of version 3 of document D-00001Z"

    assert place in to_bibtex(RECORD)
    assert f"N1  - Record ID P-0001$=, {place};" in to_ris(RECORD)
    assert place in to_csl_json(RECORD)[0]["note"]


def test_ris_lines() -> None:
    lines = to_ris(RECORD).split("\r\n")

    assert lines[0] == "TY  - ELEC"
    assert "DA  - 2026/03/14" in lines
    assert "Y2  - 2026/12/04" in lines
    assert f"UR  - {RECORD.permanent_url}" in lines
    assert lines[-2] == "ER  - "
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1])


def render_bibliography(items: list[dict[str, object]]) -> str:
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(
        style, CiteProcJSON(items), formatter.plain
    )
    bibliography.register(Citation([CitationItem(str(items[0]["id"]).lower())]))
    return str(bibliography.bibliography()[0])


def test_csl_json_renders_with_citeproc() -> None:
    rendered = render_bibliography(to_csl_json(RECORD))

    assert "Parrotchat" in rendered
    assert "2026" in rendered
    assert RECORD.permanent_url in rendered


def test_exports_served_for_provision(site: WebSite) -> None:
    record_id = site.provision_id("train and improve")

    bib = site.client.get(f"/provisions/{record_id}/cite.bib")
    ris = site.client.get(f"/provisions/{record_id}/cite.ris")
    csl = site.client.get(f"/provisions/{record_id}/cite.json")

    assert bib.status_code == ris.status_code == csl.status_code == 200
    assert bib.headers["content-type"].startswith("application/x-bibtex")
    assert "attachment" in bib.headers["content-disposition"]
    assert f"{BASE_URL}/provisions/{record_id}" in bib.text
    assert "TI  - Parrotchat Privacy Policy, provision" in ris.text
    assert csl.json()[0]["id"] == record_id


def test_exports_carry_page_provision_number(site: WebSite) -> None:
    record_id = site.provision_id("train and improve")
    record = site.client.get(f"/api/v1/provisions/{record_id}").json()["page"]
    place = (
        f"provision {record['record']['number']} of version "
        f"{record['record']['last_version']['number']}"
    )

    bib = site.client.get(f"/provisions/{record_id}/cite.bib").text
    ris = site.client.get(f"/provisions/{record_id}/cite.ris").text
    csl = site.client.get(f"/provisions/{record_id}/cite.json").json()

    assert place in bib
    assert place in ris
    assert place in csl[0]["note"]


def test_served_csl_json_renders(site: WebSite) -> None:
    record_id = site.provision_id("train and improve")
    items = site.client.get(f"/provisions/{record_id}/cite.json").json()

    rendered = render_bibliography(items)

    assert "Parrotchat" in rendered
    assert f"{BASE_URL}/provisions/{record_id}" in rendered


FIRST_CAPTURE = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
LATER_CAPTURE = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
UNCHANGED_POLICY = """# Wrenmail Privacy Policy

## Sharing

We pass your address book to the companies that deliver our newsletters, and we
keep a copy of every message you send through the service for two years.

## Your choices

You can turn off newsletter delivery in the settings of your account, and you can
ask us to delete your address book by writing to our support team.
"""


@pytest.fixture
def refetched_store(tmp_path: Path) -> Iterator[Store]:
    """A store whose one version was captured twice, with bytes that differ."""
    history = write_folder_history(
        tmp_path / "history",
        "Wrenmail",
        "Privacy Policy",
        [
            (FIRST_CAPTURE, UNCHANGED_POLICY),
            # Extra blank lines change the bytes but not the normalized text.
            (LATER_CAPTURE, UNCHANGED_POLICY + "\n\n\n"),
        ],
    )
    store = Store.open(Settings(data_dir=tmp_path / "data", base_url=BASE_URL))
    report, _ = import_history(store, history, analyzer=None)
    assert report.errors == []
    yield store
    store.close()


def test_citation_dates_cited_version(refetched_store: Store) -> None:
    first_sha256 = hashlib.sha256(UNCHANGED_POLICY.encode()).hexdigest()
    with refetched_store.session() as session:
        record_id = session.scalars(select(Provision.record_id)).first()
        assert record_id is not None
        page = provision_page(session, record_id)
    assert len(page.record.snapshots) == 2

    citation = citation_record(
        page, permanent_url=f"{BASE_URL}/p", accessed=date(2026, 12, 4)
    )

    assert citation.captured_at == FIRST_CAPTURE
    assert citation.captured_at == page.record.last_version.captured_at
    assert citation.sha256 == first_sha256
    assert citation.accessed == date(2026, 12, 4)
    assert "captured 2025-03-01T08:00:00Z" in citation.note
    assert f"snapshot SHA-256 {first_sha256}" in citation.note


def test_served_citation_dates_cited_version(
    refetched_store: Store, tmp_path: Path
) -> None:
    first_sha256 = hashlib.sha256(UNCHANGED_POLICY.encode()).hexdigest()
    with refetched_store.session() as session:
        record_id = session.scalars(select(Provision.record_id)).first()
    settings = Settings(data_dir=tmp_path / "data", base_url=BASE_URL)
    with TestClient(create_app(settings)) as client:
        citation = client.get(f"/api/v1/provisions/{record_id}").json()["citation"]
        ris = client.get(f"/provisions/{record_id}/cite.ris").text

    assert citation["captured_at"].startswith("2025-03-01T08:00:00")
    assert citation["sha256"] == first_sha256
    assert "DA  - 2025/03/01" in ris
    assert first_sha256 in ris
