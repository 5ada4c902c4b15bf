"""Change events of the real corpus: record IDs survive, light edits are modifications.

The whole corpus is imported once (without classification, which change detection
does not need). Every consecutive pair of versions of every document is then checked
from the stored provisions and change events, and a sample of pairs is diffed again
through ``diff_versions`` to check that the on-demand diff agrees with the stored one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest
from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from clausewatch.db.models import ChangeEvent, Document, ProvisionText, Version
from clausewatch.db.store import Store
from clausewatch.figures import diff_versions
from clausewatch.settings import Settings
from clausewatch.tracking.history_import import import_history
from tests.conftest import require_shared

# A removed and an added provision of one version whose texts are this similar (0-100)
# are the same clause edited, and should have been one modified provision.
SAME_CLAUSE_RATIO = 90
# Modified provisions this similar to their previous text are light edits.
LIGHT_EDIT_RATIO = 85
MIN_TEXT_CHARS = 40
# Share of light edits that may be split into removed plus added: repeated list items
# and table rows leave the matcher more than one equally good partner.
MAX_SPLIT_SHARE = 0.05
SAMPLED_PAIRS = 25


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    # corpus_dir is function-scoped, so this module-scoped fixture calls
    # require_shared itself.
    corpus = require_shared("corpus", "ota")
    opened = Store.open(Settings(data_dir=tmp_path_factory.mktemp("changes-corpus")))
    import_history(opened, corpus, analyzer=None)
    yield opened
    opened.close()


@pytest.fixture
def session(store: Store) -> Iterator[Session]:
    with store.session() as opened:
        yield opened


def version_pairs(session: Session) -> list[tuple[Document, int, int]]:
    pairs = []
    for document in session.scalars(select(Document).order_by(Document.id)):
        numbers = list(
            session.scalars(
                select(Version.number)
                .where(Version.document_id == document.id)
                .order_by(Version.number)
            )
        )
        pairs.extend(
            (document, old, new) for old, new in zip(numbers, numbers[1:], strict=False)
        )
    return pairs


def texts_by_version(session: Session) -> dict[int, list[tuple[str, int]]]:
    rows = session.execute(
        select(
            ProvisionText.version_id,
            ProvisionText.text_sha256,
            ProvisionText.provision_id,
        )
    )
    found: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for version_id, digest, provision_id in rows:
        found[version_id].append((digest, provision_id))
    return found


def test_corpus_has_many_version_pairs(session: Session) -> None:
    assert len(version_pairs(session)) >= 300


def test_unchanged_provisions_keep_record_ids(session: Session) -> None:
    texts = texts_by_version(session)
    versions = session.execute(
        select(Version.document_id, Version.number, Version.id).order_by(
            Version.document_id, Version.number
        )
    ).all()
    checked = 0
    mismatches: list[tuple[int, str]] = []
    for previous, current in zip(versions, versions[1:], strict=False):
        if previous.document_id != current.document_id:
            continue
        before = Counter(digest for digest, _ in texts[previous.id])
        after = Counter(digest for digest, _ in texts[current.id])
        owners = dict(texts[previous.id])
        for digest, provision_id in texts[current.id]:
            # A text that occurs once in both versions is the same clause, unchanged.
            if before[digest] == 1 and after[digest] == 1:
                checked += 1
                if owners[digest] != provision_id:
                    mismatches.append((current.id, digest))
    assert checked > 10_000
    assert mismatches == []


def removed_and_added(session: Session) -> dict[int, tuple[list[str], list[str]]]:
    """Per version, the texts of its removed and of its added provisions."""
    found: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    # A removed provision's text is in the previous version, an added one's in the new.
    for side, kind, text_version in (
        (0, "removed", ChangeEvent.previous_version_id),
        (1, "added", ChangeEvent.version_id),
    ):
        rows = session.execute(
            select(ChangeEvent.version_id, ProvisionText.text)
            .join(
                ProvisionText,
                (ProvisionText.provision_id == ChangeEvent.provision_id)
                & (ProvisionText.version_id == text_version),
            )
            .where(ChangeEvent.kind == kind)
        )
        for version_id, text in rows:
            found[version_id][side].append(text)
    return found


def light_edits(session: Session) -> int:
    rows = session.execute(
        select(ChangeEvent.summary).where(
            ChangeEvent.kind == "modified", ChangeEvent.material.is_(True)
        )
    ).scalars()
    count = 0
    for summary in rows:
        ops = summary.get("word_diff") or []
        old = "".join(text for op, text in ops if op != "insert")
        new = "".join(text for op, text in ops if op != "delete")
        if len(old) >= MIN_TEXT_CHARS and fuzz.ratio(old, new) >= LIGHT_EDIT_RATIO:
            count += 1
    return count


def split_edits(session: Session) -> int:
    """Count removed provisions whose edited text came back as an added provision."""
    split = 0
    for removed, added in removed_and_added(session).values():
        candidates = [text for text in added if len(text) >= MIN_TEXT_CHARS]
        for text in removed:
            if len(text) < MIN_TEXT_CHARS or not candidates:
                continue
            best = max(fuzz.ratio(text, other) for other in candidates)
            if best >= SAME_CLAUSE_RATIO:
                split += 1
    return split


def test_light_edits_are_modifications(session: Session) -> None:
    modified = light_edits(session)
    split = split_edits(session)
    assert modified > 500
    assert split / (modified + split) <= MAX_SPLIT_SHARE, (split, modified)


def stored_kinds(session: Session, document: Document, number: int) -> Counter[str]:
    version_id = session.scalar(
        select(Version.id).where(
            Version.document_id == document.id, Version.number == number
        )
    )
    kinds = session.scalars(
        select(ChangeEvent.kind).where(
            ChangeEvent.version_id == version_id, ChangeEvent.kind != "version"
        )
    )
    return Counter(kinds)


def test_diff_versions_matches_stored_events(session: Session) -> None:
    pairs = version_pairs(session)
    step = max(1, len(pairs) // SAMPLED_PAIRS)
    for document, old, new in pairs[::step]:
        changes = diff_versions(session, document, old, new)
        recomputed = Counter(change.kind.value for change in changes)
        assert recomputed == stored_kinds(session, document, new), (
            document.record_id,
            old,
            new,
        )
