"""near miss reports

Revision ID: 0003
Revises: 0002d
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "near_miss_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_near_miss_counter")),
    )
    op.create_table(
        "near_miss_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("submission_key", sa.String(length=64), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("campus", sa.String(length=100), nullable=False),
        sa.Column("building", sa.String(length=50), nullable=True),
        sa.Column("room", sa.String(length=50), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("injury", sa.Boolean(), nullable=False),
        sa.Column("immediate_action", sa.Text(), nullable=True),
        sa.Column("prevention", sa.Text(), nullable=True),
        sa.Column("photo_url", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("investigator_id", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("conclusion", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"],
            ["person.id"],
            name=op.f("fk_near_miss_report_acknowledged_by_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["person.id"], name=op.f("fk_near_miss_report_closed_by_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["investigator_id"],
            ["person.id"],
            name=op.f("fk_near_miss_report_investigator_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["person.id"],
            name=op.f("fk_near_miss_report_reporter_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_near_miss_report_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_near_miss_report")),
        sa.UniqueConstraint("number", name=op.f("uq_near_miss_report_number")),
        sa.UniqueConstraint("submission_key", name=op.f("uq_near_miss_report_submission_key")),
    )
    with op.batch_alter_table("near_miss_report", schema=None) as batch_op:
        batch_op.create_index("ix_near_miss_report_created", ["created_at"], unique=False)
        batch_op.create_index("ix_near_miss_report_reporter", ["reporter_id"], unique=False)
        batch_op.create_index(
            "ix_near_miss_report_unit_status", ["unit_id", "status"], unique=False
        )

    op.create_table(
        "near_miss_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
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
            ["created_by_id"], ["person.id"], name=op.f("fk_near_miss_action_created_by_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["done_by_id"], ["person.id"], name=op.f("fk_near_miss_action_done_by_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["person.id"], name=op.f("fk_near_miss_action_owner_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["near_miss_report.id"],
            name=op.f("fk_near_miss_action_report_id_near_miss_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_near_miss_action")),
    )
    with op.batch_alter_table("near_miss_action", schema=None) as batch_op:
        batch_op.create_index("ix_near_miss_action_owner", ["owner_id"], unique=False)
        batch_op.create_index("ix_near_miss_action_report", ["report_id"], unique=False)
        batch_op.create_index(
            "ix_near_miss_action_status_due", ["status", "due_date"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("near_miss_action", schema=None) as batch_op:
        batch_op.drop_index("ix_near_miss_action_status_due")
        batch_op.drop_index("ix_near_miss_action_report")
        batch_op.drop_index("ix_near_miss_action_owner")

    op.drop_table("near_miss_action")
    with op.batch_alter_table("near_miss_report", schema=None) as batch_op:
        batch_op.drop_index("ix_near_miss_report_unit_status")
        batch_op.drop_index("ix_near_miss_report_reporter")
        batch_op.drop_index("ix_near_miss_report_created")

    op.drop_table("near_miss_report")
    op.drop_table("near_miss_counter")
