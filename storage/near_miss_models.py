"""Tables of near-miss reports (nærved-hændelser), their corrective actions and numbering.

An anonymous report has no `reporter_id`: nothing in these tables points at its reporter.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models import Base, utcnow


class NearMissCounter(Base):
    """The last report number handed out in a year (NM-<year>-<last_number>)."""

    __tablename__ = "near_miss_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class NearMissReport(Base):
    """One near miss as reported, and where its follow-up stands."""

    __tablename__ = "near_miss_report"
    __table_args__ = (
        Index("ix_near_miss_report_unit_status", "unit_id", "status"),
        Index("ix_near_miss_report_created", "created_at"),
        Index("ix_near_miss_report_reporter", "reporter_id"),
        Index("ix_near_miss_report_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    anonymous: Mapped[bool] = mapped_column(Boolean)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    occurred_at: Mapped[datetime] = mapped_column()
    campus: Mapped[str] = mapped_column(String(100))
    building: Mapped[str | None] = mapped_column(String(50))
    room: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(30))
    severity: Mapped[str] = mapped_column(String(20))
    injury: Mapped[bool] = mapped_column(Boolean, default=False)
    immediate_action: Mapped[str | None] = mapped_column(Text)
    prevention: Mapped[str | None] = mapped_column(Text)
    photo_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(30), default="reported")
    investigator_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    closed_at: Mapped[datetime | None] = mapped_column()
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    conclusion: Mapped[str | None] = mapped_column(Text)
    # when its people and free text were removed (retention); NULL: kept whole
    personal_data_removed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    actions: Mapped[list[NearMissAction]] = relationship(
        back_populates="report", order_by="NearMissAction.id", cascade="all, delete-orphan"
    )


class CorrectiveActionColumns:
    """The columns of a corrective action (tiltag): what, who, by when and whether it is done.
    Shared by the actions after a near miss and after a work accident."""

    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    done_at: Mapped[datetime | None] = mapped_column()
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    reminded_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class NearMissAction(CorrectiveActionColumns, Base):
    """A corrective action (tiltag) decided after a near miss."""

    __tablename__ = "near_miss_action"
    __table_args__ = (
        Index("ix_near_miss_action_report", "report_id"),
        Index("ix_near_miss_action_status_due", "status", "due_date"),
        Index("ix_near_miss_action_owner", "owner_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("near_miss_report.id", ondelete="CASCADE"))

    report: Mapped[NearMissReport] = relationship(back_populates="actions")


class NearMissPhoto(Base):
    """A photo with a near-miss report, its metadata removed before it was stored.

    Nothing here names who sent it: a photo sent while reporting waits under the reporting
    dialog's random `pending_key` (kept only in that chat's dialog state) until the report is
    stored, then belongs to the report alone. Pending photos of a form never sent are deleted
    after a day; a report's photos go when retention removes its people and free text.
    """

    __tablename__ = "near_miss_photo"
    __table_args__ = (
        Index("ix_near_miss_photo_report", "report_id"),
        Index("ix_near_miss_photo_pending", "pending_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("near_miss_report.id", ondelete="CASCADE")
    )
    pending_key: Mapped[str | None] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
