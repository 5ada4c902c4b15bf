"""Detection of provisions whose relative order changed between two versions."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence


def longest_increasing_subsequence(values: Sequence[int]) -> list[int]:
    """Return the indexes of one longest strictly increasing subsequence of values.

    Patience sorting in O(n log n). Among subsequences of equal length it keeps the
    one that ends earliest at each length, so ties resolve the same way every run.
    """
    tail_values: list[int] = []
    tail_indexes: list[int] = []
    predecessors: list[int] = [-1] * len(values)
    for index, value in enumerate(values):
        length = bisect_left(tail_values, value)
        if length > 0:
            predecessors[index] = tail_indexes[length - 1]
        if length == len(tail_values):
            tail_values.append(value)
            tail_indexes.append(index)
        else:
            tail_values[length] = value
            tail_indexes[length] = index

    result: list[int] = []
    index = tail_indexes[-1] if tail_indexes else -1
    while index != -1:
        result.append(index)
        index = predecessors[index]
    result.reverse()
    return result


def find_moved_keys(
    before_order: Sequence[str], after_rank: dict[str, int]
) -> set[str]:
    """Find keys whose order among the common keys changed.

    ``before_order`` lists the old version's keys in order and ``after_rank`` maps each
    new key to its rank in the new version. The keys of a longest subsequence that
    keeps its relative order stay put, so insertions and deletions that only shift
    positions move nothing. Every other common key moved.
    """
    common = [key for key in before_order if key in after_rank]
    ranks = [after_rank[key] for key in common]
    in_order = {common[index] for index in longest_increasing_subsequence(ranks)}
    return {key for key in common if key not in in_order}
