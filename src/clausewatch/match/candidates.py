"""Cheap prefilter for fuzzy matching: pairs of texts that share enough words."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sparse
from numpy.typing import NDArray

_WORD = re.compile(r"\w+")

#: Minimum Dice coefficient of the two texts' sets of words and word pairs for the
#: texts to be compared by rapidfuzz. On Open Terms Archive histories of about 40
#: platforms (500 versions), 99% of the changed pairs with a ratio of at least 60
#: overlapped more than this. The rest were mostly unrelated short strings ("$26.41"
#: and "6.11") or translated headings.
MIN_WORD_DICE = 0.15

#: Maximum candidates kept per row, by word overlap, so the rapidfuzz comparisons stay
#: linear in the number of provisions even when every pair shares common words.
CANDIDATES_PER_ROW = 10
CHUNK_ROWS = 512


def shared_word_pairs(
    rows: Sequence[str], columns: Sequence[str]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Return the (row, column) index pairs whose words overlap enough.

    A pair qualifies when the Dice coefficient of its words and word pairs is at least
    ``MIN_WORD_DICE`` and the column is among the row's ``CANDIDATES_PER_ROW`` best
    overlaps. The overlap counts come from sparse matrix products.
    """
    vocabulary: dict[str, int] = {}
    row_words = _word_ids(rows, vocabulary)
    column_words = _word_ids(columns, vocabulary)
    row_matrix, row_sizes = _word_matrix(row_words, len(vocabulary))
    column_matrix, column_sizes = _word_matrix(column_words, len(vocabulary))

    found_rows: list[NDArray[np.intp]] = []
    found_columns: list[NDArray[np.intp]] = []
    keep = min(CANDIDATES_PER_ROW, len(columns))
    # Row chunks bound the dense overlap matrix to CHUNK_ROWS x len(columns) floats.
    for first in range(0, len(rows), CHUNK_ROWS):
        chunk = row_matrix[first : first + CHUNK_ROWS]
        overlap = (chunk @ column_matrix.T).toarray()
        sizes = row_sizes[first : first + CHUNK_ROWS, None] + column_sizes[None, :]
        dice = 2 * overlap / np.maximum(sizes, 1)
        best = np.argpartition(-dice, keep - 1, axis=1)[:, :keep]
        best_dice = np.take_along_axis(dice, best, axis=1)
        chunk_rows, slots = np.nonzero(best_dice >= MIN_WORD_DICE)
        found_rows.append((chunk_rows + first).astype(np.intp))
        found_columns.append(best[chunk_rows, slots].astype(np.intp))
    if not found_rows:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty
    return np.concatenate(found_rows), np.concatenate(found_columns)


def _word_ids(texts: Sequence[str], vocabulary: dict[str, int]) -> list[list[int]]:
    """Number each text's distinct words and adjacent word pairs.

    Word pairs keep some word order, so texts that reuse one small vocabulary in
    different sentences still rank apart.
    """
    ids = []
    for text in texts:
        words = _WORD.findall(text)
        features = set(words)
        features.update(map(" ".join, zip(words, words[1:], strict=False)))
        ids.append([vocabulary.setdefault(f, len(vocabulary)) for f in features])
    return ids


def _word_matrix(
    word_ids: list[list[int]], vocabulary_size: int
) -> tuple[sparse.csr_matrix, NDArray[np.float32]]:
    pointers = np.cumsum([0] + [len(ids) for ids in word_ids])
    indices = np.fromiter(itertools.chain.from_iterable(word_ids), dtype=np.int64)
    matrix = sparse.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), indices, pointers),
        shape=(len(word_ids), max(vocabulary_size, 1)),
    )
    return matrix, np.diff(pointers).astype(np.float32)
