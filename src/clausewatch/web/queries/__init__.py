"""Read queries behind web lists and filters: changes and full-text search."""
