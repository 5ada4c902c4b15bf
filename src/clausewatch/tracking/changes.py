"""Change events of a new version: one for the document, one per changed provision."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from clausewatch.db.work import SEVERITY_ORDER, ChangeRecord, StoredProvision
from clausewatch.diff import ProvisionState, diff_provisions, document_change_sentence

if TYPE_CHECKING:
    from clausewatch.tracking.analyze import Analyzer


def to_state(provision: StoredProvision) -> ProvisionState:
    return ProvisionState(
        key=provision.record_id,
        position=provision.position,
        heading_path=provision.heading_path,
        text=provision.text,
        clause_types=provision.clause_types,
        severity=provision.severity,
    )


def build_change_records(
    previous: Sequence[StoredProvision],
    current: Sequence[StoredProvision],
    *,
    platform: str,
    document: str,
    analyzer: Analyzer | None,
    reverts_to: int | None,
) -> list[ChangeRecord]:
    """Diff two versions' provisions into stored change records."""
    names = analyzer.clause_type_names() if analyzer else None
    changes = diff_provisions(
        [to_state(provision) for provision in previous],
        [to_state(provision) for provision in current],
        clause_type_names=names,
    )
    ids_by_record = {p.record_id: p.provision_id for p in [*previous, *current]}

    records: list[ChangeRecord] = []
    for change in changes:
        summary = change.summary.to_dict()
        summary["cosmetic"] = change.cosmetic
        if change.word_diff is not None:
            summary["word_diff"] = [list(op) for op in change.word_diff.ops]
        summary["record_id"] = change.key
        records.append(
            ChangeRecord(
                kind=change.kind.value,
                material=change.material,
                sentence=change.summary.sentence,
                summary=summary,
                provision_id=ids_by_record.get(change.key),
                max_severity=_higher(
                    change.summary.severity_before, change.summary.severity_after
                ),
            )
        )

    sentence = document_change_sentence(changes, document=document, platform=platform)
    if reverts_to is not None:
        sentence = f"{sentence} The text returns to that of version {reverts_to}."
    material = [record for record in records if record.material]
    records.insert(
        0,
        ChangeRecord(
            kind="version",
            material=bool(material),
            sentence=sentence,
            summary={
                "kind": "version",
                "counts": _count_kinds(records),
                "reverts_to": reverts_to,
            },
            max_severity=_higher(*(record.max_severity for record in material)),
        ),
    )
    return records


def _count_kinds(records: Sequence[ChangeRecord]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in records:
        key = record.kind if record.material else f"{record.kind}_cosmetic"
        counts[key] = counts.get(key, 0) + 1
    return counts


def _higher(*levels: str | None) -> str | None:
    present = [level for level in levels if level]
    if not present:
        return None
    return max(present, key=lambda level: SEVERITY_ORDER.get(level, -1))
