"""Text features of the statistical model: TF-IDF n-grams plus pattern hits."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from clausewatch.classify.patterns import PatternSet

# The vectorizers read at most this many characters of a text. Provisions are a
# sentence or a paragraph; the cap keeps a pathological 1 MB text from costing seconds.
MAX_FEATURE_CHARS = 5_000

# Weight of one pattern-hit column next to the L2-normalised TF-IDF blocks.
PATTERN_FEATURE_WEIGHT = 1.0


def build_vectorizer(*, min_df: int = 2) -> FeatureUnion:
    """Build the unfitted word 1-2 gram and character 3-5 gram TF-IDF union."""
    word = TfidfVectorizer(
        ngram_range=(1, 2),
        min_df=min_df,
        max_features=60_000,
        sublinear_tf=True,
        dtype=np.float32,
    )
    chars = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        min_df=min_df,
        max_features=120_000,
        sublinear_tf=True,
        dtype=np.float32,
    )
    return FeatureUnion([("word", word), ("char", chars)])


def truncate(texts: Sequence[str]) -> list[str]:
    """Cut every text to the characters the vectorizers read."""
    return [text[:MAX_FEATURE_CHARS] for text in texts]


def pattern_matrix(
    pattern_hits: Sequence[set[str]], pattern_types: Sequence[str]
) -> sp.csr_matrix:
    """Build one column per pattern type, set to the weight where the type matched."""
    column = {type_id: index for index, type_id in enumerate(pattern_types)}
    rows, cols = [], []
    for row, hits in enumerate(pattern_hits):
        for type_id in hits:
            if type_id in column:
                rows.append(row)
                cols.append(column[type_id])
    data = np.full(len(rows), PATTERN_FEATURE_WEIGHT, dtype=np.float32)
    shape = (len(pattern_hits), len(pattern_types))
    return sp.csr_matrix((data, (rows, cols)), shape=shape)


def feature_matrix(
    vectorizer: FeatureUnion,
    texts: Sequence[str],
    patterns: PatternSet,
    pattern_types: Sequence[str],
    *,
    pattern_hits: Sequence[set[str]] | None = None,
) -> sp.csr_matrix:
    """TF-IDF features of ``texts`` with the pattern-hit columns appended."""
    if pattern_hits is None:
        pattern_hits = [patterns.match(text) for text in texts]
    tfidf = vectorizer.transform(truncate(texts))
    hits = pattern_matrix(pattern_hits, pattern_types)
    return sp.hstack([tfidf, hits], format="csr", dtype=np.float32)
