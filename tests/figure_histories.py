"""A keyword analyzer and store helpers for the figures tests.

``KeywordAnalyzer`` has the interface of ``clausewatch.tracking.analyze.Analyzer``
(``model_version``, ``clause_type_names``, ``analyze_version``) but labels a provision
by the keywords it contains, so tests know every clause type in advance. Stances come
from the real ``detect_stance``, and a denial is Low, as in the real Analyzer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from clausewatch.analysis import DENIES, detect_stance
from clausewatch.db.store import Store
from clausewatch.db.work import (
    AnalysisRecord,
    DocumentWork,
    NewProvisionText,
    StoredProvision,
)
from clausewatch.tracking.ingest import IngestResult, ingest_capture

# keyword -> (clause type, severity); a text gets every type whose keyword it contains.
KEYWORD_TYPES: dict[str, tuple[str, str]] = {
    "arbitration": ("arbitration", "High"),
    "share": ("third_party_sharing", "Medium"),
    "train": ("ai_training_on_user_data", "Critical"),
    "delete": ("data_deletion_right", "Low"),
    "collect": ("first_party_collection", "Low"),
}


def keyword_stances(text: str) -> dict[str, str]:
    """Return clause type -> stance for the keywords in text."""
    return {
        clause_type: detect_stance(clause_type, text)
        for clause_type in keyword_labels(text)
    }


def keyword_labels(text: str) -> dict[str, str]:
    """Return clause type -> severity for the keywords in text."""
    lowered = text.lower()
    return {
        clause_type: severity
        for keyword, (clause_type, severity) in KEYWORD_TYPES.items()
        if keyword in lowered
    }


class KeywordAnalyzer:
    """Labels provisions by keyword, with the interface of the real Analyzer."""

    model_version = "keywords-1"

    def clause_type_names(self) -> dict[str, str]:
        return {
            clause_type: clause_type.replace("_", " ").capitalize()
            for clause_type, _ in KEYWORD_TYPES.values()
        }

    def analyze_version(
        self,
        work: DocumentWork,
        stored: Sequence[tuple[int, int, str]],
        texts: Sequence[NewProvisionText],
        previous: Sequence[StoredProvision],
        captured_at: datetime,
        lead_ins: Sequence[str] | None = None,
    ) -> None:
        for (_, text_id, _), text in zip(stored, texts, strict=True):
            labels = keyword_labels(text.text)
            stances = keyword_stances(text.text)
            work.add_analyses(
                text_id,
                [
                    AnalysisRecord(
                        clause_type,
                        0.9,
                        "pattern",
                        "Low" if stances[clause_type] == DENIES else severity,
                        "keyword",
                        stances[clause_type],
                    )
                    for clause_type, severity in sorted(labels.items())
                ],
                language="en",
                abstained=not labels,
                model_version=self.model_version,
                analyzed_at=datetime.now(UTC),
            )
        work.session.flush()


def record_capture(
    store: Store,
    platform_id: str,
    terms_type: str,
    markdown: str,
    captured_at: datetime,
) -> IngestResult:
    """Store one capture of a document through the real ingest path."""
    document_id = store.ensure_document(
        platform_id=platform_id,
        platform_name=platform_id.title(),
        terms_type=terms_type,
    )
    body = markdown.encode("utf-8")
    with store.document_work(document_id) as work:
        digest = store.blobs.put(body)
        snapshot_id = work.add_snapshot(
            sha256=digest,
            url=f"https://{platform_id}.example/{terms_type.replace(' ', '-')}",
            final_url=f"https://{platform_id}.example/{terms_type.replace(' ', '-')}",
            status=200,
            content_type="text/markdown",
            headers=None,
            size=len(body),
            fetched_at=captured_at,
            origin="import",
        )
        return ingest_capture(
            work,
            markdown=markdown,
            captured_at=captured_at,
            snapshot_ids=[snapshot_id],
            analyzer=KeywordAnalyzer(),  # type: ignore[arg-type]
            platform_name=platform_id.title(),
        )
