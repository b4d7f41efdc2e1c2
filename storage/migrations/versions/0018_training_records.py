"""training records

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07

Instruction and training (§ 18): per person and unit, what was given, when, by whom, and a
link to the proof; `lone_work` marks a record that covers lone work.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "training_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("activity", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("given_by", sa.String(length=150), nullable=False),
        sa.Column("proof", sa.String(length=500), nullable=True),
        sa.Column("lone_work", sa.Boolean(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_training_record_unit_id_unit")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_training_record_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["person.id"],
            name=op.f("fk_training_record_recorded_by_id_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_record")),
    )
    op.create_index(
        "ix_training_record_unit_person",
        "training_record",
        ["unit_id", "person_id", "given_on"],
        unique=False,
    )
    op.create_index(
        "ix_training_record_person", "training_record", ["person_id", "given_on"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_training_record_person", table_name="training_record")
    op.drop_index("ix_training_record_unit_person", table_name="training_record")
    op.drop_table("training_record")
