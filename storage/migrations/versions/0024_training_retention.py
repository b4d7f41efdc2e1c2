"""training retention

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07

Instruction and training records past their retention period keep unit, kind, day and the
lone-work mark for the counts; `personal_data_removed_at` says when the rest went.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "training_record",
        sa.Column("personal_data_removed_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    with op.batch_alter_table("training_record") as batch:
        batch.drop_column("personal_data_removed_at")
