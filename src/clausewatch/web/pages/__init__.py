"""HTML pages, one module per page family."""
