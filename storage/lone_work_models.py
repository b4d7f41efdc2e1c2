"""Tables of lone-work approvals (godkendelse af alenearbejde) and their numbering."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class LoneWorkCounter(Base):
    """The last request number handed out in a year (AL-<year>-<last_number>)."""

    __tablename__ = "lone_work_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class LoneWorkRequest(Base):
    """One request to work alone, its risk assessment and its decision."""

    __tablename__ = "lone_work_request"
    __table_args__ = (
        Index("ix_lone_work_request_status_expires", "status", "expires_at"),
        Index("ix_lone_work_request_unit_created", "unit_id", "created_at"),
        Index("ix_lone_work_request_approver_status", "approver_id", "status"),
        Index("ix_lone_work_request_requester", "requester_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    submission_key: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    task: Mapped[str] = mapped_column(Text)
    campus: Mapped[str] = mapped_column(String(100))
    building: Mapped[str] = mapped_column(String(50))
    room: Mapped[str] = mapped_column(String(50))
    schedule: Mapped[str] = mapped_column(String(10))
    starts_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    weekdays: Mapped[str | None] = mapped_column(String(20))
    window_start: Mapped[str | None] = mapped_column(String(5))
    window_end: Mapped[str | None] = mapped_column(String(5))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    hazards: Mapped[list[str]] = mapped_column(JSON)
    hazard_other: Mapped[str | None] = mapped_column(String(300))
    mitigations: Mapped[list[str]] = mapped_column(JSON)
    checkin_person: Mapped[str | None] = mapped_column(String(200))
    checkin_interval_minutes: Mapped[int | None] = mapped_column(Integer)
    mitigation_other: Mapped[str | None] = mapped_column(String(300))
    emergency_name: Mapped[str] = mapped_column(String(200))
    emergency_phone: Mapped[str] = mapped_column(String(40))
    # the Entra object id of a colleague picked as the emergency contact (alarmed in Teams)
    emergency_aad_object_id: Mapped[str | None] = mapped_column(String(36))
    trained: Mapped[bool] = mapped_column(Boolean)
    adult: Mapped[bool] = mapped_column(Boolean)
    # employee, student or guest (domain.lone_work.Affiliation); NULL: sent before it was asked
    affiliation: Mapped[str | None] = mapped_column(String(10))
    risky: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    conditions: Mapped[str | None] = mapped_column(Text)
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    decided_at: Mapped[datetime | None] = mapped_column()
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    closed_at: Mapped[datetime | None] = mapped_column()
    close_reason: Mapped[str | None] = mapped_column(Text)
    # when its people and free text were removed (retention); NULL: kept whole
    personal_data_removed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
