"""checkins

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "checkin_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("open_worker_id", sa.Integer(), nullable=True),
        sa.Column("interval_minutes", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("last_ok_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("alarm_seq", sa.Integer(), nullable=False),
        sa.Column("alarm_reason", sa.String(length=10), nullable=True),
        sa.Column("alarm_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["handled_by_id"], ["person.id"], name=op.f("fk_checkin_session_handled_by_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["lone_work_request.id"],
            name=op.f("fk_checkin_session_request_id_lone_work_request"),
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["person.id"], name=op.f("fk_checkin_session_worker_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_session")),
        sa.UniqueConstraint("open_worker_id", name=op.f("uq_checkin_session_open_worker_id")),
    )
    with op.batch_alter_table("checkin_session", schema=None) as batch_op:
        batch_op.create_index("ix_checkin_session_request", ["request_id"], unique=False)
        batch_op.create_index("ix_checkin_session_status_due", ["status", "due_at"], unique=False)

    op.create_table(
        "checkin_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["person.id"], name=op.f("fk_checkin_event_actor_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["checkin_session.id"],
            name=op.f("fk_checkin_event_session_id_checkin_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_event")),
    )
    with op.batch_alter_table("checkin_event", schema=None) as batch_op:
        batch_op.create_index("ix_checkin_event_session_at", ["session_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("checkin_event", schema=None) as batch_op:
        batch_op.drop_index("ix_checkin_event_session_at")

    op.drop_table("checkin_event")
    with op.batch_alter_table("checkin_session", schema=None) as batch_op:
        batch_op.drop_index("ix_checkin_session_status_due")
        batch_op.drop_index("ix_checkin_session_request")

    op.drop_table("checkin_session")
