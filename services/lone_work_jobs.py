"""Scheduled lone-work work: expire ended approvals, remind approvers once after 2 working days."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from cards.common import plain
from cards.lone_work import approval_card
from domain.i18n import format_datetime, t
from services.claimed import send_once
from services.lone_work_views import (
    approver_key,
    card_renderer,
    person_lang,
    view_and_people,
    views_and_people,
)
from services.ports import Notifier
from storage import lone_work, lone_work_decisions, lone_work_lists
from storage.db import Database
from storage.lone_work import ENTITY

log = logging.getLogger(__name__)


class LoneWorkExpiry:
    """Approvals expire at their end; their cards say so."""

    name = "lone_work.expiry"

    def __init__(self, db: Database, notifier: Notifier) -> None:
        self.db = db
        self.notifier = notifier

    async def run(self, now: datetime) -> None:
        async with self.db.transaction() as session:
            expired = await lone_work_decisions.expire_due(session, now)
            views, people = await views_and_people(session, expired)
        for view in views:
            requester = people.get(view.requester_id)
            approver = people.get(view.approver_id) if view.approver_id else None
            await self.notifier.update_cards(
                (ENTITY, str(view.id)), card_renderer(view, requester, approver)
            )


class LoneWorkReminders:
    """One reminder to the approver of a request unanswered for 2 working days."""

    name = "lone_work.reminders"

    def __init__(self, db: Database, notifier: Notifier) -> None:
        self.db = db
        self.notifier = notifier

    async def run(self, now: datetime) -> None:
        async with self.db.sessions() as session:
            waiting = await lone_work_lists.waiting_too_long(session, now)
            ids = [request.id for request in waiting]
        for request_id in ids:
            await send_once(
                self.db,
                f"lone_work:reminder:{request_id}",
                partial(self._remind, request_id),
                lease=timedelta(minutes=10),
            )

    async def _remind(self, request_id: int) -> bool:
        async with self.db.sessions() as session:
            request = await lone_work.get(session, request_id)
            if request is None or request.approver_id is None:
                return False
            view, people = await view_and_people(session, request)
        approver = people.get(request.approver_id)
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
                "lone_work.reminder",
                requester=plain(view.requester),
                number=view.number,
                since=since,
            ),
        )
        return await self.notifier.card_to_person(
            approver.id,
            card,
            key=f"{approver_key(view.id)}:reminder",
            entity=(ENTITY, str(view.id)),
        )
