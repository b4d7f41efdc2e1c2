"""Check-in sessions on the database and the notifier (`dialogs.checkins.CheckinServices`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cards.checkins import alarm_card, session_card
from cards.common import Card, plain
from domain.actor import Speaker
from domain.checkins import AlarmReason, SessionStatus, SessionView
from domain.i18n import Lang, format_datetime, t
from domain.ids import CardId, MaybeCardId
from services.actions import CardData, InputText, Verb
from services.checkin_jobs import (
    SESSION_ENTITY,
    CheckinJob,
    alarm_entity,
    alarm_renderer,
    view_of,
    worker_key,
)
from services.lone_work_views import person_lang
from services.ports import Notifier
from storage import checkin_people, checkins, rows
from storage.audit import AuditedConnection, audited
from storage.db import Database, HotConnection
from storage.models import utcnow
from storage.rows import PersonRow


def _int(value: Any) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


class StartCheckin(CardData):
    """The approved request's Start button (none: the speaker's request that can start)."""

    request_id: MaybeCardId = None


class SessionAction(CardData):
    """A button on the worker's session card."""

    session_id: CardId


class CheckOk(SessionAction):
    interval: InputText = ""


class Extend(SessionAction):
    extend_minutes: InputText = ""


class HandleAlarm(SessionAction):
    """A responder's Handle on one alarm (`alarm`: its number; none: the current one)."""

    alarm: int | None = None


Said = tuple[str | None, bool]
"""A step's notice for the worker, and whether it is good news."""
Saying = Callable[[SessionView], Said]
"""A step's notice, from the session as it stands after the step."""
Step = Callable[[AuditedConnection, checkins.Loaded, datetime], Awaitable[Saying]]
"""One of the worker's buttons, in the caller's transaction."""


@dataclass(frozen=True)
class Stepped:
    """A session after one of the worker's buttons."""

    view: SessionView
    now: datetime
    alarm_before: int | None
    notice: str | None
    good: bool

    def card(self, lang: Lang) -> Card:
        return session_card(lang, self.view, notice=self.notice, good=self.good)


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
        async with audited(self.db) as connection:
            existing = await checkins.open_of(connection, speaker.person_id)
            if existing is not None:
                view = await self._view(connection, existing.id)
                return session_card(lang, view, notice=t(lang, "checkins.already_open"))
            request = await checkins.startable(
                connection, speaker.person_id, now, request_id=request_id
            )
            if request is None:
                return t(lang, "checkins.none")
            started = await checkins.start(
                connection, request, worker_id=speaker.person_id, now=now
            )
            view = await self._view(connection, started.checkin.id)
        if not started.created:
            return session_card(lang, view, notice=t(lang, "checkins.already_open"))
        return session_card(lang, view)

    def verbs(self) -> list[Verb[Any]]:
        """The requester card's Start, the session card's buttons, the alarm's Handle."""
        return [
            Verb("checkin.start", StartCheckin, self.start_from_card),
            Verb("checkin.ok", CheckOk, self.check_ok),
            Verb("checkin.extend", Extend, self.extend),
            Verb("checkin.finish", SessionAction, self.finish),
            Verb("checkin.help", SessionAction, self.call_for_help),
            Verb("checkin.handle", HandleAlarm, self.handle),
        ]

    async def start_from_card(self, speaker: Speaker, action: StartCheckin) -> Card | str:
        if speaker.person_id is None:
            return t(speaker.lang, "error.not_allowed")
        return await self.start(speaker, action.request_id)

    async def check_ok(self, speaker: Speaker, action: CheckOk) -> Card | str:
        """The worker is fine: the next check-in is due after the (chosen) interval."""
        lang = speaker.lang

        async def step(
            connection: AuditedConnection, loaded: checkins.Loaded, now: datetime
        ) -> Saying:
            await checkins.check_ok(
                connection, loaded.checkin, loaded.request, now=now, interval=_int(action.interval)
            )
            return lambda view: (
                t(lang, "checkins.ok.done", due=format_datetime(lang, view.due_at)),
                True,
            )

        stepped = await self._step(speaker, action.session_id, "checkin.ok", step)
        if not isinstance(stepped, Stepped):
            return stepped
        self._alarm_over(stepped)
        return stepped.card(lang)

    async def extend(self, speaker: Speaker, action: Extend) -> Card | str:
        """More time, within the approved request's end."""
        lang = speaker.lang

        async def step(
            connection: AuditedConnection, loaded: checkins.Loaded, now: datetime
        ) -> Saying:
            minutes = max(5, min(_int(action.extend_minutes) or 30, 240))
            if await checkins.extend(
                connection, loaded.checkin, loaded.request, minutes=minutes, now=now
            ):
                return lambda view: (
                    t(lang, "checkins.extend.done", ends=format_datetime(lang, view.ends_at)),
                    True,
                )
            return lambda view: (
                t(lang, "checkins.extend.limit", limit=format_datetime(lang, view.limit_at)),
                False,
            )

        stepped = await self._step(speaker, action.session_id, "checkin.extend", step)
        return stepped.card(lang) if isinstance(stepped, Stepped) else stepped

    async def finish(self, speaker: Speaker, action: SessionAction) -> Card | str:
        """The work is over: the session ends, and every card about it says so."""

        async def step(
            connection: AuditedConnection, loaded: checkins.Loaded, now: datetime
        ) -> Saying:
            await checkins.finish(connection, loaded.checkin, now=now)
            return lambda _view: (None, True)

        stepped = await self._step(speaker, action.session_id, "checkin.finish", step)
        if not isinstance(stepped, Stepped):
            return stepped
        self._alarm_over(stepped)
        self.notifier.later(self._update_worker_cards(stepped.view), name="checkin.finished")
        return stepped.card(speaker.lang)

    async def call_for_help(self, speaker: Speaker, action: SessionAction) -> Card | str:
        """The worker asks for help: an alarm now, sent to the responders after the answer."""
        lang = speaker.lang

        async def step(
            connection: AuditedConnection, loaded: checkins.Loaded, now: datetime
        ) -> Saying:
            await checkins.raise_alarm(
                connection, loaded.checkin, reason=AlarmReason.HELP, started_at=now, now=now
            )
            return lambda _view: (t(lang, "checkins.help.done"), False)

        stepped = await self._step(speaker, action.session_id, "checkin.help", step)
        if not isinstance(stepped, Stepped):
            return stepped
        self.notifier.later(self.job.process(action.session_id, stepped.now), name="checkin.help")
        return stepped.card(lang)

    async def handle(self, speaker: Speaker, action: HandleAlarm) -> Card | str:
        if speaker.person_id is None:
            return t(speaker.lang, "error.not_allowed")
        return await self._handle(speaker, action.session_id, action.alarm)

    async def _step(
        self,
        speaker: Speaker,
        session_id: int,
        verb: str,
        step: Step,
    ) -> Stepped | Card | str:
        """One of the worker's buttons on their open session, in one transaction; the
        answer itself when it is someone else's session, unknown or already finished."""
        lang = speaker.lang
        if speaker.person_id is None:
            return t(lang, "error.not_allowed")
        now = self.clock()
        async with audited(self.db) as connection:
            loaded = await checkins.load(connection, session_id)
            if loaded is None:
                return t(lang, "checkins.not_found")
            checkin = loaded.checkin
            if checkin.worker_id != speaker.person_id:
                await checkins.refuse(connection, checkin.id, actor_id=speaker.person_id, verb=verb)
                return t(lang, "checkins.not_yours")
            if checkin.status == SessionStatus.FINISHED.value:
                return session_card(lang, view_of(loaded))
            alarm_before = (
                checkin.alarm_seq if checkin.status != SessionStatus.ACTIVE.value else None
            )
            saying = await step(connection, loaded, now)
            view = await self._view(connection, session_id)
        notice, good = saying(view)
        return Stepped(view, now, alarm_before, notice, good)

    @staticmethod
    async def _view(connection: HotConnection, session_id: int) -> SessionView:
        """The session as it now stands in the caller's transaction (it is never deleted
        while open)."""
        loaded = await checkins.load(connection, session_id)
        assert loaded is not None
        return view_of(loaded)

    def _alarm_over(self, stepped: Stepped) -> None:
        """An alarm that was running is over: its responders' cards say so (after the answer)."""
        if stepped.alarm_before is not None:
            self.notifier.later(
                self._update_alarm_cards(stepped.view, stepped.alarm_before), name="checkin.over"
            )

    async def _handle(self, speaker: Speaker, session_id: int, alarm_seq: int | None) -> Card | str:
        assert speaker.person_id is not None
        lang = speaker.lang
        now = self.clock()
        async with audited(self.db) as connection:
            loaded = await checkins.load(connection, session_id)
            if loaded is None:
                return t(lang, "checkins.not_found")
            checkin = loaded.checkin
            if not await checkin_people.may_handle(
                connection, checkin, loaded.request, speaker.person_id
            ):
                await checkins.refuse(
                    connection, checkin.id, actor_id=speaker.person_id, verb="checkin.handle"
                )
                return t(lang, "checkins.not_responder")
            seq = alarm_seq or checkin.alarm_seq
            changed = seq == checkin.alarm_seq and (
                await checkins.handle(connection, checkin, actor_id=speaker.person_id, now=now)
                is not None
            )
            view = await self._view(connection, session_id)
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

    async def _readers(self, ids: set[int]) -> dict[int, PersonRow]:
        async with self.db.reading() as connection:
            return await rows.people(connection, ids)

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
