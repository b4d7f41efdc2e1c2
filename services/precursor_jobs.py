"""Scheduled precursor work: remind units that have not registered, 30, 7 and 1 day before
the deadline — each reminder once per unit and year, however many processes run."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import bindparam, select

from cards.precursors import reminder_card
from domain.precursor_registrations import deadline_for, reminder_due
from services.claimed import send_once
from services.ports import Notifier
from services.precursor_core import local_today, person_lang
from storage import precursor_catalogue, precursor_registrations, precursors
from storage.db import Database
from storage.models import JobRun

log = logging.getLogger(__name__)

_DONE = select(JobRun.key).where(JobRun.key.like(bindparam("prefix")), JobRun.status == "done")


def reminder_key(year: int, offset: int, unit_id: int) -> str:
    return f"precursors:reminder:{year}:{offset}:{unit_id}"


class PrecursorReminders:
    """Each unit without a registration gets the due reminder (30/7/1 days) exactly once."""

    name = "precursors.reminders"

    def __init__(self, db: Database, notifier: Notifier, *, deadline: str) -> None:
        self.db = db
        self.notifier = notifier
        self.deadline = deadline
        self._catalogue_ready = False

    async def run(self, now: datetime) -> None:
        if not self._catalogue_ready:
            await precursor_catalogue.ensure_loaded(self.db)
            self._catalogue_ready = True
        today = local_today(now)
        due = deadline_for(today.year, self.deadline)
        days_left = (due - today).days
        offset = reminder_due(days_left)
        if offset is None:
            return
        prefix = reminder_key(today.year, offset, 0).rsplit(":", 1)[0] + ":"
        async with self.db.reading() as connection:
            done = {row[0] for row in await connection.execute(_DONE, {"prefix": f"{prefix}%"})}
            missing = [
                (unit.id, unit.name)
                for unit in await precursor_registrations.units_missing(connection, today.year)
            ]
        for unit_id, unit_name in missing:
            key = reminder_key(today.year, offset, unit_id)
            if key in done:
                continue
            await send_once(
                self.db,
                key,
                partial(self._remind, unit_id, unit_name, today.year, offset, days_left),
                lease=timedelta(minutes=10),
            )

    async def _remind(
        self, unit_id: int, unit_name: str, year: int, offset: int, days_left: int
    ) -> int:
        async with self.db.reading() as connection:
            people = await precursors.keepers(connection, unit_id)
        delivered = 0
        for person in people:
            lang = person_lang(person)
            card = reminder_card(
                lang,
                unit=unit_name,
                year=year,
                deadline=deadline_for(year, self.deadline),
                days_left=days_left,
            )
            sent = await self.notifier.card_to_person(
                person.id,
                card,
                key=f"{reminder_key(year, offset, unit_id)}:{person.id}",
                entity=("precursor_reminder", f"{year}:{unit_id}"),
            )
            delivered += int(sent)
        if not people:
            log.info("%s has no precursor contact or AMK to remind", unit_name)
        return delivered
