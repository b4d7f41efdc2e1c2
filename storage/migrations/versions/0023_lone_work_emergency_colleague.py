"""lone-work emergency contact picked as a colleague

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07

The Entra object id of a colleague picked in Teams' people picker as the emergency contact,
who is then alarmed in Teams too. NULL: the contact was typed (name and phone only).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("lone_work_request", sa.Column("emergency_aad_object_id", sa.String(length=36)))


def downgrade() -> None:
    with op.batch_alter_table("lone_work_request") as batch:
        batch.drop_column("emergency_aad_object_id")
