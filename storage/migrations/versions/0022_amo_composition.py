"""AMO composition

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07

The AMO's composition recorded in the documentation overview: the groups and the reasoning
for the number of members and groups (on the duty record that dates it), and who held the
unit's AMO roles then.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "amo_composition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("duty_record_id", sa.Integer(), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("reasoning", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["duty_record_id"],
            ["duty_record.id"],
            name=op.f("fk_amo_composition_duty_record_id_duty_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amo_composition")),
        sa.UniqueConstraint("duty_record_id", name=op.f("uq_amo_composition_duty_record_id")),
    )
    op.create_table(
        "amo_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("composition_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["composition_id"],
            ["amo_composition.id"],
            name=op.f("fk_amo_member_composition_id_amo_composition"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_amo_member_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amo_member")),
    )
    op.create_index("ix_amo_member_composition", "amo_member", ["composition_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_amo_member_composition", table_name="amo_member")
    op.drop_table("amo_member")
    op.drop_table("amo_composition")
