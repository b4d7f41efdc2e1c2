"""The EASY deadline's reminders: the unit's leaders and AMKs at 08:00 Copenhagen time 7 days
and 2 days before the deadline and on its last day, and the secretariat the morning after a
missed one; each once across processes and restarts (claimed in `job_run`), and none once
the report is recorded as made or not needed."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Final

from cards.common import Card
from cards.work_accident import accident_card, format_date
from domain.i18n import local_date, t
from domain.work_accident import EasyStatus, Reminder, reminder_owed
from services.claimed import send_once
from services.ports import Notifier
from services.work_accident import card_key, entity
from storage import work_accident
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
        async with self.db.sessions() as session:
            pending = await work_accident.pending_due_since(session, since)
            owed = [
                (
                    accident.id,
                    accident.easy_due,
                    reminder_owed(accident.easy_due, accident.created_at, now),
                )
                for accident in pending
                if accident.easy_due is not None
            ]
        for accident_id, due, reminder in owed:
            if reminder is None:
                continue
            await send_once(
                self.db,
                reminder_key(accident_id, reminder, due),
                partial(self._send, accident_id, reminder, now),
                lease=timedelta(minutes=10),
            )

    async def _send(self, accident_id: int, reminder: Reminder, now: datetime) -> int:
        """The reminder to each person it is for; how many received it (0 when the report
        was recorded in the meantime or nobody has a chat with the bot)."""
        async with self.db.sessions() as session:
            accident = await work_accident.get(session, accident_id)
            if accident is None or accident.easy_status != EasyStatus.PENDING.value:
                return 0
            view = await work_accident.view(session, accident)
            found = await work_accident.recipients(session, accident.unit_id)
            people = (
                found.secretariat or found.easy_owners()
                if reminder is Reminder.OVERDUE
                else found.easy_owners()
            )
            readers = [
                (await work_accident.reader(session, accident, person.id), person)
                for person in people
            ]
        if not readers:
            log.warning("work accident %s: nobody to remind", view.number)
        delivered = 0
        for reader, person in readers:
            lang = work_accident.lang_of(person)
            due = format_date(lang, view.easy_due) if view.easy_due is not None else ""
            intro = t(lang, f"work_accident.reminder.{reminder.value}", due=due)
            card: Card = accident_card(lang, view, reader, now=now, intro=intro)
            if await self.notifier.card_to_person(
                person.id,
                card,
                key=card_key(accident_id, person.id, reminder.value),
                entity=entity(accident_id),
            ):
                delivered += 1
        log.info("work accident %s: %s reminder to %d", view.number, reminder.value, delivered)
        return delivered
