"""wellbeing dialogues and action plans

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "wellbeing_annual_discussion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("participant_roles", sa.JSON(), nullable=False),
        sa.Column("goals_met", sa.String(length=10), nullable=False),
        sa.Column("goals_next_year", sa.Text(), nullable=False),
        sa.Column("cooperation", sa.Text(), nullable=False),
        sa.Column("competence_needs", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["person.id"],
            name=op.f("fk_wellbeing_annual_discussion_recorded_by_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_wellbeing_annual_discussion_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wellbeing_annual_discussion")),
        sa.UniqueConstraint("unit_id", "year", name="uq_wellbeing_annual_discussion_unit_year"),
    )
    op.create_table(
        "wellbeing_dialogue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("group_name", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("facilitator", sa.String(length=200), nullable=True),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("theme_other", sa.String(length=300), nullable=True),
        sa.Column("works_well", sa.Text(), nullable=True),
        sa.Column("challenges", sa.Text(), nullable=True),
        sa.Column("absence_considered", sa.Boolean(), nullable=False),
        sa.Column("absence_note", sa.Text(), nullable=True),
        sa.Column("flags_confirmed", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("notes_deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["person.id"],
            name=op.f("fk_wellbeing_dialogue_recorded_by_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_wellbeing_dialogue_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wellbeing_dialogue")),
    )
    with op.batch_alter_table("wellbeing_dialogue", schema=None) as batch_op:
        batch_op.create_index(
            "ix_wellbeing_dialogue_held_deleted", ["held_on", "notes_deleted_at"], unique=False
        )
        batch_op.create_index(
            "ix_wellbeing_dialogue_unit_held", ["unit_id", "held_on"], unique=False
        )

    op.create_table(
        "wellbeing_action_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=True),
        sa.Column("reopened_from_id", sa.Integer(), nullable=True),
        sa.Column("submission_key", sa.String(length=80), nullable=True),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_note", sa.Text(), nullable=True),
        sa.Column("status_by_id", sa.Integer(), nullable=True),
        sa.Column("status_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("effect", sa.String(length=10), nullable=True),
        sa.Column("effect_note", sa.Text(), nullable=True),
        sa.Column("evaluated_by_id", sa.Integer(), nullable=True),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("owner_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("follow_up_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("overdue_reminded_for", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
            name=op.f("fk_wellbeing_action_item_created_by_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["wellbeing_dialogue.id"],
            name=op.f("fk_wellbeing_action_item_dialogue_id_wellbeing_dialogue"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["evaluated_by_id"],
            ["person.id"],
            name=op.f("fk_wellbeing_action_item_evaluated_by_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["person.id"], name=op.f("fk_wellbeing_action_item_owner_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["reopened_from_id"],
            ["wellbeing_action_item.id"],
            name=op.f("fk_wellbeing_action_item_reopened_from_id_wellbeing_action_item"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["status_by_id"],
            ["person.id"],
            name=op.f("fk_wellbeing_action_item_status_by_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_wellbeing_action_item_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wellbeing_action_item")),
        sa.UniqueConstraint("submission_key", name=op.f("uq_wellbeing_action_item_submission_key")),
    )
    with op.batch_alter_table("wellbeing_action_item", schema=None) as batch_op:
        batch_op.create_index(
            "ix_wellbeing_action_item_owner_status", ["owner_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_wellbeing_action_item_status_deadline", ["status", "deadline"], unique=False
        )
        batch_op.create_index(
            "ix_wellbeing_action_item_status_follow_up", ["status", "follow_up_on"], unique=False
        )
        batch_op.create_index(
            "ix_wellbeing_action_item_unit_status", ["unit_id", "status"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("wellbeing_action_item", schema=None) as batch_op:
        batch_op.drop_index("ix_wellbeing_action_item_unit_status")
        batch_op.drop_index("ix_wellbeing_action_item_status_follow_up")
        batch_op.drop_index("ix_wellbeing_action_item_status_deadline")
        batch_op.drop_index("ix_wellbeing_action_item_owner_status")

    op.drop_table("wellbeing_action_item")
    with op.batch_alter_table("wellbeing_dialogue", schema=None) as batch_op:
        batch_op.drop_index("ix_wellbeing_dialogue_unit_held")
        batch_op.drop_index("ix_wellbeing_dialogue_held_deleted")

    op.drop_table("wellbeing_dialogue")
    op.drop_table("wellbeing_annual_discussion")
