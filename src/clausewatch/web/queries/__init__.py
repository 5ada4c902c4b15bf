"""Read queries behind web lists: provisions of a clause type and full-text search."""
