"""Record the history folder or repository that each imported snapshot came from

``snapshots.imported_from`` holds the absolute path given to ``clausewatch import``
for a snapshot stored by an import, so ``clausewatch verify`` can name the history
that writes a damaged blob back. Before it, only the document's latest import was
recorded, which names another history when one document was imported from two.
Snapshots stored before this migration keep NULL, and ``verify`` falls back to the
document's latest import for them.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("snapshots", sa.Column("imported_from", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("snapshots") as batch:
        batch.drop_column("imported_from")
