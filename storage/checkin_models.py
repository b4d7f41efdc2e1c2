"""Tables of lone-work check-in sessions and their timelines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class CheckinSession(Base):
    """One stretch of lone work under an approved request, with its check-in clock."""

    __tablename__ = "checkin_session"
    __table_args__ = (
        Index("ix_checkin_session_status_due", "status", "due_at"),
        Index("ix_checkin_session_request", "request_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("lone_work_request.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    # The worker's id while the session is open, NULL once finished: one open session each.
    open_worker_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    interval_minutes: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    due_at: Mapped[datetime] = mapped_column()
    round: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(10), default="active")
    last_ok_at: Mapped[datetime | None] = mapped_column()
    alarm_seq: Mapped[int] = mapped_column(Integer, default=0)
    alarm_reason: Mapped[str | None] = mapped_column(String(10))
    alarm_started_at: Mapped[datetime | None] = mapped_column()
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    handled_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CheckinEvent(Base):
    """One entry of a session's timeline (append-only)."""

    __tablename__ = "checkin_event"
    __table_args__ = (Index("ix_checkin_event_session_at", "session_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("checkin_session.id"))
    at: Mapped[datetime] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
