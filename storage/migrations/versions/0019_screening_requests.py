"""screening requests

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07

Sister screenings: one unit asks another; the other unit's answer and the day it proposes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "screening_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("partner_unit_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_screening_request_unit_id_unit")
        ),
        sa.ForeignKeyConstraint(
            ["partner_unit_id"],
            ["unit.id"],
            name=op.f("fk_screening_request_partner_unit_id_unit"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["person.id"],
            name=op.f("fk_screening_request_requested_by_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["person.id"],
            name=op.f("fk_screening_request_answered_by_id_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_request")),
    )
    op.create_index("ix_screening_request_unit", "screening_request", ["unit_id"], unique=False)
    op.create_index(
        "ix_screening_request_partner", "screening_request", ["partner_unit_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_screening_request_partner", table_name="screening_request")
    op.drop_index("ix_screening_request_unit", table_name="screening_request")
    op.drop_table("screening_request")
