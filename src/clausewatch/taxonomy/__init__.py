"""The clause-type taxonomy: clause types, regulations and agencies, loaded from data.

The YAML files in this package are the source of truth. ``default_taxonomy()`` loads
and validates them once, and ``load_taxonomy(folder)`` reads another folder with the
same layout.
"""

from clausewatch.taxonomy.clause_parsing import MIN_EXAMPLES
from clausewatch.taxonomy.loading import BUNDLED_FOLDER, default_taxonomy, load_taxonomy
from clausewatch.taxonomy.models import (
    ACTION_KINDS,
    CATEGORIES,
    CONTACT_KINDS,
    PLACEHOLDERS,
    Action,
    Agency,
    Article,
    ClauseType,
    Regulation,
    RegulationArticles,
    Severity,
    Taxonomy,
    render_template,
)
from clausewatch.taxonomy.reading import TaxonomyFileError

__all__ = [
    "ACTION_KINDS",
    "BUNDLED_FOLDER",
    "CATEGORIES",
    "CONTACT_KINDS",
    "MIN_EXAMPLES",
    "PLACEHOLDERS",
    "Action",
    "Agency",
    "Article",
    "ClauseType",
    "Regulation",
    "RegulationArticles",
    "Severity",
    "Taxonomy",
    "TaxonomyFileError",
    "default_taxonomy",
    "load_taxonomy",
    "render_template",
]
