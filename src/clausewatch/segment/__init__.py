"""Segmentation: split a version's Markdown into provisions.

Pure functions: Markdown text in, segments out, no storage or network.
"""

from clausewatch.segment.provisions import (
    MAX_PROVISION_CHARS,
    Segment,
    segment_markdown,
)

__all__ = ["MAX_PROVISION_CHARS", "Segment", "segment_markdown"]
