"""Check-in sessions: one function per step, each inside the caller's transaction.

Every change is a conditional UPDATE on the state the caller read (status, round, alarm), so
two clicks, two instances or a click racing the scheduler change a session once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Executable, Table, bindparam, insert, select, update

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
from storage import audit
from storage.audit import AuditedConnection
from storage.checkin_models import CheckinEvent, CheckinSession
from storage.db import HotConnection, dialect_insert, for_dialect
from storage.lone_work import REQUEST_COLUMNS, REQUESTS, RequestRow
from storage.models import Person, Unit
from storage.rows import PersonRow, columns_of

ENTITY = "checkin_session"
OPEN = (SessionStatus.ACTIVE.value, SessionStatus.ALARM.value, SessionStatus.HANDLED.value)


@dataclass(frozen=True, slots=True)
class CheckinSessionRow:
    """A stored session's columns (the `checkin_session` row), read without the ORM."""

    id: int
    request_id: int
    worker_id: int
    interval_minutes: int
    started_at: datetime
    ends_at: datetime
    due_at: datetime
    round: int
    status: str
    last_ok_at: datetime | None
    alarm_seq: int
    alarm_reason: str | None
    alarm_started_at: datetime | None
    handled_by_id: int | None
    handled_at: datetime | None
    finished_at: datetime | None

    def snapshot(self) -> dict[str, Any]:
        """The fields an audit event keeps of a session (as `CheckinSession.snapshot`)."""
        return {
            "status": self.status,
            "round": self.round,
            "due_at": self.due_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
            "interval_minutes": self.interval_minutes,
            "alarm_seq": self.alarm_seq,
            "alarm_reason": self.alarm_reason,
        }


@dataclass(frozen=True, slots=True)
class CheckinEventRow:
    """One timeline entry (the `checkin_event` row)."""

    id: int
    session_id: int
    at: datetime
    kind: str
    actor_id: int | None
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Loaded:
    """A session with what its cards show: its request, the unit's name, the worker and
    whoever handled its alarm (each person None when there is no such row)."""

    checkin: CheckinSessionRow
    request: RequestRow
    unit_name: str | None
    worker: PersonRow | None
    handler: PersonRow | None


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


SESSIONS = _table(CheckinSession)
EVENTS = _table(CheckinEvent)
_PEOPLE = _table(Person)
_UNITS = _table(Unit)
SESSION_COLUMNS = columns_of(SESSIONS, CheckinSessionRow)
EVENT_COLUMNS = columns_of(EVENTS, CheckinEventRow)
_SESSION_FIELDS = frozenset(field.name for field in fields(CheckinSessionRow))
_PERSON_NAMES = tuple(field.name for field in fields(PersonRow))
_WORKER = _PEOPLE.alias("worker_person")
_HANDLER = _PEOPLE.alias("handler_person")

# Built once (binding parameters): building a statement costs as much as running it.
_GET = select(*SESSION_COLUMNS).where(SESSIONS.c.id == bindparam("session_id"))
_OPEN_OF = select(*SESSION_COLUMNS).where(SESSIONS.c.open_worker_id == bindparam("worker_id"))
_LOAD = (
    select(
        *SESSION_COLUMNS,
        *REQUEST_COLUMNS,
        _UNITS.c.name,
        *(_WORKER.c[name] for name in _PERSON_NAMES),
        *(_HANDLER.c[name] for name in _PERSON_NAMES),
    )
    .select_from(
        SESSIONS.join(REQUESTS, REQUESTS.c.id == SESSIONS.c.request_id)
        .outerjoin(_UNITS, _UNITS.c.id == REQUESTS.c.unit_id)
        .outerjoin(_WORKER, _WORKER.c.id == SESSIONS.c.worker_id)
        .outerjoin(_HANDLER, _HANDLER.c.id == SESSIONS.c.handled_by_id)
    )
    .where(SESSIONS.c.id == bindparam("session_id"))
)
_LOG = insert(EVENTS)
_STILL = (
    (SESSIONS.c.id == bindparam("session_id"))
    & (SESSIONS.c.status == bindparam("was_status"))
    & (SESSIONS.c.round == bindparam("was_round"))
    & (SESSIONS.c.alarm_seq == bindparam("was_alarm_seq"))
)
_OPEN_IDS = (
    select(SESSIONS.c.id)
    .where(SESSIONS.c.status.in_([SessionStatus.ACTIVE.value, SessionStatus.ALARM.value]))
    .order_by(SESSIONS.c.id)
)
_ASKED = (
    select(EVENTS.c.kind, EVENTS.c.at, EVENTS.c.detail)
    .where(
        EVENTS.c.session_id == bindparam("session_id"),
        EVENTS.c.kind.in_([EventKind.PROMPT.value, EventKind.REMINDER.value]),
    )
    .order_by(EVENTS.c.id.desc())
    .limit(2)
)
_TIMELINE = (
    select(*EVENT_COLUMNS)
    .where(EVENTS.c.session_id == bindparam("session_id"))
    .order_by(EVENTS.c.at, EVENTS.c.id)
)
_TIMELINES = (
    select(SESSIONS.c.request_id, *EVENT_COLUMNS)
    .join(SESSIONS, SESSIONS.c.id == EVENTS.c.session_id)
    .where(SESSIONS.c.request_id.in_(bindparam("request_ids", expanding=True)))
    .order_by(EVENTS.c.at, EVENTS.c.id)
)

_SESSION_WIDTH = len(SESSION_COLUMNS)
_REQUEST_END = _SESSION_WIDTH + len(REQUEST_COLUMNS)
_PERSON_WIDTH = len(_PERSON_NAMES)


def _person(row: Sequence[Any], start: int) -> PersonRow | None:
    return None if row[start] is None else PersonRow(*row[start : start + _PERSON_WIDTH])


async def log(
    connection: AuditedConnection,
    checkin: CheckinSessionRow,
    kind: EventKind,
    *,
    actor_id: int | None,
    now: datetime,
    detail: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
) -> None:
    """One timeline entry and its audit event (`checkin` as it now is)."""
    await connection.execute(
        _LOG,
        {
            "session_id": checkin.id,
            "at": now,
            "kind": kind.value,
            "actor_id": actor_id,
            "detail": detail or {},
        },
    )
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action=f"checkin.{kind.value}",
        entity_type=ENTITY,
        entity_id=checkin.id,
        before=before,
        after={**checkin.snapshot(), **(detail or {})},
    )


async def refuse(
    connection: AuditedConnection, session_id: int, *, actor_id: int, verb: str
) -> None:
    """Audit a click on a session's card by someone it is not for (`<verb>.refused`)."""
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action=f"{verb}.refused",
        entity_type=ENTITY,
        entity_id=session_id,
        after={"reason": "not_allowed"},
    )


async def get(connection: HotConnection, session_id: int) -> CheckinSessionRow | None:
    row = (await connection.execute(_GET, {"session_id": session_id})).first()
    return None if row is None else CheckinSessionRow(*row)


async def load(connection: HotConnection, session_id: int) -> Loaded | None:
    """The session with its request, unit name, worker and handler, in one query."""
    row = (await connection.execute(_LOAD, {"session_id": session_id})).first()
    if row is None:
        return None
    return Loaded(
        CheckinSessionRow(*row[:_SESSION_WIDTH]),
        RequestRow(*row[_SESSION_WIDTH:_REQUEST_END]),
        row[_REQUEST_END],
        _person(row, _REQUEST_END + 1),
        _person(row, _REQUEST_END + 1 + _PERSON_WIDTH),
    )


async def open_of(connection: HotConnection, worker_id: int) -> CheckinSessionRow | None:
    row = (await connection.execute(_OPEN_OF, {"worker_id": worker_id})).first()
    return None if row is None else CheckinSessionRow(*row)


async def startable(
    connection: HotConnection, worker_id: int, now: datetime, *, request_id: int | None = None
) -> RequestRow | None:
    """The worker's approved, running request (the given one, or the one ending first)."""
    query = select(*REQUEST_COLUMNS).where(
        REQUESTS.c.requester_id == worker_id,
        REQUESTS.c.status == Status.APPROVED.value,
        REQUESTS.c.expires_at > now,
        REQUESTS.c.starts_at <= now + timedelta(hours=1),
    )
    if request_id is not None:
        query = query.where(REQUESTS.c.id == request_id)
    row = (await connection.execute(query.order_by(REQUESTS.c.expires_at).limit(1))).first()
    return None if row is None else RequestRow(*row)


@dataclass(frozen=True)
class Started:
    checkin: CheckinSessionRow
    created: bool


def _start_statement(connection: HotConnection) -> Executable:
    """The new session, unless the worker has an open one (`open_worker_id` is unique)."""
    return (
        dialect_insert(connection, CheckinSession)
        .on_conflict_do_nothing(index_elements=[CheckinSession.open_worker_id])
        .returning(*SESSION_COLUMNS)
    )


async def start(
    connection: AuditedConnection, request: RequestRow, *, worker_id: int, now: datetime
) -> Started:
    """Open a session (or return the worker's open one: each has at most one)."""
    existing = await open_of(connection, worker_id)
    if existing is not None:
        return Started(existing, False)
    interval = allowed_interval(request.checkin_interval_minutes)
    recurring = request.schedule == Schedule.RECURRING.value
    ends_at = expected_end(
        now=now,
        expires_at=request.expires_at,
        window_end=request.window_end if recurring else None,
    )
    values = {
        "request_id": request.id,
        "worker_id": worker_id,
        "open_worker_id": worker_id,
        "interval_minutes": interval,
        "started_at": now,
        "ends_at": ends_at,
        "due_at": next_due(now, interval, ends_at),
        "round": 1,
        "status": SessionStatus.ACTIVE.value,
        "alarm_seq": 0,
    }
    statement = for_dialect(connection, "checkin.start", _start_statement)
    row = (await connection.execute(statement, values)).first()
    if row is None:
        # Another click or instance opened one between the read and the insert.
        existing = await open_of(connection, worker_id)
        if existing is None:
            raise RuntimeError(f"no open check-in session for person {worker_id}")
        return Started(existing, False)
    checkin = CheckinSessionRow(*row)
    await log(
        connection,
        checkin,
        EventKind.STARTED,
        actor_id=worker_id,
        now=now,
        detail={"request_id": request.id},
    )
    return Started(checkin, True)


async def _change(
    connection: AuditedConnection, checkin: CheckinSessionRow, values: dict[str, Any]
) -> CheckinSessionRow | None:
    """Apply `values` if nobody changed the session since it was read: the session as it
    now is, or None when it had changed."""
    result = await connection.execute(
        update(SESSIONS).where(_STILL).values(**values),
        {
            "session_id": checkin.id,
            "was_status": checkin.status,
            "was_round": checkin.round,
            "was_alarm_seq": checkin.alarm_seq,
        },
    )
    if not result.rowcount:
        return None
    return replace(checkin, **{name: values[name] for name in values if name in _SESSION_FIELDS})


async def check_ok(
    connection: AuditedConnection,
    checkin: CheckinSessionRow,
    request: RequestRow | None,
    *,
    now: datetime,
    interval: int | None,
) -> CheckinSessionRow | None:
    """The worker is OK: the next check-in is one interval away (an alarm ends). The
    session as changed, or None when it had changed meanwhile."""
    approved = request.checkin_interval_minutes if request else None
    minutes = allowed_interval(approved, interval or checkin.interval_minutes)
    changed = await _change(
        connection,
        checkin,
        {
            "round": checkin.round + 1,
            "status": SessionStatus.ACTIVE.value,
            "interval_minutes": minutes,
            "due_at": next_due(now, minutes, checkin.ends_at),
            "last_ok_at": now,
        },
    )
    if changed is not None:
        await log(
            connection,
            changed,
            EventKind.OK,
            actor_id=checkin.worker_id,
            now=now,
            detail={"was": checkin.status},
            before=checkin.snapshot(),
        )
    return changed


async def extend(
    connection: AuditedConnection,
    checkin: CheckinSessionRow,
    request: RequestRow | None,
    *,
    minutes: int,
    now: datetime,
) -> CheckinSessionRow | None:
    """Move the expected end, never past the approval's end. None if nothing moved."""
    limit = request.expires_at if request else checkin.ends_at
    new_end = min(max(checkin.ends_at, now) + timedelta(minutes=minutes), limit)
    if new_end <= checkin.ends_at:
        return None
    due = checkin.due_at
    if checkin.due_at >= checkin.ends_at and checkin.status == SessionStatus.ACTIVE.value:
        due = next_due(now, checkin.interval_minutes, new_end)
    changed = await _change(connection, checkin, {"ends_at": new_end, "due_at": due})
    if changed is not None:
        await log(
            connection,
            changed,
            EventKind.EXTENDED,
            actor_id=checkin.worker_id,
            now=now,
            detail={"minutes": minutes},
            before=checkin.snapshot(),
        )
    return changed


async def finish(
    connection: AuditedConnection, checkin: CheckinSessionRow, *, now: datetime
) -> CheckinSessionRow | None:
    if checkin.status == SessionStatus.FINISHED.value:
        return None
    changed = await _change(
        connection,
        checkin,
        {"status": SessionStatus.FINISHED.value, "open_worker_id": None, "finished_at": now},
    )
    if changed is not None:
        await log(
            connection,
            changed,
            EventKind.FINISHED,
            actor_id=checkin.worker_id,
            now=now,
            before=checkin.snapshot(),
        )
    return changed


_ENDED_WITH_APPROVAL = (
    select(SESSIONS.c.id)
    .join(REQUESTS, REQUESTS.c.id == SESSIONS.c.request_id)
    .where(
        (SESSIONS.c.status == SessionStatus.HANDLED.value)
        | (
            (SESSIONS.c.status == SessionStatus.ACTIVE.value)
            & (SESSIONS.c.due_at > bindparam("prompt_from"))
        ),
        (REQUESTS.c.status != Status.APPROVED.value) | (REQUESTS.c.expires_at <= bindparam("now")),
    )
    .order_by(SESSIONS.c.id)
)


async def ended_with_approval(
    connection: HotConnection, now: datetime, *, request_id: int | None = None
) -> list[int]:
    """Open sessions whose approval has ended (revoked, expired, or past its end) and that
    may close now: handled ones, and active ones with no check-in underway
    (`domain.checkins.check_underway`). A session in alarm stays open until it is handled,
    one being asked until the worker answers (or the alarm)."""
    query = _ENDED_WITH_APPROVAL
    if request_id is not None:
        query = query.where(SESSIONS.c.request_id == request_id)
    rows = await connection.execute(query, {"prompt_from": now + PROMPT_LEAD, "now": now})
    return [row[0] for row in rows.all()]


def approval_ended(request: RequestRow, now: datetime) -> str | None:
    """Why a session's approval no longer covers it ("revoked" or "expired"), or None."""
    if request.status == Status.REVOKED.value:
        return "revoked"
    if request.status != Status.APPROVED.value or request.expires_at <= now:
        return "expired"
    return None


async def close_with_approval(
    connection: AuditedConnection, checkin: CheckinSessionRow, *, reason: str, now: datetime
) -> CheckinSessionRow | None:
    """The approval ended: an active (or handled) session finishes, once; its timeline says
    why. None if the session changed meanwhile or is in alarm."""
    if checkin.status not in (SessionStatus.ACTIVE.value, SessionStatus.HANDLED.value):
        return None
    changed = await _change(
        connection,
        checkin,
        {"status": SessionStatus.FINISHED.value, "open_worker_id": None, "finished_at": now},
    )
    if changed is not None:
        await log(
            connection,
            changed,
            EventKind.FINISHED,
            actor_id=None,
            now=now,
            detail={"reason": reason},
            before=checkin.snapshot(),
        )
    return changed


async def raise_alarm(
    connection: AuditedConnection,
    checkin: CheckinSessionRow,
    *,
    reason: AlarmReason,
    started_at: datetime,
    now: datetime,
) -> CheckinSessionRow | None:
    """Missed check-in (scheduler) or "Need help" (worker): the alarm starts, once."""
    if checkin.status == SessionStatus.FINISHED.value:
        return None
    if reason is AlarmReason.MISSED and checkin.status != SessionStatus.ACTIVE.value:
        return None
    if reason is AlarmReason.HELP and checkin.status == SessionStatus.ALARM.value:
        return None
    changed = await _change(
        connection,
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
    if changed is not None:
        kind = EventKind.HELP if reason is AlarmReason.HELP else EventKind.MISSED
        actor = checkin.worker_id if reason is AlarmReason.HELP else None
        await log(connection, changed, kind, actor_id=actor, now=now, before=checkin.snapshot())
    return changed


async def handle(
    connection: AuditedConnection, checkin: CheckinSessionRow, *, actor_id: int, now: datetime
) -> CheckinSessionRow | None:
    """Someone takes the alarm ("I am handling it"): escalation stops, once."""
    if checkin.status != SessionStatus.ALARM.value:
        return None
    changed = await _change(
        connection,
        checkin,
        {"status": SessionStatus.HANDLED.value, "handled_by_id": actor_id, "handled_at": now},
    )
    if changed is not None:
        await log(
            connection,
            changed,
            EventKind.HANDLED,
            actor_id=actor_id,
            now=now,
            before=checkin.snapshot(),
        )
    return changed


async def open_ids(connection: HotConnection) -> list[int]:
    """Sessions the scheduler looks after (active or in alarm)."""
    return [row[0] for row in (await connection.execute(_OPEN_IDS)).all()]


@dataclass(frozen=True)
class Asked:
    """When the worker was really sent the current check-in's prompt and second prompt."""

    prompted_at: datetime | None = None
    reminded_at: datetime | None = None


async def asked(connection: HotConnection, checkin: CheckinSessionRow) -> Asked:
    """The current round's prompt and second prompt from the timeline (None: not sent)."""
    rows = await connection.execute(_ASKED, {"session_id": checkin.id})
    sent = {
        kind: at for kind, at, detail in rows.all() if (detail or {}).get("check") == checkin.round
    }
    return Asked(sent.get(EventKind.PROMPT.value), sent.get(EventKind.REMINDER.value))


async def timeline(connection: HotConnection, session_id: int) -> list[CheckinEventRow]:
    rows = await connection.execute(_TIMELINE, {"session_id": session_id})
    return [CheckinEventRow(*row) for row in rows.all()]


async def timelines_of_requests(
    connection: HotConnection, request_ids: list[int]
) -> list[tuple[int, CheckinEventRow]]:
    """`(request id, event)` for every check-in event of the requests, in time order."""
    if not request_ids:
        return []
    rows = await connection.execute(_TIMELINES, {"request_ids": request_ids})
    return [(int(row[0]), CheckinEventRow(*row[1:])) for row in rows.all()]
