"""The EASY deadline's reminders: the unit's leaders and AMKs at 08:00 Copenhagen time 7 days
and 2 days before the deadline and on its last day, and the secretariat the morning after a
missed one; each once across processes and restarts (claimed in `job_run`), and none once
the report is recorded as made or not needed. After a psychological accident the leader is
reminded to follow up with the person two days before the week is up, unless recorded."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Final

from cards.common import Card, format_day
from cards.work_accident import accident_card
from domain.i18n import local_date, t
from domain.work_accident import (
    EasyStatus,
    Reminder,
    follow_up_reminder_moment,
    reminder_owed,
)
from services.claimed import send_once
from services.ports import Notifier
from services.work_accident import card_key, entity
from storage import jobs, work_accident
from storage.audit import audited
from storage.db import Database

log = logging.getLogger(__name__)
ESCALATE_WITHIN: Final = timedelta(days=30)
"""A deadline missed longer ago than this is not looked at any more (it was escalated)."""


def reminder_key(accident_id: int, reminder: Reminder, due: object) -> str:
    return f"work_accident:{accident_id}:{reminder.value}:{due}"


class WorkAccidentReminders:
    """Sends the reminder each pending EASY report owes now (only the latest one owed)."""

    name = "work_accident.reminders"

    def __init__(self, db: Database, notifier: Notifier) -> None:
        self.db = db
        self.notifier = notifier

    async def run(self, now: datetime) -> None:
        since = local_date(now) - ESCALATE_WITHIN
        async with self.db.reading() as connection:
            pending = await work_accident.pending_due_since(connection, since)
            owed = [
                (
                    accident.id,
                    accident.easy_due,
                    reminder_owed(accident.easy_due, accident.created_at, now),
                )
                for accident in pending
                if accident.easy_due is not None
            ]
            follow_ups = [
                (accident.id, accident.follow_up_by)
                for accident in await work_accident.follow_ups_open_since(
                    connection, local_date(now)
                )
                if accident.follow_up_by is not None
                and follow_up_reminder_moment(accident.follow_up_by) <= now
            ]
        for accident_id, due, reminder in owed:
            if reminder is None:
                continue
            await self._once(
                reminder_key(accident_id, reminder, due),
                partial(self._send, accident_id, reminder, now),
            )
        for accident_id, by in follow_ups:
            await self._once(
                f"work_accident:{accident_id}:follow_up:{by}",
                partial(self._follow_up, accident_id, now),
            )

    async def _once(self, key: str, send: Callable[[], Awaitable[int]]) -> None:
        """`send` claimed under `key`; a key already done is passed by with a read (the
        latest step stays owed every tick until the report is recorded)."""
        done = await jobs.status_of(self.db, key)
        if done is not None and done.status == "done":
            return
        await send_once(self.db, key, send, lease=timedelta(minutes=10))

    async def _follow_up(self, accident_id: int, now: datetime) -> int:
        """The leaders (the secretariat if the unit has none) reminded to follow up with the
        person; how many received it (0 when it was recorded in the meantime)."""
        async with self.db.reading() as connection:
            accident = await work_accident.get(connection, accident_id)
            if accident is None or accident.followed_up_at is not None:
                return 0
            view = await work_accident.view(connection, accident)
            found = await work_accident.recipients(connection, accident.unit_id)
            readers = [
                (await work_accident.reader(connection, accident, person.id), person)
                for person in found.leaders or found.secretariat
            ]
        shown: list[int] = []
        for reader, person in readers:
            lang = work_accident.lang_of(person)
            by = format_day(lang, view.follow_up_by) if view.follow_up_by is not None else ""
            intro = t(lang, "work_accident.reminder.follow_up", by=by)
            if await self.notifier.card_to_person(
                person.id,
                accident_card(lang, view, reader, now=now, intro=intro),
                key=card_key(accident_id, person.id, "follow_up"),
                entity=entity(accident_id),
            ):
                shown.append(person.id)
        await self._audited(accident_id, shown, "follow_up_reminder")
        return len(shown)

    async def _audited(self, accident_id: int, person_ids: list[int], via: str) -> None:
        if not person_ids:
            return
        async with audited(self.db) as connection:
            accident = await work_accident.get(connection, accident_id)
            if accident is not None:
                await work_accident.record_reads(connection, accident, person_ids, via)

    async def _send(self, accident_id: int, reminder: Reminder, now: datetime) -> int:
        """The reminder to each person it is for; how many received it (0 when the report
        was recorded in the meantime or nobody has a chat with the bot)."""
        async with self.db.reading() as connection:
            accident = await work_accident.get(connection, accident_id)
            if accident is None or accident.easy_status != EasyStatus.PENDING.value:
                return 0
            view = await work_accident.view(connection, accident)
            found = await work_accident.recipients(connection, accident.unit_id)
            people = (
                found.secretariat or found.easy_owners()
                if reminder is Reminder.OVERDUE
                else found.easy_owners()
            )
            readers = [
                (await work_accident.reader(connection, accident, person.id), person)
                for person in people
            ]
        if not readers:
            log.warning("work accident %s: nobody to remind", view.number)
        shown: list[int] = []
        for reader, person in readers:
            lang = work_accident.lang_of(person)
            due = format_day(lang, view.easy_due) if view.easy_due is not None else ""
            intro = t(lang, f"work_accident.reminder.{reminder.value}", due=due)
            card: Card = accident_card(lang, view, reader, now=now, intro=intro)
            if await self.notifier.card_to_person(
                person.id,
                card,
                key=card_key(accident_id, person.id, reminder.value),
                entity=entity(accident_id),
            ):
                shown.append(person.id)
        await self._audited(accident_id, shown, reminder.value)
        log.info("work accident %s: %s reminder to %d", view.number, reminder.value, len(shown))
        return len(shown)
