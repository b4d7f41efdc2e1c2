"""volume indexes

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27

The weekly digest counts near misses still open more than 30 days after they were made;
with a decade of reports that was a sequential scan of the whole table on PostgreSQL.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("near_miss_report", schema=None) as batch_op:
        batch_op.create_index(
            "ix_near_miss_report_status_created", ["status", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("near_miss_report", schema=None) as batch_op:
        batch_op.drop_index("ix_near_miss_report_status_created")
