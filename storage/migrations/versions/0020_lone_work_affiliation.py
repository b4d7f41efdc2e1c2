"""lone-work requester's affiliation

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07

Whether the person asking to work alone is an employee, a student or a guest. Requests sent
before the form asked keep NULL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("lone_work_request", sa.Column("affiliation", sa.String(length=10)))


def downgrade() -> None:
    with op.batch_alter_table("lone_work_request") as batch:
        batch.drop_column("affiliation")
