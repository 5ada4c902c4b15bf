"""Store sentence embeddings of provision texts and index analysis times

One row per provision text hash and embedding model: the vector as float16 bytes. The
model lives in ``clausewatch.figures.embeddings``. The index on ``analyses.analyzed_at``
makes the latest classification time, part of the figures' freshness token, an index
lookup.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import clausewatch.db.models

# The model of this table and the index live beside the figures that use them.
# Importing them here registers both on the shared metadata wherever the schema is
# migrated, so schema comparisons against the models see them.
import clausewatch.figures.embeddings  # noqa: F401
import clausewatch.figures.freshness  # noqa: F401

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "provision_embeddings",
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("model_id", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", clausewatch.db.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "text_sha256", "model_id", name=op.f("pk_provision_embeddings")
        ),
    )
    with op.batch_alter_table("analyses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analyses_analyzed_at"), ["analyzed_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("analyses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analyses_analyzed_at"))
    op.drop_table("provision_embeddings")
