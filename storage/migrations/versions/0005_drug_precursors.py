"""drug precursors

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "precursor_catalogue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("substances", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_precursor_catalogue")),
        sa.UniqueConstraint("version", name=op.f("uq_precursor_catalogue_version")),
    )
    op.create_table(
        "precursor_substance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("catalogue_version", sa.String(length=20), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_da", sa.String(length=200), nullable=False),
        sa.Column("synonyms", sa.JSON(), nullable=False),
        sa.Column("category", sa.String(length=2), nullable=False),
        sa.Column("cn_code", sa.String(length=20), nullable=True),
        sa.Column("cas", sa.String(length=20), nullable=True),
        sa.Column("includes_salts", sa.Boolean(), nullable=False),
        sa.Column("salts_note", sa.String(length=200), nullable=True),
        sa.Column("includes_stereoisomers", sa.Boolean(), nullable=False),
        sa.Column("report_unit", sa.String(length=2), nullable=False),
        sa.Column("density", sa.String(length=20), nullable=True),
        sa.Column("threshold", sa.String(length=20), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("check_note", sa.String(length=300), nullable=True),
        sa.Column("source_act", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_precursor_substance")),
        sa.UniqueConstraint("key", name=op.f("uq_precursor_substance_key")),
    )
    op.create_table(
        "precursor_holding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("substance_id", sa.Integer(), nullable=False),
        sa.Column("storage_location", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["person.id"], name=op.f("fk_precursor_holding_created_by_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["substance_id"],
            ["precursor_substance.id"],
            name=op.f("fk_precursor_holding_substance_id_precursor_substance"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_precursor_holding_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_precursor_holding")),
        sa.UniqueConstraint("unit_id", "substance_id", name="uq_precursor_holding_unit_substance"),
    )
    op.create_table(
        "precursor_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("substance_keys", sa.JSON(), nullable=False),
        sa.Column("contact_person_id", sa.Integer(), nullable=True),
        sa.Column("registered_by_id", sa.Integer(), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_person_id"],
            ["person.id"],
            name=op.f("fk_precursor_registration_contact_person_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["registered_by_id"],
            ["person.id"],
            name=op.f("fk_precursor_registration_registered_by_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_precursor_registration_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_precursor_registration")),
        sa.UniqueConstraint("unit_id", "year", name="uq_precursor_registration_unit_year"),
    )
    op.create_table(
        "precursor_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("holding_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("quantity_micro", sa.BigInteger(), nullable=False),
        sa.Column("delta_micro", sa.BigInteger(), nullable=False),
        sa.Column("entered_quantity", sa.String(length=40), nullable=True),
        sa.Column("entered_unit", sa.String(length=4), nullable=True),
        sa.Column("counterparty", sa.String(length=200), nullable=True),
        sa.Column("declaration_ref", sa.String(length=100), nullable=True),
        sa.Column("document_ref", sa.String(length=100), nullable=True),
        sa.Column("purpose", sa.String(length=300), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["person.id"], name=op.f("fk_precursor_entry_created_by_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["holding_id"],
            ["precursor_holding.id"],
            name=op.f("fk_precursor_entry_holding_id_precursor_holding"),
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["precursor_entry.id"],
            name=op.f("fk_precursor_entry_reverses_id_precursor_entry"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_precursor_entry")),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_precursor_entry_reverses_id")),
    )
    with op.batch_alter_table("precursor_entry", schema=None) as batch_op:
        batch_op.create_index("ix_precursor_entry_date", ["entry_date"], unique=False)
        batch_op.create_index(
            "ix_precursor_entry_holding_date", ["holding_id", "entry_date"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("precursor_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_precursor_entry_holding_date")
        batch_op.drop_index("ix_precursor_entry_date")

    op.drop_table("precursor_entry")
    op.drop_table("precursor_registration")
    op.drop_table("precursor_holding")
    op.drop_table("precursor_substance")
    op.drop_table("precursor_catalogue")
