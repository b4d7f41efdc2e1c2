"""Scheduled lone-work work: expire ended approvals; remind approvers after 2 and 3 Danish
working days, and tell the unit's AMK and other leaders after 4."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from cards.common import notice_card, plain
from cards.lone_work import approval_card
from domain.i18n import format_datetime, t
from domain.lone_work import ESCALATION_AFTER_WORKING_DAYS, reminder_due
from domain.org import Role
from domain.working_days import working_days_between
from services.claimed import send_once
from services.lone_work_views import (
    approver_key,
    card_renderer,
    loaded_view,
    person_lang,
    views_and_people,
    with_training,
)
from services.ports import Notifier
from storage import audit, lone_work, lone_work_decisions, lone_work_lists, org
from storage.db import Database
from storage.lone_work import ENTITY

log = logging.getLogger(__name__)

# Escalation notices are not copies of the request's card: its updates leave them alone.
ESCALATION = "lone_work_escalation"


class LoneWorkExpiry:
    """Approvals expire at their end; their cards say so."""

    name = "lone_work.expiry"

    def __init__(self, db: Database, notifier: Notifier) -> None:
        self.db = db
        self.notifier = notifier

    async def run(self, now: datetime) -> None:
        async with audit.audited(self.db) as connection:
            expired = await lone_work_decisions.expire_due(connection, now)
            views, people = await views_and_people(connection, expired)
            views = [await with_training(connection, view) for view in views]
        for view in views:
            requester = people.get(view.requester_id)
            approver = people.get(view.approver_id) if view.approver_id else None
            await self.notifier.update_cards(
                (ENTITY, str(view.id)), card_renderer(view, requester, approver)
            )


class LoneWorkReminders:
    """The approver of a request unanswered for 2 working days is reminded, and again after
    3; after 4 the unit's AMK and its other leaders are told (Danish working days, each
    message once)."""

    name = "lone_work.reminders"

    def __init__(self, db: Database, notifier: Notifier) -> None:
        self.db = db
        self.notifier = notifier

    async def run(self, now: datetime) -> None:
        async with self.db.reading() as connection:
            waiting = await lone_work_lists.waiting_too_long(connection, now)
            due = [
                (request.id, working_days_between(request.created_at, now)) for request in waiting
            ]
        for request_id, waited in due:
            reminder = reminder_due(waited)
            if reminder is not None:
                await send_once(
                    self.db,
                    _reminder_key(request_id, reminder),
                    partial(self._remind, request_id, reminder),
                    lease=timedelta(minutes=10),
                )
            if waited >= ESCALATION_AFTER_WORKING_DAYS:
                await send_once(
                    self.db,
                    f"lone_work:escalation:{request_id}",
                    partial(self._escalate, request_id),
                    lease=timedelta(minutes=10),
                )

    async def _remind(self, request_id: int, reminder: int) -> bool:
        async with self.db.reading() as connection:
            loaded = await lone_work.load(connection, request_id)
            if loaded is None or loaded.request.approver_id is None:
                return False
            view = await with_training(connection, loaded_view(loaded))
        approver = loaded.people.get(loaded.request.approver_id)
        if approver is None:
            return False
        lang = person_lang(approver)
        since = format_datetime(lang, view.created_at) if view.created_at else ""
        card = approval_card(
            lang,
            view,
            heading=t(lang, "lone_work.reminder.title"),
            notice=t(
                lang,
                "lone_work.reminder" if reminder == 1 else "lone_work.reminder.second",
                requester=plain(view.requester),
                number=view.number,
                since=since,
            ),
        )
        suffix = "" if reminder == 1 else f":{reminder}"
        return await self.notifier.card_to_person(
            approver.id,
            card,
            key=f"{approver_key(view.id)}:reminder{suffix}",
            entity=(ENTITY, str(view.id)),
        )

    async def _escalate(self, request_id: int) -> int:
        """A notice to each AMK and other leader of the unit; how many got it."""
        async with self.db.reading() as connection:
            loaded = await lone_work.load(connection, request_id)
            if loaded is None or loaded.request.approver_id is None:
                return 0
            request, view = loaded.request, loaded_view(loaded)
            told = {
                person.id: person
                for role in (Role.AMK, Role.LEADER)
                for person in await org.holders(connection, request.unit_id, role)
                if person.id not in (request.approver_id, request.requester_id)
            }
        delivered = 0
        for person in told.values():
            lang = person_lang(person)
            since = format_datetime(lang, view.created_at) if view.created_at else ""
            card = notice_card(
                t(lang, "lone_work.escalation.title"),
                t(
                    lang,
                    "lone_work.escalation",
                    number=view.number,
                    requester=plain(view.requester),
                    approver=plain(view.approver or ""),
                    since=since,
                ),
            )
            delivered += await self.notifier.card_to_person(
                person.id,
                card,
                key=f"lone_work:escalation:{request_id}:{person.id}",
                entity=(ESCALATION, str(request_id)),
            )
        if not told:
            log.info("lone-work request %s has no AMK or other leader to tell", request_id)
        return delivered


def _reminder_key(request_id: int, reminder: int) -> str:
    """The first reminder keeps the key it always had."""
    return f"lone_work:reminder:{request_id}" + ("" if reminder == 1 else f":{reminder}")
