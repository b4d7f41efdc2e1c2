"""Check-in sessions on the database and the notifier (`dialogs.checkins.CheckinServices`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from cards.checkins import alarm_card, session_card
from cards.common import Card, plain
from domain.actor import Speaker
from domain.checkins import AlarmReason, SessionStatus, SessionView
from domain.i18n import format_datetime, t
from domain.ids import row_id
from services.checkin_jobs import (
    SESSION_ENTITY,
    CheckinJob,
    alarm_entity,
    alarm_renderer,
    view_of,
    worker_key,
)
from services.lone_work import person_lang
from services.ports import Notifier
from storage import checkins
from storage.db import Database
from storage.models import Person, utcnow


def _int(value: Any) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


class DatabaseCheckinServices:
    """Start a session and answer its card actions: one transaction each, messages after."""

    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.notifier = notifier
        self.clock = clock
        self.job = CheckinJob(db, notifier)

    async def start(self, speaker: Speaker, request_id: int | None) -> Card | str:
        lang = speaker.lang
        if speaker.person_id is None:
            return t(lang, "error.not_allowed")
        now = self.clock()
        async with self.db.transaction() as session:
            existing = await checkins.open_of(session, speaker.person_id)
            if existing is not None:
                view = await view_of(session, existing)
                return session_card(lang, view, notice=t(lang, "checkins.already_open"))
            request = await checkins.startable(
                session, speaker.person_id, now, request_id=request_id
            )
            if request is None:
                return t(lang, "checkins.none")
            started = await checkins.start(session, request, worker_id=speaker.person_id, now=now)
            view = await view_of(session, started.checkin)
        if not started.created:
            return session_card(lang, view, notice=t(lang, "checkins.already_open"))
        return session_card(lang, view)

    async def action(self, speaker: Speaker, verb: str, data: dict[str, Any]) -> Card | str:
        lang = speaker.lang
        if speaker.person_id is None:
            return t(lang, "error.not_allowed")
        if verb == "checkin.start":
            return await self.start(speaker, row_id(data.get("request_id")))
        session_id = row_id(data.get("session_id"))
        if session_id is None:
            return t(lang, "card.invalid_input")
        if verb == "checkin.handle":
            return await self._handle(speaker, session_id, _int(data.get("alarm")))
        now = self.clock()
        async with self.db.transaction() as session:
            checkin = await checkins.get(session, session_id)
            if checkin is None:
                return t(lang, "checkins.not_found")
            if checkin.worker_id != speaker.person_id:
                await checkins.refuse(session, checkin, actor_id=speaker.person_id, verb=verb)
                return t(lang, "checkins.not_yours")
            if checkin.status == SessionStatus.FINISHED.value:
                return session_card(lang, await view_of(session, checkin))
            alarm_before = (
                checkin.alarm_seq if checkin.status != SessionStatus.ACTIVE.value else None
            )
            notice: str | None = None
            good = True
            if verb == "checkin.ok":
                await checkins.check_ok(
                    session, checkin, now=now, interval=_int(data.get("interval"))
                )
                notice = t(lang, "checkins.ok.done", due=format_datetime(lang, checkin.due_at))
            elif verb == "checkin.extend":
                minutes = _int(data.get("extend_minutes")) or 30
                if await checkins.extend(
                    session, checkin, minutes=max(5, min(minutes, 240)), now=now
                ):
                    notice = t(
                        lang, "checkins.extend.done", ends=format_datetime(lang, checkin.ends_at)
                    )
                else:
                    good = False
                    request_end = (await view_of(session, checkin)).limit_at
                    notice = t(
                        lang, "checkins.extend.limit", limit=format_datetime(lang, request_end)
                    )
            elif verb == "checkin.finish":
                await checkins.finish(session, checkin, now=now)
            elif verb == "checkin.help":
                await checkins.raise_alarm(
                    session, checkin, reason=AlarmReason.HELP, started_at=now, now=now
                )
                notice, good = t(lang, "checkins.help.done"), False
            view = await view_of(session, checkin)
        if verb == "checkin.help":
            self.notifier.later(self.job.process(session_id, now), name="checkin.help")
        elif alarm_before is not None and verb in ("checkin.ok", "checkin.finish"):
            self.notifier.later(self._update_alarm_cards(view, alarm_before), name="checkin.over")
        if verb == "checkin.finish":
            self.notifier.later(self._update_worker_cards(view), name="checkin.finished")
        return session_card(lang, view, notice=notice, good=good)

    async def _handle(self, speaker: Speaker, session_id: int, alarm_seq: int | None) -> Card | str:
        assert speaker.person_id is not None
        lang = speaker.lang
        now = self.clock()
        async with self.db.transaction() as session:
            checkin = await checkins.get(session, session_id)
            if checkin is None:
                return t(lang, "checkins.not_found")
            if not await checkins.may_handle(session, checkin, speaker.person_id):
                await checkins.refuse(
                    session, checkin, actor_id=speaker.person_id, verb="checkin.handle"
                )
                return t(lang, "checkins.not_responder")
            seq = alarm_seq or checkin.alarm_seq
            changed = seq == checkin.alarm_seq and await checkins.handle(
                session, checkin, actor_id=speaker.person_id, now=now
            )
            view = await view_of(session, checkin)
        card = alarm_card(lang, view, alarm_seq=seq, round=1)
        if changed:
            self.notifier.later(self._after_handled(view, seq), name="checkin.handled")
            return card
        if view.status is SessionStatus.HANDLED and view.handled_at and seq == view.alarm_seq:
            return t(
                lang,
                "checkins.already_handled",
                name=view.handled_by or "",
                when=format_datetime(lang, view.handled_at),
            )
        return card

    async def _readers(self, ids: set[int]) -> dict[int, Person]:
        async with self.db.sessions() as session:
            return {
                person.id: person
                for person_id in ids
                if (person := await session.get(Person, person_id)) is not None
            }

    async def _update_alarm_cards(self, view: SessionView, alarm_seq: int) -> None:
        posts = await self.notifier.sent(alarm_entity(view.id, alarm_seq))
        ids = {_int(post.dedupe_key.split(":")[-1]) for post in posts}
        readers = await self._readers({i for i in ids if i is not None})
        await self.notifier.update_posts(posts, alarm_renderer(view, alarm_seq, readers))

    async def _after_handled(self, view: SessionView, alarm_seq: int) -> None:
        await self._update_alarm_cards(view, alarm_seq)
        readers = await self._readers({view.worker_id})
        worker = readers.get(view.worker_id)
        if worker is None:
            return
        lang = person_lang(worker)
        await self.notifier.card_to_person(
            worker.id,
            session_card(
                lang,
                view,
                kind="handled",
                notice=t(lang, "checkins.handled.message", name=plain(view.handled_by or "")),
                good=True,
            ),
            key=worker_key(view.id, f"handled:{alarm_seq}"),
            entity=(SESSION_ENTITY, str(view.id)),
        )

    async def _update_worker_cards(self, view: SessionView) -> None:
        readers = await self._readers({view.worker_id})
        worker = readers.get(view.worker_id)
        if worker is None:
            return
        card = session_card(person_lang(worker), view)
        await self.notifier.update_cards((SESSION_ENTITY, str(view.id)), lambda _key: card)
