"""near-miss photos

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07

Photos sent with a near-miss report (metadata removed), stored in the database with the
report; none names who sent it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "near_miss_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("pending_key", sa.String(length=64), nullable=True),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["near_miss_report.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_near_miss_photo_report", "near_miss_photo", ["report_id"])
    op.create_index("ix_near_miss_photo_pending", "near_miss_photo", ["pending_key"])


def downgrade() -> None:
    op.drop_index("ix_near_miss_photo_pending", table_name="near_miss_photo")
    op.drop_index("ix_near_miss_photo_report", table_name="near_miss_photo")
    op.drop_table("near_miss_photo")
