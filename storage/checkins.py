"""Check-in sessions: one function per step, each inside the caller's transaction.

Every change is a conditional UPDATE on the state the caller read (status, round, alarm), so
two clicks, two instances or a click racing the scheduler change a session once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.audit import person_actor
from domain.checkins import (
    PROMPT_LEAD,
    AlarmReason,
    EventKind,
    SessionStatus,
    allowed_interval,
    expected_end,
    next_due,
)
from domain.lone_work import Schedule, Status
from domain.org import Role
from storage import audit, org, rows
from storage.checkin_models import CheckinEvent, CheckinSession
from storage.lone_work_models import LoneWorkRequest
from storage.models import Person
from storage.rows import PersonRow

ENTITY = "checkin_session"
OPEN = (SessionStatus.ACTIVE.value, SessionStatus.ALARM.value, SessionStatus.HANDLED.value)


async def log(
    session: AsyncSession,
    checkin: CheckinSession,
    kind: EventKind,
    *,
    actor_id: int | None,
    now: datetime,
    detail: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
) -> None:
    """One timeline entry and its audit event."""
    session.add(
        CheckinEvent(
            session_id=checkin.id, at=now, kind=kind.value, actor_id=actor_id, detail=detail or {}
        )
    )
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action=f"checkin.{kind.value}",
        entity_type=ENTITY,
        entity_id=checkin.id,
        before=before,
        after={**checkin.snapshot(), **(detail or {})},
    )


async def refuse(
    session: AsyncSession, checkin: CheckinSession, *, actor_id: int, verb: str
) -> None:
    """Audit a click on a session's card by someone it is not for (`<verb>.refused`)."""
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action=f"{verb}.refused",
        entity_type=ENTITY,
        entity_id=checkin.id,
        after={"reason": "not_allowed"},
    )


async def get(session: AsyncSession, session_id: int) -> CheckinSession | None:
    return await session.get(CheckinSession, session_id, populate_existing=True)


async def open_of(session: AsyncSession, worker_id: int) -> CheckinSession | None:
    return (
        await session.scalars(
            select(CheckinSession).where(CheckinSession.open_worker_id == worker_id)
        )
    ).one_or_none()


async def startable(
    session: AsyncSession, worker_id: int, now: datetime, *, request_id: int | None = None
) -> LoneWorkRequest | None:
    """The worker's approved, running request (the given one, or the one ending first)."""
    query = select(LoneWorkRequest).where(
        LoneWorkRequest.requester_id == worker_id,
        LoneWorkRequest.status == Status.APPROVED.value,
        LoneWorkRequest.expires_at > now,
        LoneWorkRequest.starts_at <= now + timedelta(hours=1),
    )
    if request_id is not None:
        query = query.where(LoneWorkRequest.id == request_id)
    return (await session.scalars(query.order_by(LoneWorkRequest.expires_at).limit(1))).first()


@dataclass
class Started:
    checkin: CheckinSession
    created: bool


async def start(
    session: AsyncSession, request: LoneWorkRequest, *, worker_id: int, now: datetime
) -> Started:
    """Open a session (or return the worker's open one: each has at most one)."""
    existing = await open_of(session, worker_id)
    if existing is not None:
        return Started(existing, False)
    interval = allowed_interval(request.checkin_interval_minutes)
    recurring = request.schedule == Schedule.RECURRING.value
    ends_at = expected_end(
        now=now,
        expires_at=request.expires_at,
        window_end=request.window_end if recurring else None,
    )
    checkin = CheckinSession(
        request_id=request.id,
        worker_id=worker_id,
        open_worker_id=worker_id,
        interval_minutes=interval,
        started_at=now,
        ends_at=ends_at,
        due_at=next_due(now, interval, ends_at),
        round=1,
        status=SessionStatus.ACTIVE.value,
        alarm_seq=0,
    )
    try:
        async with session.begin_nested():
            session.add(checkin)
    except IntegrityError:
        existing = await open_of(session, worker_id)
        if existing is None:
            raise
        return Started(existing, False)
    await log(
        session,
        checkin,
        EventKind.STARTED,
        actor_id=worker_id,
        now=now,
        detail={"request_id": request.id},
    )
    return Started(checkin, True)


async def _change(session: AsyncSession, checkin: CheckinSession, values: dict[str, Any]) -> bool:
    """Apply `values` if nobody changed the session since it was read."""
    result = await session.execute(
        update(CheckinSession)
        .where(
            CheckinSession.id == checkin.id,
            CheckinSession.status == checkin.status,
            CheckinSession.round == checkin.round,
            CheckinSession.alarm_seq == checkin.alarm_seq,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if not getattr(result, "rowcount", 0):
        await session.refresh(checkin)
        return False
    await session.refresh(checkin)
    return True


async def check_ok(
    session: AsyncSession, checkin: CheckinSession, *, now: datetime, interval: int | None
) -> bool:
    """The worker is OK: the next check-in is one interval away (an alarm ends)."""
    request = await session.get(LoneWorkRequest, checkin.request_id)
    approved = request.checkin_interval_minutes if request else None
    minutes = allowed_interval(approved, interval or checkin.interval_minutes)
    before = checkin.snapshot()
    was = checkin.status
    changed = await _change(
        session,
        checkin,
        {
            "round": checkin.round + 1,
            "status": SessionStatus.ACTIVE.value,
            "interval_minutes": minutes,
            "due_at": next_due(now, minutes, checkin.ends_at),
            "last_ok_at": now,
        },
    )
    if changed:
        await log(
            session,
            checkin,
            EventKind.OK,
            actor_id=checkin.worker_id,
            now=now,
            detail={"was": was},
            before=before,
        )
    return changed


async def extend(
    session: AsyncSession, checkin: CheckinSession, *, minutes: int, now: datetime
) -> bool:
    """Move the expected end, never past the approval's end. False if nothing moved."""
    request = await session.get(LoneWorkRequest, checkin.request_id)
    limit = request.expires_at if request else checkin.ends_at
    new_end = min(max(checkin.ends_at, now) + timedelta(minutes=minutes), limit)
    if new_end <= checkin.ends_at:
        return False
    before = checkin.snapshot()
    due = checkin.due_at
    if checkin.due_at >= checkin.ends_at and checkin.status == SessionStatus.ACTIVE.value:
        due = next_due(now, checkin.interval_minutes, new_end)
    changed = await _change(session, checkin, {"ends_at": new_end, "due_at": due})
    if changed:
        await log(
            session,
            checkin,
            EventKind.EXTENDED,
            actor_id=checkin.worker_id,
            now=now,
            detail={"minutes": minutes},
            before=before,
        )
    return changed


async def finish(session: AsyncSession, checkin: CheckinSession, *, now: datetime) -> bool:
    if checkin.status == SessionStatus.FINISHED.value:
        return False
    before = checkin.snapshot()
    changed = await _change(
        session,
        checkin,
        {"status": SessionStatus.FINISHED.value, "open_worker_id": None, "finished_at": now},
    )
    if changed:
        await log(
            session, checkin, EventKind.FINISHED, actor_id=checkin.worker_id, now=now, before=before
        )
    return changed


async def ended_with_approval(
    session: AsyncSession, now: datetime, *, request_id: int | None = None
) -> list[int]:
    """Open sessions whose approval has ended (revoked, expired, or past its end) and that
    may close now: handled ones, and active ones with no check-in underway
    (`domain.checkins.check_underway`). A session in alarm stays open until it is handled,
    one being asked until the worker answers (or the alarm)."""
    query = (
        select(CheckinSession.id)
        .join(LoneWorkRequest, LoneWorkRequest.id == CheckinSession.request_id)
        .where(
            (CheckinSession.status == SessionStatus.HANDLED.value)
            | (
                (CheckinSession.status == SessionStatus.ACTIVE.value)
                & (CheckinSession.due_at > now + PROMPT_LEAD)
            ),
            (LoneWorkRequest.status != Status.APPROVED.value) | (LoneWorkRequest.expires_at <= now),
        )
        .order_by(CheckinSession.id)
    )
    if request_id is not None:
        query = query.where(CheckinSession.request_id == request_id)
    return list((await session.scalars(query)).all())


def approval_ended(request: LoneWorkRequest, now: datetime) -> str | None:
    """Why a session's approval no longer covers it ("revoked" or "expired"), or None."""
    if request.status == Status.REVOKED.value:
        return "revoked"
    if request.status != Status.APPROVED.value or request.expires_at <= now:
        return "expired"
    return None


async def close_with_approval(
    session: AsyncSession, checkin: CheckinSession, *, reason: str, now: datetime
) -> bool:
    """The approval ended: an active (or handled) session finishes, once; its timeline says
    why. False if the session changed meanwhile or is in alarm."""
    if checkin.status not in (SessionStatus.ACTIVE.value, SessionStatus.HANDLED.value):
        return False
    before = checkin.snapshot()
    changed = await _change(
        session,
        checkin,
        {"status": SessionStatus.FINISHED.value, "open_worker_id": None, "finished_at": now},
    )
    if changed:
        await log(
            session,
            checkin,
            EventKind.FINISHED,
            actor_id=None,
            now=now,
            detail={"reason": reason},
            before=before,
        )
    return changed


async def raise_alarm(
    session: AsyncSession,
    checkin: CheckinSession,
    *,
    reason: AlarmReason,
    started_at: datetime,
    now: datetime,
) -> bool:
    """Missed check-in (scheduler) or "Need help" (worker): the alarm starts, once."""
    if checkin.status == SessionStatus.FINISHED.value:
        return False
    if reason is AlarmReason.MISSED and checkin.status != SessionStatus.ACTIVE.value:
        return False
    if reason is AlarmReason.HELP and checkin.status == SessionStatus.ALARM.value:
        return False
    before = checkin.snapshot()
    changed = await _change(
        session,
        checkin,
        {
            "status": SessionStatus.ALARM.value,
            "alarm_seq": checkin.alarm_seq + 1,
            "alarm_reason": reason.value,
            "alarm_started_at": started_at,
            "handled_by_id": None,
            "handled_at": None,
        },
    )
    if changed:
        kind = EventKind.HELP if reason is AlarmReason.HELP else EventKind.MISSED
        actor = checkin.worker_id if reason is AlarmReason.HELP else None
        await log(session, checkin, kind, actor_id=actor, now=now, before=before)
    return changed


async def handle(
    session: AsyncSession, checkin: CheckinSession, *, actor_id: int, now: datetime
) -> bool:
    """Someone takes the alarm ("I am handling it"): escalation stops, once."""
    if checkin.status != SessionStatus.ALARM.value:
        return False
    before = checkin.snapshot()
    changed = await _change(
        session,
        checkin,
        {"status": SessionStatus.HANDLED.value, "handled_by_id": actor_id, "handled_at": now},
    )
    if changed:
        await log(session, checkin, EventKind.HANDLED, actor_id=actor_id, now=now, before=before)
    return changed


async def open_ids(session: AsyncSession) -> list[int]:
    """Sessions the scheduler looks after (active or in alarm)."""
    rows = await session.scalars(
        select(CheckinSession.id)
        .where(CheckinSession.status.in_([SessionStatus.ACTIVE.value, SessionStatus.ALARM.value]))
        .order_by(CheckinSession.id)
    )
    return list(rows.all())


@dataclass(frozen=True)
class Asked:
    """When the worker was really sent the current check-in's prompt and second prompt."""

    prompted_at: datetime | None = None
    reminded_at: datetime | None = None


async def asked(session: AsyncSession, checkin: CheckinSession) -> Asked:
    """The current round's prompt and second prompt from the timeline (None: not sent)."""
    rows = await session.execute(
        select(CheckinEvent.kind, CheckinEvent.at, CheckinEvent.detail)
        .where(
            CheckinEvent.session_id == checkin.id,
            CheckinEvent.kind.in_([EventKind.PROMPT.value, EventKind.REMINDER.value]),
        )
        .order_by(CheckinEvent.id.desc())
        .limit(2)
    )
    sent = {kind: at for kind, at, detail in rows if (detail or {}).get("check") == checkin.round}
    return Asked(sent.get(EventKind.PROMPT.value), sent.get(EventKind.REMINDER.value))


async def timeline(session: AsyncSession, session_id: int) -> list[CheckinEvent]:
    return list(
        (
            await session.scalars(
                select(CheckinEvent)
                .where(CheckinEvent.session_id == session_id)
                .order_by(CheckinEvent.at, CheckinEvent.id)
            )
        ).all()
    )


async def responders(
    session: AsyncSession, checkin: CheckinSession, request: LoneWorkRequest
) -> list[PersonRow]:
    """Who gets the escalation: the approver, the unit's AMKs and the emergency contact (a
    picked colleague, or exactly one person the bot knows on Teams by the typed name); never
    the worker."""
    people: list[PersonRow] = []
    approver_id = request.approver_id or request.decided_by_id
    if approver_id is not None:
        approver = await rows.person(session, approver_id)
        if approver is not None:
            people.append(approver)
    people.extend(await org.holders(session, request.unit_id, Role.AMK))
    contact = await emergency_person(session, request)
    if contact is not None:
        people.append(contact)
    seen: set[int] = {checkin.worker_id}
    unique: list[PersonRow] = []
    for person in people:
        if person.id not in seen:
            seen.add(person.id)
            unique.append(person)
    return unique


async def ladder(
    session: AsyncSession, checkin: CheckinSession, request: LoneWorkRequest
) -> list[PersonRow]:
    """Who may be alarmed, in order: the responders, then the unit's other leaders, then
    the secretariat (those after the responders are alarmed only for one who cannot be
    reached); never the worker."""
    people = await responders(session, checkin, request)
    seen = {checkin.worker_id, *(person.id for person in people)}
    for person in [
        *await org.holders(session, request.unit_id, Role.LEADER),
        *await org.holders(session, None, Role.SECRETARIAT),
    ]:
        if person.id not in seen:
            seen.add(person.id)
            people.append(person)
    return people


async def emergency_person(session: AsyncSession, request: LoneWorkRequest) -> PersonRow | None:
    """The emergency contact as a person the bot can alarm: the colleague picked in the
    people picker (their row, once `picked_contact` made it), or the one Teams user the bot
    knows by the typed name."""
    if request.emergency_aad_object_id:
        return await org.find_person(session, aad_object_id=request.emergency_aad_object_id)
    name = request.emergency_name.strip()
    if not name:
        return None
    connection = await rows.connection_of(session)
    matches = (
        await connection.execute(
            select(*rows.PERSON_COLUMNS)
            .where(Person.name == name, Person.teams_user_id.is_not(None))
            .limit(2)
        )
    ).all()
    return PersonRow(*matches[0]) if len(matches) == 1 else None


async def picked_contact(session: AsyncSession, request: LoneWorkRequest) -> None:
    """A row for the colleague picked as the emergency contact, if the bot has none yet
    (known by object id and the name on the request until they write to the bot), so the
    alarm can reach them, installing the app for them where Graph is configured."""
    aad = request.emergency_aad_object_id
    if aad and await org.find_person(session, aad_object_id=aad) is None:
        await org.upsert_person(
            session, aad_object_id=aad, upn=None, name=request.emergency_name.strip() or None
        )


async def may_handle(session: AsyncSession, checkin: CheckinSession, person_id: int) -> bool:
    request = await session.get(LoneWorkRequest, checkin.request_id)
    if request is None:
        return False
    return any(person.id == person_id for person in await ladder(session, checkin, request))


async def timelines_of_requests(
    session: AsyncSession, request_ids: list[int]
) -> list[tuple[int, CheckinEvent]]:
    """`(request id, event)` for every check-in event of the requests, in time order."""
    if not request_ids:
        return []
    rows = await session.execute(
        select(CheckinSession.request_id, CheckinEvent)
        .join(CheckinSession, CheckinSession.id == CheckinEvent.session_id)
        .where(CheckinSession.request_id.in_(request_ids))
        .order_by(CheckinEvent.at, CheckinEvent.id)
    )
    return [(int(request_id), event) for request_id, event in rows.tuples()]
