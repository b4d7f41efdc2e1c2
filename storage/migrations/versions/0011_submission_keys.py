"""submission keys

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

A card that creates something carries a submission key; the record keeps it, and a unique
index lets it be created once per key (a double click, a resend after a crash, two
processes at once): lone-work requests, well-being dialogues, precursor ledger entries and
registrations (near-miss reports and action-plan items have had theirs from the start).
Old rows keep no key (NULL, which the index allows any number of times).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("lone_work_request", "wellbeing_dialogue", "precursor_entry", "precursor_registration")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("submission_key", sa.String(length=64), nullable=True))
        op.create_index(op.f(f"ix_{table}_submission_key"), table, ["submission_key"], unique=True)


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(op.f(f"ix_{table}_submission_key"), table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("submission_key")
