"""work accidents

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07

Work accidents and their EASY reports: one row per accident with its deadline and where the
report stands, the near miss it was first reported as, and for a psychological one the
leader's follow-up and whether the name is kept from the AMK; and the yearly counter behind
the AU-<year>-<nnnn> numbers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "work_accident_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_work_accident_counter")),
    )
    op.create_table(
        "work_accident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("submission_key", sa.String(length=64), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("near_miss_id", sa.Integer(), nullable=True),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("reporter_role", sa.String(length=20), nullable=False),
        sa.Column("injured_party", sa.String(length=20), nullable=False),
        sa.Column("injured_id", sa.Integer(), nullable=True),
        sa.Column("injured_upn", sa.String(length=320), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("injury_kind", sa.String(length=20), nullable=False),
        sa.Column("absence_from", sa.Date(), nullable=True),
        sa.Column("claim", sa.String(length=10), nullable=False),
        sa.Column("immediate_action", sa.Text(), nullable=True),
        sa.Column("witnesses", sa.Text(), nullable=True),
        sa.Column("name_withheld", sa.Boolean(), nullable=False),
        sa.Column("easy_duty", sa.String(length=30), nullable=False),
        sa.Column("easy_due", sa.Date(), nullable=True),
        sa.Column("easy_status", sa.String(length=20), nullable=False),
        sa.Column("easy_reference", sa.String(length=40), nullable=True),
        sa.Column("easy_filed_on", sa.Date(), nullable=True),
        sa.Column("not_required_reason", sa.Text(), nullable=True),
        sa.Column("easy_decided_by_id", sa.Integer(), nullable=True),
        sa.Column("easy_decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("follow_up_by", sa.Date(), nullable=True),
        sa.Column("followed_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("followed_up_by_id", sa.Integer(), nullable=True),
        sa.Column("personal_data_removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_work_accident_unit_id_unit")
        ),
        sa.ForeignKeyConstraint(
            ["near_miss_id"],
            ["near_miss_report.id"],
            name=op.f("fk_work_accident_near_miss_id_near_miss_report"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["person.id"],
            name=op.f("fk_work_accident_reporter_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["injured_id"],
            ["person.id"],
            name=op.f("fk_work_accident_injured_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["easy_decided_by_id"],
            ["person.id"],
            name=op.f("fk_work_accident_easy_decided_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["followed_up_by_id"],
            ["person.id"],
            name=op.f("fk_work_accident_followed_up_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_accident")),
        sa.UniqueConstraint("number", name=op.f("uq_work_accident_number")),
        sa.UniqueConstraint("submission_key", name=op.f("uq_work_accident_submission_key")),
    )
    with op.batch_alter_table("work_accident", schema=None) as batch_op:
        batch_op.create_index("ix_work_accident_unit", ["unit_id"], unique=False)
        batch_op.create_index("ix_work_accident_easy", ["easy_status", "easy_due"], unique=False)
        batch_op.create_index("ix_work_accident_created", ["created_at"], unique=False)
        batch_op.create_index("ix_work_accident_near_miss", ["near_miss_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("work_accident", schema=None) as batch_op:
        batch_op.drop_index("ix_work_accident_near_miss")
        batch_op.drop_index("ix_work_accident_created")
        batch_op.drop_index("ix_work_accident_easy")
        batch_op.drop_index("ix_work_accident_unit")
    op.drop_table("work_accident")
    op.drop_table("work_accident_counter")
