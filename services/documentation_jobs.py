"""Scheduled documentation work: the unit's leaders and AMKs are reminded 60 and 14 days
before a duty falls due and once it is overdue — each reminder once per due day, however
many processes run — and asked to review the AMO's composition once its roles have changed
substantially since the latest reasoning (once per reasoning)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial

from cards.amo import review_card
from cards.common import Card
from cards.documentation import reminder_card
from domain.amo import AmoRecord, Member
from domain.documentation import Standing, reminder_stage
from domain.i18n import Lang, local_date, preferred_lang
from domain.org import Role, UnitRef
from services.claimed import send_once
from services.documentation import unit_standings
from services.ports import Notifier
from storage import amo, documentation, org
from storage.db import Database

log = logging.getLogger(__name__)


def reminder_key(unit_id: int, item: Standing, stage: str) -> str:
    """One key per unit, duty, subject, due day and stage: a new record starts a new cycle."""
    subject = hashlib.sha256((item.subject or "").lower().encode()).hexdigest()[:12]
    return f"documentation:reminder:{unit_id}:{item.duty.key}:{subject}:{item.due_on}:{stage}"


def review_key(unit_id: int, record: AmoRecord) -> str:
    """One review per unit and recorded reasoning: a new record starts a new episode."""
    return f"documentation:amo_review:{unit_id}:{record.id}"


class DocumentationReminders:
    """Once a day (the first tick of each Copenhagen day that gets through every unit), each
    reminder owed today, and each review of an AMO whose roles changed, is claimed and sent
    to the unit's leaders and AMKs."""

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
        async with self.db.reading() as connection:
            units = await org.unit_choices(connection)
            met = await documentation.last_met(connection, [unit.id for unit in units])
            review = await amo.to_review(connection, [unit.id for unit in units])
            seats = await amo.members(connection, review)
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
            record = review.get(unit.id)
            if record is not None:
                await send_once(
                    self.db,
                    review_key(unit.id, record),
                    partial(self._ask_review, unit, record, seats.get(unit.id, set())),
                    lease=timedelta(minutes=10),
                )
        self._done_on = today

    async def _remind(self, unit: UnitRef, item: Standing, stage: str, today: date) -> int:
        return await self._to_leaders_and_amks(
            unit,
            lambda lang: reminder_card(lang, unit, item, today=today),
            key=reminder_key(unit.id, item, stage),
            entity=("duty_reminder", f"{unit.id}:{item.duty.key}"),
        )

    async def _ask_review(self, unit: UnitRef, record: AmoRecord, now: set[Member]) -> int:
        gone, new = len(record.members - now), len(now - record.members)
        return await self._to_leaders_and_amks(
            unit,
            lambda lang: review_card(lang, unit, record, gone=gone, new=new),
            key=review_key(unit.id, record),
            entity=("amo_composition", str(record.id)),
        )

    async def _to_leaders_and_amks(
        self, unit: UnitRef, card: Callable[[Lang], Card], *, key: str, entity: tuple[str, str]
    ) -> int:
        """The card, in each one's language, to every leader and AMK of the unit."""
        async with self.db.reading() as connection:
            people = {
                person.id: person
                for role in (Role.LEADER, Role.AMK)
                for person in await org.holders(connection, unit.id, role)
            }
        delivered = 0
        for person in people.values():
            sent = await self.notifier.card_to_person(
                person.id,
                card(preferred_lang(person.language_override, person.locale)),
                key=f"{key}:{person.id}",
                entity=entity,
            )
            delivered += int(sent)
        if not people:
            log.info("unit %s has no leader or AMK to send a documentation card to", unit.id)
        return delivered
