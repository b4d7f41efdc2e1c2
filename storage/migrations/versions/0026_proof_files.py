"""proof files

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07

Proof files (PDF, pictures without metadata, .docx, .xlsx) of training and documentation
records, stored in the database with their record.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "proof_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("training_record_id", sa.Integer(), nullable=True),
        sa.Column("duty_record_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(training_record_id IS NULL) <> (duty_record_id IS NULL)",
            name=op.f("ck_proof_file_one_record"),
        ),
        sa.ForeignKeyConstraint(
            ["training_record_id"],
            ["training_record.id"],
            name=op.f("fk_proof_file_training_record_id_training_record"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["duty_record_id"],
            ["duty_record.id"],
            name=op.f("fk_proof_file_duty_record_id_duty_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proof_file")),
        sa.UniqueConstraint("training_record_id", name=op.f("uq_proof_file_training_record_id")),
        sa.UniqueConstraint("duty_record_id", name=op.f("uq_proof_file_duty_record_id")),
    )


def downgrade() -> None:
    op.drop_table("proof_file")
