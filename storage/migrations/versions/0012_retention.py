"""retention

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

Near-miss reports, lone-work requests and audit events record when the people and free text
in them were removed at the end of their retention period (`personal_data_removed_at`);
NULL while they are kept whole. Removed audit events keep their hash, so the chain still
links, but their content can no longer be recomputed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("near_miss_report", "lone_work_request", "audit_event")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(
            table, sa.Column("personal_data_removed_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("personal_data_removed_at")
