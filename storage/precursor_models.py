"""Tables of the drug-precursor records (narkotikaprækursorer).

The ledger is append-only: entries are never updated or deleted; a mistake is undone by a
reversing entry (`reverses_id`, unique, so an entry is reversed at most once).
Quantities are integers in millionths of the substance's reporting unit (mg or µL).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class PrecursorCatalogue(Base):
    """A version of the substance list that has been loaded from `storage/seed/`."""

    __tablename__ = "precursor_catalogue"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(20), unique=True)
    basis: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[date] = mapped_column(Date)
    sha256: Mapped[str] = mapped_column(String(64))
    substances: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class PrecursorSubstance(Base):
    """A scheduled substance, kept up to date by `key` from the newest catalogue version."""

    __tablename__ = "precursor_substance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    catalogue_version: Mapped[str] = mapped_column(String(20))
    name_en: Mapped[str] = mapped_column(String(200))
    name_da: Mapped[str] = mapped_column(String(200))
    synonyms: Mapped[list[str]] = mapped_column(JSON)
    category: Mapped[str] = mapped_column(String(2))
    cn_code: Mapped[str | None] = mapped_column(String(20))
    cas: Mapped[str | None] = mapped_column(String(20))
    includes_salts: Mapped[bool] = mapped_column(Boolean)
    salts_note: Mapped[str | None] = mapped_column(String(200))
    includes_stereoisomers: Mapped[bool] = mapped_column(Boolean)
    report_unit: Mapped[str] = mapped_column(String(2))
    density: Mapped[str | None] = mapped_column(String(20))
    threshold: Mapped[str | None] = mapped_column(String(20))
    verified: Mapped[bool] = mapped_column(Boolean)
    check_note: Mapped[str | None] = mapped_column(String(300))
    source_act: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PrecursorHolding(Base):
    """A substance a unit handles, and where it is kept."""

    __tablename__ = "precursor_holding"
    __table_args__ = (
        UniqueConstraint("unit_id", "substance_id", name="uq_precursor_holding_unit_substance"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    substance_id: Mapped[int] = mapped_column(ForeignKey("precursor_substance.id"))
    storage_location: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PrecursorEntry(Base):
    """One line of a unit's ledger for one substance; never changed once written."""

    __tablename__ = "precursor_entry"
    __table_args__ = (
        Index("ix_precursor_entry_holding_date", "holding_id", "entry_date"),
        Index("ix_precursor_entry_date", "entry_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    holding_id: Mapped[int] = mapped_column(ForeignKey("precursor_holding.id"))
    kind: Mapped[str] = mapped_column(String(20))
    entry_date: Mapped[date] = mapped_column(Date)
    quantity_micro: Mapped[int] = mapped_column(BigInteger)
    delta_micro: Mapped[int] = mapped_column(BigInteger)
    entered_quantity: Mapped[str | None] = mapped_column(String(40))
    entered_unit: Mapped[str | None] = mapped_column(String(4))
    counterparty: Mapped[str | None] = mapped_column(String(200))
    declaration_ref: Mapped[str | None] = mapped_column(String(100))
    document_ref: Mapped[str | None] = mapped_column(String(100))
    purpose: Mapped[str | None] = mapped_column(String(300))
    reason: Mapped[str | None] = mapped_column(Text)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("precursor_entry.id"), unique=True)
    source: Mapped[str] = mapped_column(String(20), default="bot")
    submission_key: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PrecursorRegistration(Base):
    """A unit's answer for a year: the substances it handles (or none), and its contact."""

    __tablename__ = "precursor_registration"
    __table_args__ = (
        UniqueConstraint("unit_id", "year", name="uq_precursor_registration_unit_year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    substance_keys: Mapped[list[str]] = mapped_column(JSON)
    contact_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    submission_key: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)
