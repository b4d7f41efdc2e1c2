"""audit seal

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29

Each audit event gets a seal: an HMAC over the same input as its hash, under a secret kept
outside the database (`AUDIT_SECRET`), so that a chain rewritten and recomputed by someone
with database access no longer verifies. Events written before have none (NULL) and are
reported as unsealed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("audit_event", sa.Column("seal", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_column("seal")
