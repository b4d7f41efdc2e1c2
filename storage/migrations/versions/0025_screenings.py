"""screenings

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07

The screenings units plan and hold (internal, sister or by the secretariat), and the
action-plan items that came from a screening's findings.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "screening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("partner_unit_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("planned_on", sa.Date(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("proof", sa.String(length=500), nullable=True),
        sa.Column("submission_key", sa.String(length=80), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_screening_unit_id_unit")),
        sa.ForeignKeyConstraint(
            ["partner_unit_id"], ["unit.id"], name=op.f("fk_screening_partner_unit_id_unit")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["screening_request.id"],
            name=op.f("fk_screening_request_id_screening_request"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["person.id"], name=op.f("fk_screening_recorded_by_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening")),
        sa.UniqueConstraint("submission_key", name=op.f("uq_screening_submission_key")),
    )
    op.create_index("ix_screening_unit", "screening", ["unit_id"], unique=False)
    op.create_index("ix_screening_partner", "screening", ["partner_unit_id"], unique=False)
    with op.batch_alter_table("wellbeing_action_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("screening_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_wellbeing_action_item_screening_id_screening"),
            "screening",
            ["screening_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("wellbeing_action_item", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_wellbeing_action_item_screening_id_screening"), type_="foreignkey"
        )
        batch_op.drop_column("screening_id")
    op.drop_index("ix_screening_partner", table_name="screening")
    op.drop_index("ix_screening_unit", table_name="screening")
    op.drop_table("screening")
