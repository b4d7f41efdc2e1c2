"""Tables of the weekly digest: which channels subscribe, and the secretariat's safety moments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class DigestSubscription(Base):
    """A channel that gets the weekly digest, in one language, optionally for some units."""

    __tablename__ = "digest_subscription"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_ref_id: Mapped[int] = mapped_column(
        ForeignKey("conversation_ref.id", ondelete="CASCADE"), unique=True
    )
    lang: Mapped[str] = mapped_column(String(5))
    unit_ids: Mapped[list[int] | None] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SafetyMomentRow(Base):
    """The week's safety moment, in Danish and English."""

    __tablename__ = "safety_moment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    week: Mapped[str] = mapped_column(String(10), unique=True)
    text_da: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
