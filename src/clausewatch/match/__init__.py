"""Provision matching: follow each clause from one version to the next.

Pure functions: provision texts in, matches out, no storage or network.
"""

from clausewatch.match.provisions import Match, comparison_key, match_provisions

__all__ = ["Match", "comparison_key", "match_provisions"]
