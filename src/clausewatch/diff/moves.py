"""Detection of provisions whose relative order changed between two versions."""

from __future__ import annotations

from collections.abc import Sequence


def find_moved_keys(
    before_order: Sequence[str], after_rank: dict[str, int]
) -> set[str]:
    """Find keys whose order among the common keys changed and whose rank changed.

    ``before_order`` lists the old version's keys in order, so a key's index there is
    its old rank, and ``after_rank`` maps each new key to its rank in the new version.
    The keys of a longest subsequence that keeps its relative order stay put, so
    insertions and deletions that only shift positions move nothing. Among such
    subsequences, the one with the most keys at an unchanged rank is kept, so when two
    sections swap, the one whose number changed is the one that moved. A key outside
    the subsequence counts as moved only when its rank changed, because summaries show
    ranks as positions and "from position 5 to 5" is no move.
    """
    common = [key for key in before_order if key in after_rank]
    old_rank = {key: rank for rank, key in enumerate(before_order)}
    ranks = [after_rank[key] for key in common]
    unchanged = [after_rank[key] == old_rank[key] for key in common]
    in_order = {common[index] for index in _heaviest_increasing_run(ranks, unchanged)}
    return {
        key
        for key in common
        if key not in in_order and after_rank[key] != old_rank[key]
    }


def _heaviest_increasing_run(
    values: Sequence[int], preferred: Sequence[bool]
) -> list[int]:
    """Return the indexes of a longest increasing subsequence with the most preferred.

    Values must be distinct non-negative integers. Among the longest subsequences, the
    one with the most preferred items is taken. Remaining ties go to the subsequence
    that ends on the smallest value at each length, so the same one is chosen on
    every run. A Fenwick tree over the values gives the best subsequence ending below
    each value in O(log n), so the whole search is O(n log n).
    """
    size = max(values, default=-1) + 1
    # tree[i]: best (length, preferred count, -last value, last index) over a range.
    empty = (0, 0, 0, -1)
    tree = [empty] * (size + 1)
    predecessors = [-1] * len(values)
    best_end = empty
    for index, value in enumerate(values):
        before = empty
        slot = value  # the prefix of values 0 .. value - 1
        while slot > 0:
            before = max(before, tree[slot])
            slot -= slot & -slot
        predecessors[index] = before[3]
        entry = (before[0] + 1, before[1] + preferred[index], -value, index)
        best_end = max(best_end, entry)
        slot = value + 1
        while slot <= size:
            tree[slot] = max(tree[slot], entry)
            slot += slot & -slot

    result: list[int] = []
    index = best_end[3]
    while index != -1:
        result.append(index)
        index = predecessors[index]
    result.reverse()
    return result
