"""lone work requests

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "lone_work_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("approver_id", sa.Integer(), nullable=True),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("campus", sa.String(length=100), nullable=False),
        sa.Column("building", sa.String(length=50), nullable=False),
        sa.Column("room", sa.String(length=50), nullable=False),
        sa.Column("schedule", sa.String(length=10), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("weekdays", sa.String(length=20), nullable=True),
        sa.Column("window_start", sa.String(length=5), nullable=True),
        sa.Column("window_end", sa.String(length=5), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("hazards", sa.JSON(), nullable=False),
        sa.Column("hazard_other", sa.String(length=300), nullable=True),
        sa.Column("mitigations", sa.JSON(), nullable=False),
        sa.Column("checkin_person", sa.String(length=200), nullable=True),
        sa.Column("checkin_interval_minutes", sa.Integer(), nullable=True),
        sa.Column("mitigation_other", sa.String(length=300), nullable=True),
        sa.Column("emergency_name", sa.String(length=200), nullable=False),
        sa.Column("emergency_phone", sa.String(length=40), nullable=False),
        sa.Column("trained", sa.Boolean(), nullable=False),
        sa.Column("adult", sa.Boolean(), nullable=False),
        sa.Column("risky", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approver_id"], ["person.id"], name=op.f("fk_lone_work_request_approver_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["person.id"], name=op.f("fk_lone_work_request_closed_by_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["person.id"], name=op.f("fk_lone_work_request_decided_by_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"], ["person.id"], name=op.f("fk_lone_work_request_requester_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_lone_work_request_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lone_work_request")),
        sa.UniqueConstraint("number", name=op.f("uq_lone_work_request_number")),
    )
    with op.batch_alter_table("lone_work_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_lone_work_request_approver_status", ["approver_id", "status"], unique=False
        )
        batch_op.create_index("ix_lone_work_request_requester", ["requester_id"], unique=False)
        batch_op.create_index(
            "ix_lone_work_request_status_expires", ["status", "expires_at"], unique=False
        )
        batch_op.create_index(
            "ix_lone_work_request_unit_created", ["unit_id", "created_at"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("lone_work_request", schema=None) as batch_op:
        batch_op.drop_index("ix_lone_work_request_unit_created")
        batch_op.drop_index("ix_lone_work_request_status_expires")
        batch_op.drop_index("ix_lone_work_request_requester")
        batch_op.drop_index("ix_lone_work_request_approver_status")

    op.drop_table("lone_work_request")
