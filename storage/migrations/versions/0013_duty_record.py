"""duty record

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

The documentation overview: each time a unit met a written duty (physical APV, special risk
assessments, the AMO's composition, screenings), with the day and a link to the proof.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "duty_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("duty_key", sa.String(length=60), nullable=False),
        sa.Column("subject", sa.String(length=150), nullable=True),
        sa.Column("met_on", sa.Date(), nullable=False),
        sa.Column("proof", sa.String(length=500), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_duty_record_unit_id_unit")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["person.id"], name=op.f("fk_duty_record_recorded_by_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_record")),
    )
    op.create_index(
        "ix_duty_record_unit_duty", "duty_record", ["unit_id", "duty_key", "met_on"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_duty_record_unit_duty", table_name="duty_record")
    op.drop_table("duty_record")
