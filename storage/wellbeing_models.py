"""Tables of well-being dialogues, the units' action plans and annual discussions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
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

# The free-text fields of a dialogue: deleted when the retention period has passed.
NOTE_FIELDS = ("facilitator", "theme_other", "works_well", "challenges", "absence_note")


class WellbeingDialogue(Base):
    """One well-being dialogue (trivselsdialog) of a group in a unit, and its notes."""

    __tablename__ = "wellbeing_dialogue"
    __table_args__ = (
        Index("ix_wellbeing_dialogue_unit_held", "unit_id", "held_on"),
        Index("ix_wellbeing_dialogue_held_deleted", "held_on", "notes_deleted_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    group_name: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date)
    facilitator: Mapped[str | None] = mapped_column(String(200))
    participants: Mapped[int] = mapped_column(Integer)
    themes: Mapped[list[str]] = mapped_column(JSON)
    theme_other: Mapped[str | None] = mapped_column(String(300))
    works_well: Mapped[str | None] = mapped_column(Text)
    challenges: Mapped[str | None] = mapped_column(Text)
    absence_considered: Mapped[bool] = mapped_column(Boolean)
    absence_note: Mapped[str | None] = mapped_column(Text)
    flags_confirmed: Mapped[int] = mapped_column(Integer, default=0)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    submission_key: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)
    notes_deleted_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class WellbeingActionItem(Base):
    """One item of a unit's written action plan: problem, action, owner, deadline, follow-up."""

    __tablename__ = "wellbeing_action_item"
    __table_args__ = (
        Index("ix_wellbeing_action_item_unit_status", "unit_id", "status"),
        Index("ix_wellbeing_action_item_owner_status", "owner_id", "status"),
        Index("ix_wellbeing_action_item_status_deadline", "status", "deadline"),
        Index("ix_wellbeing_action_item_status_follow_up", "status", "follow_up_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    dialogue_id: Mapped[int | None] = mapped_column(
        ForeignKey("wellbeing_dialogue.id", ondelete="SET NULL")
    )
    reopened_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("wellbeing_action_item.id", ondelete="SET NULL")
    )
    # a finding of this screening (None: from a dialogue or added to the plan directly)
    screening_id: Mapped[int | None] = mapped_column(
        ForeignKey("screening.id", ondelete="SET NULL")
    )
    # "<card batch>:<row>": a second click on the same card stores nothing new.
    submission_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    problem: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    deadline: Mapped[date] = mapped_column(Date)
    follow_up_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    status_note: Mapped[str | None] = mapped_column(Text)
    status_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    status_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    effect: Mapped[str | None] = mapped_column(String(10))
    effect_note: Mapped[str | None] = mapped_column(Text)
    evaluated_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    evaluated_at: Mapped[datetime | None] = mapped_column()
    owner_notified_at: Mapped[datetime | None] = mapped_column()
    follow_up_sent_at: Mapped[datetime | None] = mapped_column()
    overdue_reminded_for: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class WellbeingAnnualDiscussion(Base):
    """A unit's annual work-environment discussion (arbejdsmiljødrøftelse) for one year."""

    __tablename__ = "wellbeing_annual_discussion"
    __table_args__ = (
        UniqueConstraint("unit_id", "year", name="uq_wellbeing_annual_discussion_unit_year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date] = mapped_column(Date)
    participant_roles: Mapped[list[str]] = mapped_column(JSON)
    goals_met: Mapped[str] = mapped_column(String(10))
    goals_next_year: Mapped[str] = mapped_column(Text)
    cooperation: Mapped[str] = mapped_column(Text)
    competence_needs: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
