"""The documentation overview's table: when a unit met a written duty, and the proof."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.documentation import SUBJECT_MAX
from domain.links import PROOF_MAX
from storage.models import Base, utcnow


class DutyRecord(Base):
    """One time a unit met a duty (the newest per duty and subject counts)."""

    __tablename__ = "duty_record"
    __table_args__ = (Index("ix_duty_record_unit_duty", "unit_id", "duty_key", "met_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    duty_key: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str | None] = mapped_column(String(SUBJECT_MAX))
    met_on: Mapped[date] = mapped_column(Date)
    proof: Mapped[str | None] = mapped_column(String(PROOF_MAX))
    # None: imported from a spreadsheet by an administrator
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
