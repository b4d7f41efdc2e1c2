"""Tables of work accidents (arbejdsulykker) and their numbering.

Health data: the minimum a leader needs to report in EASY and the university needs for its
statistics. The injured person is a person row when the bot knows them, else the e-mail
the reporter gave (students and guests may have neither). A psychological accident
(`injury_kind` psychological or both) has a follow-up date for the leader, and may keep the
injured person's name from the AMK (`name_withheld`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow
from storage.near_miss_models import CorrectiveActionColumns


class WorkAccidentCounter(Base):
    """The last accident number handed out in a year (AU-<year>-<last_number>)."""

    __tablename__ = "work_accident_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class WorkAccident(Base):
    """One work accident as reported, and where its EASY report stands."""

    __tablename__ = "work_accident"
    __table_args__ = (
        Index("ix_work_accident_unit", "unit_id"),
        Index("ix_work_accident_easy", "easy_status", "easy_due"),
        Index("ix_work_accident_created", "created_at"),
        Index("ix_work_accident_near_miss", "near_miss_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    near_miss_id: Mapped[int | None] = mapped_column(
        ForeignKey("near_miss_report.id", ondelete="SET NULL")
    )
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    reporter_role: Mapped[str] = mapped_column(String(20))
    injured_party: Mapped[str] = mapped_column(String(20))
    injured_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    injured_upn: Mapped[str | None] = mapped_column(String(320))
    occurred_at: Mapped[datetime] = mapped_column()
    place: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    injury_kind: Mapped[str] = mapped_column(String(20))
    absence_from: Mapped[date | None] = mapped_column(Date)
    claim: Mapped[str] = mapped_column(String(10))
    immediate_action: Mapped[str | None] = mapped_column(Text)
    witnesses: Mapped[str | None] = mapped_column(Text)
    name_withheld: Mapped[bool] = mapped_column(Boolean, default=False)
    easy_duty: Mapped[str] = mapped_column(String(30))
    easy_due: Mapped[date | None] = mapped_column(Date)
    easy_status: Mapped[str] = mapped_column(String(20))
    easy_reference: Mapped[str | None] = mapped_column(String(40))
    easy_filed_on: Mapped[date | None] = mapped_column(Date)
    not_required_reason: Mapped[str | None] = mapped_column(Text)
    easy_decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    easy_decided_at: Mapped[datetime | None] = mapped_column()
    follow_up_by: Mapped[date | None] = mapped_column(Date)
    followed_up_at: Mapped[datetime | None] = mapped_column()
    followed_up_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    # the investigation (the AMK's): causes, corrective actions and the conclusion
    causes: Mapped[str | None] = mapped_column(Text)
    conclusion: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column()
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    # whether the injured person wants to hear the outcome (None: not asked)
    outcome_wanted: Mapped[bool | None] = mapped_column(Boolean)
    personal_data_removed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class WorkAccidentAction(CorrectiveActionColumns, Base):
    """A corrective action (tiltag) decided in an accident's investigation."""

    __tablename__ = "work_accident_action"
    __table_args__ = (
        Index("ix_work_accident_action_accident", "accident_id"),
        Index("ix_work_accident_action_status_due", "status", "due_date"),
        Index("ix_work_accident_action_owner", "owner_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    accident_id: Mapped[int] = mapped_column(ForeignKey("work_accident.id", ondelete="CASCADE"))
