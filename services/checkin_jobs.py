"""Scheduled check-in work: prompts, second prompts and escalations, each sent exactly once.

Every step is claimed in `job_run` under `checkin:<session>:<step>` (`prompt:<round>`,
`reminder:<round>`, `alarm:<alarm>:<round>`) before it is sent and written to the timeline,
so restarts and several instances never send a step twice. The steps go out in order
(`domain.checkins.step_due`): a bot that was down sends the first step it missed at its
first tick back, and the worker gets the usual time to answer before the next.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta
from functools import partial

from cards.checkins import alarm_card, session_card
from cards.common import notice_card
from domain.checkins import (
    GRACE,
    PROMPT_LEAD,
    UNREACHED_AFTER,
    AlarmReason,
    EventKind,
    SessionStatus,
    SessionView,
    Step,
    alarm_due,
    alarm_round,
    allowed_interval,
    answer_by,
    check_underway,
    round_started,
    step_due,
)
from domain.i18n import t
from services.claimed import send_once
from services.lone_work_views import PersonLike, person_lang
from services.ports import Notifier
from storage import checkin_people, checkins, org, rows
from storage.audit import audited
from storage.db import Database
from storage.rows import PersonRow

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)
SESSION_ENTITY = "checkin_session"
ALARM_ENTITY = "checkin_alarm"


def worker_key(session_id: int, step: str) -> str:
    return f"checkin:{session_id}:{step}"


def alarm_key(session_id: int, alarm_seq: int, round_: int, person_id: int) -> str:
    """The dedupe key of one person's alarm card in one escalation round."""
    return worker_key(session_id, f"alarm:{alarm_seq}:{round_}:to:{person_id}")


def alarm_entity(session_id: int, alarm_seq: int) -> tuple[str, str]:
    return (ALARM_ENTITY, f"{session_id}:{alarm_seq}")


def view_of(loaded: checkins.Loaded) -> SessionView:
    """The session as its cards show it."""
    checkin, request, worker, handler = (
        loaded.checkin,
        loaded.request,
        loaded.worker,
        loaded.handler,
    )
    return SessionView(
        id=checkin.id,
        request_id=request.id,
        number=request.number,
        worker=org.describe_person(worker) if worker else "",
        worker_id=checkin.worker_id,
        unit=loaded.unit_name or "",
        unit_id=request.unit_id,
        task=request.task,
        location=f"{request.campus}, {request.building}, {request.room}",
        emergency_name=request.emergency_name,
        emergency_phone=request.emergency_phone,
        interval_minutes=checkin.interval_minutes,
        max_interval_minutes=allowed_interval(request.checkin_interval_minutes),
        started_at=checkin.started_at,
        ends_at=checkin.ends_at,
        limit_at=request.expires_at,
        due_at=checkin.due_at,
        round=checkin.round,
        status=SessionStatus(checkin.status),
        alarm_seq=checkin.alarm_seq,
        alarm_reason=AlarmReason(checkin.alarm_reason) if checkin.alarm_reason else None,
        alarm_started_at=checkin.alarm_started_at,
        last_ok_at=checkin.last_ok_at,
        handled_by=org.describe_person(handler) if handler else None,
        handled_at=checkin.handled_at,
        finished_at=checkin.finished_at,
    )


def alarm_renderer(
    view: SessionView, alarm_seq: int, readers: Mapping[int, PersonLike]
) -> Callable[[str], dict[str, object] | None]:
    """Each posted copy of an alarm card, re-rendered for its reader."""

    def render(key: str) -> dict[str, object] | None:
        try:
            parts = key.split(":")
            person_id = int(parts[-1])
            round_ = int(parts[4])
        except (IndexError, ValueError):
            return None
        reader = readers.get(person_id)
        if reader is None:
            return None
        return alarm_card(person_lang(reader), view, alarm_seq=alarm_seq, round=round_)

    return render


class CheckinJob:
    """Looks after every open session on each tick; `process` also runs right after "Need
    help" so the alarm goes out at once."""

    name = "checkins"

    def __init__(self, db: Database, notifier: Notifier) -> None:
        self.db = db
        self.notifier = notifier

    async def run(self, now: datetime) -> None:
        await self.close_ended(now)
        async with self.db.reading() as connection:
            ids = await checkins.open_ids(connection)
        for session_id in ids:
            try:
                await self.process(session_id, now)
            except Exception:
                log.exception("check-in session %s failed; retried on the next tick", session_id)

    async def close_ended(self, now: datetime, *, request_id: int | None = None) -> None:
        """Close the sessions whose approval was revoked or has expired, telling each worker
        (the same tick as the expiry; right after the answer for a revocation). A session in
        alarm keeps its alarm and closes once the alarm is handled; one whose worker is being
        asked closes once they answer (or its alarm is handled)."""
        async with self.db.reading() as connection:
            ids = await checkins.ended_with_approval(connection, now, request_id=request_id)
        for session_id in ids:
            try:
                await send_once(
                    self.db,
                    worker_key(session_id, "closed"),
                    partial(self._close, session_id, now),
                    lease=LEASE,
                    retry_if=lambda closed: not closed,
                    retry_reason="session changed",
                )
            except Exception:
                log.exception("closing check-in session %s failed; retried", session_id)

    async def _close(self, session_id: int, now: datetime) -> bool:
        """Tell the worker first, then close: a crash in between tells again under the same
        key (sent once) and closes on the next try. False: not closed (changed meanwhile, or
        in alarm), so the claim is given back for a later tick."""
        async with self.db.reading() as connection:
            loaded = await checkins.load(connection, session_id)
        if loaded is None:
            return True
        checkin = loaded.checkin
        reason = checkins.approval_ended(loaded.request, now)
        if reason is None or checkin.status == SessionStatus.FINISHED.value:
            return True
        if checkin.status == SessionStatus.ALARM.value:
            return False  # the alarm goes on; the session closes once it is handled
        if checkin.status == SessionStatus.ACTIVE.value and check_underway(checkin.due_at, now):
            return False  # the worker is being asked: closes once they answer
        view = view_of(loaded).model_copy(
            update={"status": SessionStatus.FINISHED, "finished_at": now}
        )
        worker = loaded.worker
        card: dict[str, object] | None = None
        if worker is not None:
            lang = person_lang(worker)
            text = t(lang, f"checkins.closed.{reason}", number=view.number)
            card = session_card(lang, view, notice=text)
            await self.notifier.card_to_person(
                worker.id,
                card,
                key=worker_key(session_id, "closed"),
                entity=(SESSION_ENTITY, str(session_id)),
            )
        async with audited(self.db) as connection:
            current = await checkins.get(connection, session_id)
            if current is None:
                return True
            closed = await checkins.close_with_approval(connection, current, reason=reason, now=now)
            if closed is None:
                # In alarm, or changed meanwhile: done only if it has finished already.
                again = await checkins.get(connection, session_id)
                return again is None or again.status == SessionStatus.FINISHED.value
        if card is not None:
            shown = card
            await self.notifier.update_cards((SESSION_ENTITY, str(session_id)), lambda _: shown)
        return True

    async def process(self, session_id: int, now: datetime) -> None:
        async with self.db.reading() as connection:
            checkin = await checkins.get(connection, session_id)
            if checkin is None:
                return
            status = SessionStatus(checkin.status)
            sent = await checkins.asked(connection, checkin)
            step, at = step_due(
                status=status,
                due_at=checkin.due_at,
                now=now,
                prompted_at=sent.prompted_at,
                reminded_at=sent.reminded_at,
            )
            round_ = checkin.round
        if step is Step.PROMPT:
            await self._once(
                worker_key(session_id, f"prompt:{round_}"),
                lambda: self._ask(session_id, round_, "prompt", now),
            )
            return
        if step is Step.REMINDER:
            await self._once(
                worker_key(session_id, f"reminder:{round_}"),
                lambda: self._ask(session_id, round_, "reminder", now),
            )
            return
        if step is Step.ALARM and at is not None:
            async with audited(self.db) as connection:
                checkin = await checkins.get(connection, session_id)
                if checkin is not None and checkin.round == round_:
                    await checkins.raise_alarm(
                        connection, checkin, reason=AlarmReason.MISSED, started_at=at, now=now
                    )
        await self._escalate_if_due(session_id, now)

    async def _escalate_if_due(self, session_id: int, now: datetime) -> None:
        async with self.db.reading() as connection:
            checkin = await checkins.get(connection, session_id)
            if checkin is None or checkin.status != SessionStatus.ALARM.value:
                return
            started = checkin.alarm_started_at or now
            alarm_seq = checkin.alarm_seq
        round_ = alarm_round(started_at=started, now=now)
        await self._once(
            worker_key(session_id, f"alarm:{alarm_seq}:{round_}"),
            lambda: self._escalate(session_id, alarm_seq, round_, now),
        )
        passing_over = round_started(started_at=started, round=round_) + UNREACHED_AFTER
        if self.notifier.reaches_without_chat and now >= passing_over:
            await self._pass_over_unreached(session_id, alarm_seq, round_)

    async def _once(self, key: str, work: Callable[[], Awaitable[int]]) -> None:
        await send_once(self.db, key, work, lease=LEASE)

    async def _ask(self, session_id: int, round_: int, kind: str, now: datetime) -> int:
        """The "All OK?" card (or the second prompt) to the worker, logged once."""
        async with audited(self.db) as connection:
            loaded = await checkins.load(connection, session_id)
            if loaded is None or loaded.checkin.round != round_:
                return 0
            checkin = loaded.checkin
            if checkin.status != SessionStatus.ACTIVE.value:
                return 0
            earlier = await checkins.asked(connection, checkin)
            prompted_at = earlier.prompted_at or now
            reminded_at = now if kind == "reminder" else prompted_at + PROMPT_LEAD + GRACE
            view = view_of(loaded).model_copy(
                update={
                    "answer_by": answer_by(checkin.due_at, prompted_at),
                    "alarm_at": alarm_due(checkin.due_at, prompted_at, reminded_at),
                }
            )
            worker = loaded.worker
            await checkins.log(
                connection,
                checkin,
                EventKind.PROMPT if kind == "prompt" else EventKind.REMINDER,
                actor_id=None,
                now=now,
                detail={"check": round_},
            )
        if worker is None:
            return 0
        sent = await self.notifier.card_to_person(
            worker.id,
            session_card(person_lang(worker), view, kind=kind),
            key=worker_key(session_id, f"{kind}:{round_}"),
            entity=(SESSION_ENTITY, str(session_id)),
        )
        return int(sent)

    async def _escalate(self, session_id: int, alarm_seq: int, round_: int, now: datetime) -> int:
        """One escalation round: a card to every responder, logged once."""
        async with audited(self.db) as connection:
            loaded = await checkins.load(connection, session_id)
            if loaded is None or loaded.checkin.alarm_seq != alarm_seq:
                return 0
            checkin, request = loaded.checkin, loaded.request
            if checkin.status != SessionStatus.ALARM.value:
                return 0
            await checkin_people.picked_contact(connection, request)
            people = await checkin_people.responders(connection, checkin, request)
            view = view_of(loaded)
            await checkins.log(
                connection,
                checkin,
                EventKind.ESCALATED,
                actor_id=None,
                now=now,
                detail={
                    "alarm": alarm_seq,
                    "round": round_,
                    "to": [person.id for person in people],
                },
            )
        delivered = 0
        for person in people:
            if await self.notifier.card_to_person(
                person.id,
                alarm_card(person_lang(person), view, alarm_seq=alarm_seq, round=round_),
                key=alarm_key(session_id, alarm_seq, round_, person.id),
                entity=alarm_entity(session_id, alarm_seq),
            ):
                delivered += 1
        if people and not delivered:
            log.warning("alarm %s of check-in session %s reached nobody", alarm_seq, session_id)
        return delivered

    async def _pass_over_unreached(self, session_id: int, alarm_seq: int, round_: int) -> None:
        """A minute into an escalation round, each responder whose alarm card has not
        arrived (the bot is being installed for them, Teams has not reported the chat) is
        passed over: the next person on the ladder is alarmed, and the worker's approver is
        told. Each pass-over is done once."""
        async with self.db.reading() as connection:
            loaded = await checkins.load(connection, session_id)
            if loaded is None or loaded.checkin.alarm_seq != alarm_seq:
                return
            checkin, request = loaded.checkin, loaded.request
            if checkin.status != SessionStatus.ALARM.value:
                return
            people = await checkin_people.ladder(connection, checkin, request)
            alarmed = len(await checkin_people.responders(connection, checkin, request))
            view = view_of(loaded)
            approver_id = request.approver_id or request.decided_by_id
            approver = await rows.person(connection, approver_id) if approver_id else None
        delivered = {
            post.dedupe_key
            for post in await self.notifier.sent(alarm_entity(session_id, alarm_seq))
        }
        unreached = [
            person
            for person in people[:alarmed]
            if alarm_key(session_id, alarm_seq, round_, person.id) not in delivered
        ]
        standby = people[alarmed:]
        for index, person in enumerate(unreached):
            next_person = standby[index] if index < len(standby) else None
            await self._once(
                worker_key(session_id, f"unreached:{alarm_seq}:{round_}:{person.id}"),
                partial(self._pass_over, view, alarm_seq, round_, person, next_person, approver),
            )

    async def _pass_over(
        self,
        view: SessionView,
        alarm_seq: int,
        round_: int,
        unreached: PersonRow,
        next_person: PersonRow | None,
        approver: PersonRow | None,
    ) -> int:
        log.warning(
            "alarm %s of check-in session %s has not reached person %s; passed over",
            alarm_seq,
            view.id,
            unreached.id,
        )
        if next_person is not None:
            await self.notifier.card_to_person(
                next_person.id,
                alarm_card(person_lang(next_person), view, alarm_seq=alarm_seq, round=round_),
                key=alarm_key(view.id, alarm_seq, round_, next_person.id),
                entity=alarm_entity(view.id, alarm_seq),
            )
        if approver is None or approver.id == unreached.id:
            return int(next_person is not None)
        lang = person_lang(approver)
        who = org.describe_person(unreached)
        text = (
            t(
                lang,
                "checkins.alarm.unreached",
                worker=view.worker,
                who=who,
                next=org.describe_person(next_person),
            )
            if next_person is not None
            else t(lang, "checkins.alarm.unreached_nobody_next", worker=view.worker, who=who)
        )
        await self.notifier.card_to_person(
            approver.id,
            notice_card(t(lang, "checkins.alarm.unreached.title"), text),
            key=worker_key(view.id, f"unreached:{alarm_seq}:{round_}:{unreached.id}:approver"),
            entity=(SESSION_ENTITY, str(view.id)),
        )
        return 1
