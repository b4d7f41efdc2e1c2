"""Instruction and training records (§ 18): who was given what, when, by whom, the proof."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.links import PROOF_MAX
from domain.training import ACTIVITY_MAX, GIVEN_BY_MAX
from storage.models import Base, utcnow


class TrainingRecord(Base):
    """One instruction or training a person was given in a unit."""

    __tablename__ = "training_record"
    __table_args__ = (
        Index("ix_training_record_unit_person", "unit_id", "person_id", "given_on"),
        Index("ix_training_record_person", "person_id", "given_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    activity: Mapped[str] = mapped_column(String(ACTIVITY_MAX))
    kind: Mapped[str] = mapped_column(String(20))
    given_on: Mapped[date] = mapped_column(Date)
    given_by: Mapped[str] = mapped_column(String(GIVEN_BY_MAX))
    proof: Mapped[str | None] = mapped_column(String(PROOF_MAX))
    lone_work: Mapped[bool] = mapped_column(Boolean, default=False)
    # None: imported from a spreadsheet by an administrator
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # set by retention: the person is the stand-in, the activity, trainer and proof are gone
    personal_data_removed_at: Mapped[datetime | None] = mapped_column()
