"""Hand-checked judgements of similar provisions, and the current code's output on them.

Each line of ``tests/data/similar_checks/judgements.jsonl`` is one candidate that
``similar_provisions`` returned in the top three for a source provision of the real
corpus, with a verdict from a person who read both texts: "same" when the candidate
describes the same practice, "different" otherwise. Texts are named by service (the
corpus folder), terms type, version date and segment position plus the SHA-256 of the
text, never copied. ``held_out`` marks judgements made after the figure's rules were
last tuned.

The test and ``benchmarks/bench_similar.py`` import the corpus with the product's
analyzer, run the current ``similar_provisions`` for every judged source and look
each returned candidate up here by the hashes of both texts, so a change to the
ranking or the classifier is measured on what it returns, not on old output.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clausewatch.classify import train
from clausewatch.db.models import Document, Provision, ProvisionText, Version
from clausewatch.db.store import Store
from clausewatch.declarations import load_catalog
from clausewatch.figures import SimilarProvision, similar_provisions
from clausewatch.figures.embeddings import embed_current_provisions
from clausewatch.figures.similar import shared_encoder
from clausewatch.settings import Settings
from clausewatch.tracking.analyzer_factory import build_analyzer
from clausewatch.tracking.history_import import catalog_index, import_history
from clausewatch.tracking.slugs import platform_slug

JUDGEMENTS = Path(__file__).parent / "data" / "similar_checks" / "judgements.jsonl"
VERDICTS = ("same", "different")


@dataclass(frozen=True)
class TextRef:
    """One provision text of the corpus, named without copying it."""

    service: str
    terms_type: str
    version_date: str
    position: int
    sha256: str


@dataclass(frozen=True)
class Judgement:
    """A person's verdict on one candidate shown for one source."""

    clause_type: str
    source: TextRef
    rank: int
    candidate: TextRef
    similarity: float
    verdict: str
    held_out: bool

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


def load_judgements(path: Path = JUDGEMENTS) -> list[Judgement]:
    """Read the judgements file, one JSON object a line."""
    judgements = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            item: dict[str, Any] = json.loads(line)
            judgements.append(
                Judgement(
                    clause_type=item["clause_type"],
                    source=TextRef(**item["source"]),
                    rank=item["rank"],
                    candidate=TextRef(**item["candidate"]),
                    similarity=item["similarity"],
                    verdict=item["verdict"],
                    held_out=item["held_out"],
                )
            )
    return judgements


def judged_sources(judgements: Iterable[Judgement]) -> list[TextRef]:
    """List each judged source once, in file order."""
    return list(dict.fromkeys(item.source for item in judgements))


def verdict_index(judgements: Iterable[Judgement]) -> dict[tuple[str, str], str]:
    """Map (source hash, candidate hash) to the verdict.

    A pair is keyed by its texts alone, so a candidate judged under one clause type
    keeps its verdict when a reclassified source finds it under another.
    """
    return {
        (item.source.sha256, item.candidate.sha256): item.verdict for item in judgements
    }


def import_classified_corpus(
    corpus: Path, data_dir: Path, labels: Path | None = None
) -> Store:
    """Import a versions history with the product's analyzer and embed its texts.

    With ``labels``, the classifier is first trained on those data sets as
    ``clausewatch train`` does; without, tracking's fallback classifier is used. So
    the clause types are whatever the current classifier returns. Embedding every
    current text up front keeps ``similar_provisions`` on the embedding ranking.
    """
    settings = Settings(data_dir=data_dir)
    if labels is not None:
        train(labels, settings.model_dir)
    store = Store.open(settings)
    import_history(store, corpus, analyzer=build_analyzer(settings))
    encoder = shared_encoder()
    if encoder is not None:
        with store.session() as session:
            embed_current_provisions(session, encoder)
    return store


def corpus_folders(corpus: Path) -> dict[str, str]:
    """Map each platform id the import stores to its service folder in the corpus."""
    catalog = catalog_index(load_catalog())
    folders = {}
    for folder in sorted(path for path in corpus.iterdir() if path.is_dir()):
        platform = catalog.get(platform_slug(folder.name))
        folders[platform.id if platform else platform_slug(folder.name)] = folder.name
    return folders


@dataclass(frozen=True)
class ShownCandidate:
    """A candidate the current code returns, with its text's name and verdict."""

    provision: SimilarProvision
    text: TextRef
    verdict: str | None  # None while the pair has no judgement


@dataclass(frozen=True)
class SourceResult:
    """What the current code shows for one source provision."""

    source: TextRef
    record_id: str | None  # None when the source text is no longer in the store
    candidates: tuple[ShownCandidate, ...]


def compare_sources(
    session: Session,
    sources: Sequence[TextRef],
    verdicts: dict[tuple[str, str], str],
    folders: dict[str, str],
) -> list[SourceResult]:
    """Run ``similar_provisions`` for each source and look up every candidate."""
    results = []
    for source in sources:
        record_id = locate_provision(session, source)
        shown: list[ShownCandidate] = []
        if record_id is not None:
            for provision in similar_provisions(session, record_id):
                text = text_ref(session, provision.record_id, folders)
                verdict = verdicts.get((source.sha256, text.sha256))
                shown.append(ShownCandidate(provision, text, verdict))
        results.append(SourceResult(source, record_id, tuple(shown)))
    return results


def locate_provision(session: Session, ref: TextRef) -> str | None:
    """Return the record ID of the provision whose text ``ref`` names.

    The text must be in the version of that date and terms type. When it occurs more
    than once there, the occurrence nearest the recorded position wins, because a
    segmentation change elsewhere shifts positions.
    """
    captured_at = datetime.fromisoformat(ref.version_date)
    rows = session.execute(
        select(Provision.record_id, ProvisionText.position)
        .join(ProvisionText, ProvisionText.provision_id == Provision.id)
        .join(Version, Version.id == ProvisionText.version_id)
        .join(Document, Document.id == Version.document_id)
        .where(
            ProvisionText.text_sha256 == ref.sha256,
            Version.captured_at == captured_at,
            Document.terms_type == ref.terms_type,
        )
    ).all()
    if not rows:
        return None
    nearest = min(rows, key=lambda row: abs(row.position - ref.position))
    return str(nearest.record_id)


def text_ref(session: Session, record_id: str, folders: dict[str, str]) -> TextRef:
    """Name the latest text of a provision as the judgements file does."""
    row = session.execute(
        select(
            Document.platform_id,
            Document.terms_type,
            Version.captured_at,
            ProvisionText.position,
            ProvisionText.text_sha256,
        )
        .select_from(Provision)
        .join(Document, Document.id == Provision.document_id)
        .join(
            ProvisionText,
            (ProvisionText.provision_id == Provision.id)
            & (ProvisionText.version_id == Provision.last_version_id),
        )
        .join(Version, Version.id == Provision.last_version_id)
        .where(Provision.record_id == record_id)
    ).one()
    return TextRef(
        service=folders.get(row.platform_id, row.platform_id),
        terms_type=row.terms_type,
        version_date=row.captured_at.isoformat(),
        position=row.position,
        sha256=row.text_sha256,
    )


@dataclass(frozen=True)
class PrecisionSummary:
    """Top-three precision of the current output, unjudged candidates counted wrong."""

    sources: int
    located: int
    with_comparison: int
    shown: int
    judged: int
    same: int

    @property
    def precision(self) -> float:
        """Share of shown candidates judged the same practice (a lower bound)."""
        return self.same / self.shown if self.shown else 0.0

    @property
    def judged_precision(self) -> float:
        """Share of judged shown candidates that are the same practice."""
        return self.same / self.judged if self.judged else 0.0

    @property
    def judged_share(self) -> float:
        return self.judged / self.shown if self.shown else 0.0


def summarize(results: Sequence[SourceResult]) -> PrecisionSummary:
    """Count sources, shown candidates and verdicts over the results."""
    candidates = [shown for result in results for shown in result.candidates]
    return PrecisionSummary(
        sources=len(results),
        located=sum(1 for result in results if result.record_id is not None),
        with_comparison=sum(1 for result in results if result.candidates),
        shown=len(candidates),
        judged=sum(1 for shown in candidates if shown.verdict is not None),
        same=sum(1 for shown in candidates if shown.verdict == "same"),
    )


def unjudged(results: Sequence[SourceResult]) -> list[Judgement]:
    """List the shown pairs without a judgement, as judgement lines with no verdict."""
    pending = []
    for result in results:
        for rank, shown in enumerate(result.candidates, start=1):
            if shown.verdict is not None:
                continue
            pending.append(
                Judgement(
                    clause_type=shown.provision.clause_type_id,
                    source=result.source,
                    rank=rank,
                    candidate=shown.text,
                    similarity=shown.provision.similarity,
                    verdict="",
                    held_out=False,
                )
            )
    return pending
