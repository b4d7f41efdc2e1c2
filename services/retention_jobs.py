"""Retention, once a day however many processes run: each register's records past their
period lose their people and free text (or are deleted), one transaction per batch."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain.retention import RetentionSettings, days_cutoff, years_cutoff
from domain.wellbeing import local_today
from services.claimed import send_once
from storage import near_miss_photos, retention
from storage.db import Database

log = logging.getLogger(__name__)

PENDING_PHOTO_HOURS = 24
Batch = Callable[[AsyncSession], Awaitable[int]]


class RetentionJob:
    """Near-miss reports, work accidents, lone-work requests, check-in timelines, instruction
    and training records, the audit trail's people and conversation references past their
    retention periods (the well-being notes have their own job)."""

    name = "privacy.retention"

    def __init__(self, db: Database, settings: RetentionSettings) -> None:
        self.db = db
        self.settings = settings

    async def run(self, now: datetime) -> None:
        await send_once(
            self.db,
            f"retention:{local_today(now).isoformat()}",
            lambda: self.apply(now),
            lease=timedelta(minutes=30),
        )

    async def apply(self, now: datetime) -> dict[str, int]:
        """Everything due at `now`; how many records of each register were handled."""
        settings = self.settings
        near_miss = years_cutoff(now, settings.near_miss_years)
        work_accidents = years_cutoff(now, settings.work_accident_years)
        lone_work = years_cutoff(now, settings.lone_work_years)
        checkins = days_cutoff(now, settings.checkin_days)
        training = years_cutoff(now, settings.training_years)
        conversations = days_cutoff(now, settings.conversation_days)
        audit_events = years_cutoff(now, settings.audit_years)
        steps: dict[str, tuple[Batch, int]] = {
            "near_miss": (
                lambda session: retention.remove_near_miss_people(
                    session, cutoff=near_miss, now=now, years=settings.near_miss_years
                ),
                retention.BATCH,
            ),
            "work_accident": (
                lambda session: retention.remove_work_accident_people(
                    session, cutoff=work_accidents, now=now, years=settings.work_accident_years
                ),
                retention.BATCH,
            ),
            "lone_work": (
                lambda session: retention.remove_lone_work_people(
                    session, cutoff=lone_work, now=now, years=settings.lone_work_years
                ),
                retention.BATCH,
            ),
            "checkins": (
                lambda session: retention.delete_checkin_timelines(
                    session, cutoff=checkins, days=settings.checkin_days
                ),
                retention.BATCH,
            ),
            "training": (
                lambda session: retention.remove_training_people(
                    session, cutoff=training, now=now, years=settings.training_years
                ),
                retention.BATCH,
            ),
            "conversations": (
                lambda session: retention.delete_conversations(
                    session, cutoff=conversations, days=settings.conversation_days
                ),
                retention.BATCH,
            ),
            # photos of near-miss forms never sent (a day is long enough to finish one)
            "near_miss_unsent_photos": (
                lambda session: _delete_unsent_photos(
                    session, cutoff=now - timedelta(hours=PENDING_PHOTO_HOURS)
                ),
                retention.BATCH,
            ),
            "dialog_states": (
                lambda session: retention.delete_dialog_states(
                    session, cutoff=conversations, days=settings.conversation_days
                ),
                retention.BATCH,
            ),
            # Last, so the retention events above are not yet old enough to be touched.
            "audit": (
                lambda session: retention.redact_audit_events(
                    session, cutoff=audit_events, now=now, years=settings.audit_years
                ),
                retention.AUDIT_BATCH,
            ),
        }
        done: dict[str, int] = {}
        for register, (batch, size) in steps.items():
            done[register] = await self._in_batches(batch, size)
        if any(done.values()):
            log.info("retention: %s", ", ".join(f"{key} {value}" for key, value in done.items()))
        return done

    async def _in_batches(self, batch: Batch, size: int) -> int:
        total = 0
        while True:
            async with self.db.transaction() as session:
                handled = await batch(session)
            total += handled
            if handled < size:
                return total


async def _delete_unsent_photos(session: AsyncSession, *, cutoff: datetime) -> int:
    """`near_miss_photos.delete_pending` on the batch's transaction."""
    return await near_miss_photos.delete_pending(await session.connection(), cutoff=cutoff)
