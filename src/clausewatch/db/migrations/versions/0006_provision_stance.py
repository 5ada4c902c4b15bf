"""Store whether each analysis affirms or denies its clause type's practice

A provision such as "we do not sell your personal information" is classified as a
sale-of-data clause but denies the practice. ``analyses.stance`` and
``current_clauses.stance`` hold "affirms" or "denies". Existing rows become "affirms",
the stance of every provision before stances were detected, until ``clausewatch
classify`` computes them again.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("analyses", "current_clauses")


def upgrade() -> None:
    for table in _TABLES:
        op.add_column(
            table,
            sa.Column(
                "stance", sa.String(length=8), nullable=False, server_default="affirms"
            ),
        )


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("stance")
