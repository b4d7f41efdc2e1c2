"""work accident investigations

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07

The investigation of a work accident: its causes, conclusion, when and by whom it was closed,
whether the injured person wants to hear the outcome, and its corrective actions (the same
columns as a near miss's).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("work_accident", schema=None) as batch_op:
        batch_op.add_column(sa.Column("causes", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("conclusion", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("outcome_wanted", sa.Boolean(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_work_accident_closed_by_id_person"),
            "person",
            ["closed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "work_accident_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("accident_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["accident_id"],
            ["work_accident.id"],
            name=op.f("fk_work_accident_action_accident_id_work_accident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
            name=op.f("fk_work_accident_action_created_by_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["done_by_id"], ["person.id"], name=op.f("fk_work_accident_action_done_by_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["person.id"], name=op.f("fk_work_accident_action_owner_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_accident_action")),
    )
    with op.batch_alter_table("work_accident_action", schema=None) as batch_op:
        batch_op.create_index("ix_work_accident_action_accident", ["accident_id"], unique=False)
        batch_op.create_index("ix_work_accident_action_owner", ["owner_id"], unique=False)
        batch_op.create_index(
            "ix_work_accident_action_status_due", ["status", "due_date"], unique=False
        )


def downgrade() -> None:
    op.drop_table("work_accident_action")
    with op.batch_alter_table("work_accident", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_work_accident_closed_by_id_person"), type_="foreignkey"
        )
        batch_op.drop_column("outcome_wanted")
        batch_op.drop_column("closed_by_id")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("conclusion")
        batch_op.drop_column("causes")
