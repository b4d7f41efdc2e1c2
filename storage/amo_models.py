"""The AMO's composition as recorded: the groups and the reasoning, attached to the duty
record that dates it, and who held the AMO roles in the unit at that moment."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base


class AmoComposition(Base):
    """One recorded composition: its duty record (unit, day, who recorded it, the proof),
    the groups' names and the reasoning for the number of members and groups."""

    __tablename__ = "amo_composition"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    duty_record_id: Mapped[int] = mapped_column(ForeignKey("duty_record.id"), unique=True)
    groups: Mapped[list[str]] = mapped_column(JSON)
    reasoning: Mapped[str] = mapped_column(Text)


class AmoMember(Base):
    """A person and the AMO role (leader, AMK, AMR) they held in the unit when the
    composition was recorded."""

    __tablename__ = "amo_member"
    __table_args__ = (Index("ix_amo_member_composition", "composition_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    composition_id: Mapped[int] = mapped_column(ForeignKey("amo_composition.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    role: Mapped[str] = mapped_column(String(30))
