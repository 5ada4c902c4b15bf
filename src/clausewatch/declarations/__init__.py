"""Platform declarations: which documents of which platforms to track, and how.

A declaration file describes one platform, in clausewatch's YAML format or in Open Terms
Archive's JSON format. ``load_declaration`` reads one file strictly,
``load_declarations`` reads a folder and returns the platforms with every problem found,
and ``load_catalog`` reads the catalog of platforms bundled with clausewatch.
"""

from clausewatch.declarations.diagnostics import (
    DeclarationFieldError,
    DeclarationSetError,
    UnsupportedFeatureError,
)
from clausewatch.declarations.loader import (
    DeclarationSet,
    bundled_catalog_dir,
    load_catalog,
    load_declaration,
    load_declarations,
    read_declaration,
)
from clausewatch.declarations.model import (
    CATEGORIES,
    DocumentDeclaration,
    PlatformDeclaration,
    SourcePage,
    looks_like_pdf,
    slugify_platform_id,
)
from clausewatch.declarations.selectors import (
    RangeSelector,
    Selector,
    UnsupportedSelectorError,
    css_to_xpath,
    normalize_css,
)
from clausewatch.declarations.terms_types import (
    TERMS_TYPES,
    quoted_terms_types,
    suggest_terms_type,
)

__all__ = [
    "CATEGORIES",
    "TERMS_TYPES",
    "DeclarationFieldError",
    "DeclarationSet",
    "DeclarationSetError",
    "DocumentDeclaration",
    "PlatformDeclaration",
    "RangeSelector",
    "Selector",
    "SourcePage",
    "UnsupportedFeatureError",
    "UnsupportedSelectorError",
    "bundled_catalog_dir",
    "css_to_xpath",
    "load_catalog",
    "load_declaration",
    "load_declarations",
    "looks_like_pdf",
    "normalize_css",
    "quoted_terms_types",
    "read_declaration",
    "slugify_platform_id",
    "suggest_terms_type",
]
