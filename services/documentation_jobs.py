"""Scheduled documentation work: the unit's leaders and AMKs are reminded 60 and 14 days
before a duty falls due and once it is overdue — each reminder once per due day, however
many processes run."""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime, timedelta
from functools import partial

from cards.documentation import reminder_card
from domain.documentation import Standing, reminder_stage
from domain.i18n import local_date, preferred_lang
from domain.org import Role, UnitRef
from services.claimed import send_once
from services.documentation import unit_standings
from services.ports import Notifier
from storage import documentation, org
from storage.db import Database

log = logging.getLogger(__name__)


def reminder_key(unit_id: int, item: Standing, stage: str) -> str:
    """One key per unit, duty, subject, due day and stage: a new record starts a new cycle."""
    subject = hashlib.sha256((item.subject or "").lower().encode()).hexdigest()[:12]
    return f"documentation:reminder:{unit_id}:{item.duty.key}:{subject}:{item.due_on}:{stage}"


class DocumentationReminders:
    """Once a day (the first tick of each Copenhagen day that gets through every unit), each
    reminder owed today is claimed and sent to the unit's leaders and AMKs."""

    name = "documentation.reminders"

    def __init__(self, db: Database, notifier: Notifier) -> None:
        self.db = db
        self.notifier = notifier
        self.catalogue = documentation.duties()
        self._done_on: date | None = None

    async def run(self, now: datetime) -> None:
        today = local_date(now)
        if self._done_on == today:
            return
        async with self.db.sessions() as session:
            units = [UnitRef(id=u.id, name=u.name) for u in await org.list_units(session)]
            met = await documentation.last_met(session, [unit.id for unit in units])
        for unit in units:
            for item in unit_standings(self.catalogue, met, unit.id, today):
                stage = reminder_stage(item, today)
                if stage is None:
                    continue
                await send_once(
                    self.db,
                    reminder_key(unit.id, item, stage),
                    partial(self._remind, unit, item, stage, today),
                    lease=timedelta(minutes=10),
                )
        self._done_on = today

    async def _remind(self, unit: UnitRef, item: Standing, stage: str, today: date) -> int:
        async with self.db.sessions() as session:
            people = {
                person.id: person
                for role in (Role.LEADER, Role.AMK)
                for person in await org.holders(session, unit.id, role)
            }
        delivered = 0
        for person in people.values():
            card = reminder_card(
                preferred_lang(person.language_override, person.locale), unit, item, today=today
            )
            sent = await self.notifier.card_to_person(
                person.id,
                card,
                key=f"{reminder_key(unit.id, item, stage)}:{person.id}",
                entity=("duty_reminder", f"{unit.id}:{item.duty.key}"),
            )
            delivered += int(sent)
        if not people:
            log.info("unit %s has no leader or AMK to remind of a duty", unit.id)
        return delivered
