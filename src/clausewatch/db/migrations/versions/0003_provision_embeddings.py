"""Store sentence embeddings of provision texts

One row per provision text hash and embedding model: the vector as float16 bytes. The
model lives in ``clausewatch.figures.embeddings``.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import clausewatch.db.models

# The model of this table lives beside the similar-provisions figure. Importing it here
# registers it on the shared metadata wherever the schema is migrated, so schema
# comparisons against the models see the table.
import clausewatch.figures.embeddings  # noqa: F401

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


def downgrade() -> None:
    op.drop_table("provision_embeddings")
