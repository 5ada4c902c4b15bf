"""Storage: models, migrations, record IDs and the data-access layer."""

from clausewatch.db.store import Counts, Store

__all__ = ["Counts", "Store"]
