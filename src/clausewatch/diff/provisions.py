"""Comparison of two versions' provision lists into change events."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from clausewatch.diff.cosmetic import is_cosmetic
from clausewatch.diff.models import (
    ChangeKind,
    ChangeSummary,
    InvalidProvisionError,
    ProvisionChange,
    ProvisionState,
)
from clausewatch.diff.moves import find_moved_keys
from clausewatch.diff.sentences import ClauseTypeNamer, make_namer
from clausewatch.diff.summaries import (
    summarize_added,
    summarize_modified,
    summarize_moved,
    summarize_reclassified,
    summarize_removed,
)
from clausewatch.diff.words import word_diff

logger = logging.getLogger(__name__)

# Change events of one provision are listed in this order.
_KIND_ORDER = {kind: index for index, kind in enumerate(ChangeKind)}


def diff_provisions(
    before: Sequence[ProvisionState],
    after: Sequence[ProvisionState],
    *,
    clause_type_names: Mapping[str, str] | None = None,
) -> list[ProvisionChange]:
    """Compare the provisions of two versions and return the change events.

    Provisions are identified by ``key``. A key only in ``after`` is added, and one
    only in ``before`` is removed. A key in both can yield several events:

    - MODIFIED when the text differs, with ``cosmetic`` set when only formatting
      changed (see ``is_cosmetic``). Its summary carries the clause types and
      severities before and after, so a material text change that also changed the
      classification is one MODIFIED event.
    - RECLASSIFIED when the clause types or severity changed and the text is the
      same or changed only cosmetically.
    - MOVED when the key is outside a longest increasing subsequence of the common
      keys' new ranks, taken in old order. Provisions that only shift because others
      were inserted or deleted are therefore not moved. When several such
      subsequences exist, the same one is chosen on every run.

    Events come in the new version's order. A removed provision follows the kept
    provision that preceded it in the old version. Word diffs are computed only for
    MODIFIED events. Raises InvalidProvisionError when a key repeats in one version.
    """
    name_of = make_namer(clause_type_names)
    old_states = _in_order(before, "before")
    new_states = _in_order(after, "after")
    old_by_key = {state.key: state for state in old_states}
    old_rank = {state.key: rank for rank, state in enumerate(old_states)}
    new_rank = {state.key: rank for rank, state in enumerate(new_states)}
    moved = find_moved_keys([state.key for state in old_states], new_rank)

    ordered: list[tuple[tuple[int, int, int, int], ProvisionChange]] = []
    for rank, new in enumerate(new_states):
        old = old_by_key.get(new.key)
        if old is None:
            events = [_added(new, name_of)]
        else:
            events = _compare(old, new, name_of, moved, old_rank, new_rank)
        for event in events:
            ordered.append(((rank, 0, 0, _KIND_ORDER[event.kind]), event))

    anchor = -1
    for rank, old in enumerate(old_states):
        if old.key in new_rank:
            anchor = new_rank[old.key]
        else:
            ordered.append(((anchor, 1, rank, 0), _removed(old, name_of)))

    ordered.sort(key=lambda item: item[0])
    changes = [change for _, change in ordered]
    logger.debug(
        "compared %d and %d provisions into %d changes",
        len(old_states),
        len(new_states),
        len(changes),
    )
    return changes


def _in_order(states: Sequence[ProvisionState], side: str) -> list[ProvisionState]:
    seen: set[str] = set()
    for state in states:
        if not isinstance(state, ProvisionState):
            raise InvalidProvisionError(
                f"invalid provision in {side}: expected ProvisionState, got "
                f"{type(state).__name__}; build one ProvisionState per provision"
            )
        if state.key in seen:
            raise InvalidProvisionError(
                f"duplicate provision key {state.key!r} in {side}: each provision of a "
                "version needs its own key, so fix the matching step that assigned it"
            )
        seen.add(state.key)
    # A stable sort keeps the given order among equal positions.
    return sorted(states, key=lambda state: state.position)


def _compare(
    old: ProvisionState,
    new: ProvisionState,
    name_of: ClauseTypeNamer,
    moved: set[str],
    old_rank: dict[str, int],
    new_rank: dict[str, int],
) -> list[ProvisionChange]:
    events: list[ProvisionChange] = []
    cosmetic = True
    if old.text != new.text:
        cosmetic = is_cosmetic(old.text, new.text)
        diff = word_diff(old.text, new.text)
        summary = summarize_modified(old, new, name_of, cosmetic=cosmetic, diff=diff)
        events.append(
            ProvisionChange(
                key=new.key,
                kind=ChangeKind.MODIFIED,
                cosmetic=cosmetic,
                before=old,
                after=new,
                word_diff=diff,
                summary=summary,
            )
        )

    reclassified = old.clause_types != new.clause_types or old.severity != new.severity
    if reclassified and cosmetic:
        summary = summarize_reclassified(old, new, name_of)
        events.append(_event(ChangeKind.RECLASSIFIED, old, new, summary))

    if new.key in moved:
        summary = summarize_moved(
            old, new, name_of, old_rank=old_rank[old.key], new_rank=new_rank[new.key]
        )
        events.append(_event(ChangeKind.MOVED, old, new, summary))
    return events


def _added(state: ProvisionState, name_of: ClauseTypeNamer) -> ProvisionChange:
    return _event(ChangeKind.ADDED, None, state, summarize_added(state, name_of))


def _removed(state: ProvisionState, name_of: ClauseTypeNamer) -> ProvisionChange:
    return _event(ChangeKind.REMOVED, state, None, summarize_removed(state, name_of))


def _event(
    kind: ChangeKind,
    before: ProvisionState | None,
    after: ProvisionState | None,
    summary: ChangeSummary,
) -> ProvisionChange:
    state = after if after is not None else before
    assert state is not None, "a change event needs a state before or after"
    return ProvisionChange(
        key=state.key,
        kind=kind,
        cosmetic=False,
        before=before,
        after=after,
        word_diff=None,
        summary=summary,
    )
