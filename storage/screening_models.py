"""Sister-screening requests between units, and the screenings units plan and hold."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.links import PROOF_MAX
from storage.models import Base, utcnow


class ScreeningRequest(Base):
    """One unit asked another for a sister screening; the other's answer and day."""

    __tablename__ = "screening_request"
    __table_args__ = (
        Index("ix_screening_request_unit", "unit_id"),
        Index("ix_screening_request_partner", "partner_unit_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    partner_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    status: Mapped[str] = mapped_column(String(20))
    planned_on: Mapped[date | None] = mapped_column(Date)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    answered_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Screening(Base):
    """A screening of one unit's work environment, planned or held: internal, sister (with
    `partner_unit_id`, on the accepted `request_id`) or by the central secretariat."""

    __tablename__ = "screening"
    __table_args__ = (
        Index("ix_screening_unit", "unit_id"),
        Index("ix_screening_partner", "partner_unit_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(10))
    partner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("screening_request.id"))
    planned_on: Mapped[date | None] = mapped_column(Date)
    held_on: Mapped[date | None] = mapped_column(Date)
    proof: Mapped[str | None] = mapped_column(String(PROOF_MAX))
    # the card it was saved from: a second click stores nothing new
    submission_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
