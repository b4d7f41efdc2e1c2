"""Proof files: a course certificate, procedure or report sent into the chat as the proof of
an instruction or training record (§ 18) or of a documentation record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.proofs import CONTENT_TYPE_MAX, NAME_MAX
from storage.models import Base, utcnow


class ProofFile(Base):
    """The file that proves one record (one per record: a new one replaces it). It goes
    with its record, and when retention removes the training record's person and text."""

    __tablename__ = "proof_file"
    __table_args__ = (
        CheckConstraint(
            "(training_record_id IS NULL) <> (duty_record_id IS NULL)", name="one_record"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    training_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_record.id", ondelete="CASCADE"), unique=True
    )
    duty_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("duty_record.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    content_type: Mapped[str] = mapped_column(String(CONTENT_TYPE_MAX))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
