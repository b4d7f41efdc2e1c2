"""Scheduled sister-screening work: a request nobody has answered is reminded once to the
asked unit's AMKs and leaders after `REMIND_AFTER_DAYS`, and the asking unit is told once
after `TELL_AFTER_DAYS` (Copenhagen days) — each once however many processes run."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial

from cards.common import format_day, notice_card, plain
from cards.screening import answer_card
from domain.i18n import local_date, t
from domain.org import Role
from domain.screening import ScreeningView, open_request_stage
from services.claimed import send_once
from services.ports import Notifier
from services.screening import askers, person_lang
from storage import org, screening
from storage.db import Database
from storage.rows import PersonRow
from storage.screening import ENTITY

LEASE = timedelta(minutes=10)


class ScreeningReminders:
    """Once a day (the first tick of each Copenhagen day), what each open request is owed."""

    name = "screening.reminders"

    def __init__(self, db: Database, notifier: Notifier) -> None:
        self.db = db
        self.notifier = notifier
        self._done_on: date | None = None

    async def run(self, now: datetime) -> None:
        today = local_date(now)
        if self._done_on == today:
            return
        async with self.db.reading() as connection:
            waiting = await screening.unanswered(connection)
        for view in waiting:
            stage = open_request_stage(view.requested_on, today)
            if stage is None:
                continue
            key = f"screening:{view.id}"
            await send_once(
                self.db, f"{key}:reminder", partial(self._remind, view, today), lease=LEASE
            )
            if stage == "told":
                await send_once(self.db, f"{key}:told", partial(self._tell, view), lease=LEASE)
        self._done_on = today

    async def _remind(self, view: ScreeningView, today: date) -> int:
        """The asked unit's AMKs and leaders get the request's card again, with a reminder."""
        async with self.db.reading() as connection:
            people: dict[int, PersonRow] = {
                person.id: person
                for role in (Role.AMK, Role.LEADER)
                for person in await org.holders(connection, view.partner_id, role)
            }
        days = (today - view.requested_on).days
        sent = 0
        for person in people.values():
            lang = person_lang(person)
            notice = t(lang, "screening.reminder.notice", days=days)
            sent += await self.notifier.card_to_person(
                person.id,
                answer_card(lang, view, notice=notice),
                key=f"screening:{view.id}:reminder:to:{person.id}",
                entity=(ENTITY, str(view.id)),
            )
        return sent

    async def _tell(self, view: ScreeningView) -> int:
        """The asking unit's AMKs and the person who asked hear nobody has answered."""
        async with self.db.reading() as connection:
            people = await askers(connection, view)
        sent = 0
        for person in people:
            lang = person_lang(person)
            text = t(
                lang,
                "screening.unanswered",
                partner=plain(view.partner),
                day=format_day(lang, view.requested_on),
            )
            sent += await self.notifier.card_to_person(
                person.id,
                notice_card(t(lang, "screening.answer.title"), text),
                key=f"screening:{view.id}:told:to:{person.id}",
                entity=("screening_notice", str(view.id)),
            )
        return sent
