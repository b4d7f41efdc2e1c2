"""Lone-work requests: one function per user action, each inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Final

from sqlalchemy import (
    Integer,
    Row,
    Select,
    Table,
    and_,
    bindparam,
    cast,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.audit import person_actor
from domain.lone_work import (
    Decision,
    LoneWorkForm,
    Mitigation,
    Period,
    Schedule,
    Status,
    period_of,
)
from domain.numbering import local_year, yearly_number
from domain.org import Role
from storage import audit
from storage.counters import next_in_year
from storage.db import HotConnection
from storage.lone_work_models import LoneWorkCounter, LoneWorkRequest
from storage.models import Person, RoleAssignment, Unit

ENTITY = "lone_work_request"
NUMBER_PREFIX: Final = "AL"


@dataclass(frozen=True, slots=True)
class RequestRow:
    """A stored request's columns (the `lone_work_request` row), read without the ORM."""

    id: int
    number: str
    requester_id: int
    unit_id: int
    approver_id: int | None
    task: str
    campus: str
    building: str
    room: str
    schedule: str
    starts_at: datetime
    expires_at: datetime
    weekdays: str | None
    window_start: str | None
    window_end: str | None
    valid_from: date | None
    valid_to: date | None
    hazards: list[str]
    hazard_other: str | None
    mitigations: list[str]
    checkin_person: str | None
    checkin_interval_minutes: int | None
    mitigation_other: str | None
    emergency_name: str
    emergency_phone: str
    trained: bool
    adult: bool
    risky: bool
    status: str
    conditions: str | None
    decision_note: str | None
    decided_by_id: int | None
    decided_at: datetime | None
    closed_by_id: int | None
    closed_at: datetime | None
    close_reason: str | None
    created_at: datetime
    updated_at: datetime

    def snapshot(self) -> dict[str, Any]:
        """The fields an audit event keeps of a state change (as `LoneWorkRequest.snapshot`)."""
        return {
            "status": self.status,
            "approver_id": self.approver_id,
            "decided_by_id": self.decided_by_id,
            "conditions": self.conditions,
            "decision_note": self.decision_note,
            "close_reason": self.close_reason,
        }


@dataclass(frozen=True, slots=True)
class PersonRow:
    """The columns of a `person` row that cards and messages about a request need."""

    id: int
    name: str | None
    upn: str | None
    aad_object_id: str | None
    teams_user_id: str | None
    locale: str | None
    language_override: str | None


@dataclass(frozen=True)
class Loaded:
    """A request, its unit's name and the people it names (requester, approver, decider,
    closer) plus the person acting on it, when they exist."""

    request: RequestRow
    unit_name: str | None
    people: Mapping[int, PersonRow]


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


_REQUESTS = _table(LoneWorkRequest)
_PEOPLE = _table(Person)
_UNITS = _table(Unit)
_ROLES = _table(RoleAssignment)
_REQUEST_COLUMNS = tuple(_REQUESTS.c[field.name] for field in fields(RequestRow))
_PERSON_COLUMN_NAMES = tuple(field.name for field in fields(PersonRow))
_PERSON_COLUMNS = tuple(_PEOPLE.c[name] for name in _PERSON_COLUMN_NAMES)
_NAMED_BY = ("requester_id", "approver_id", "decided_by_id", "closed_by_id")


def _loaded_statement() -> Select[Any]:
    """The request by id with its unit's name and five people (each may be missing): those
    `_NAMED_BY` names and the actor (`:actor_id`), in one statement."""
    aliases = [_PEOPLE.alias(f"{column.removesuffix('_id')}_person") for column in _NAMED_BY]
    actor = _PEOPLE.alias("actor_person")
    joined = _REQUESTS.outerjoin(_UNITS, _UNITS.c.id == _REQUESTS.c.unit_id)
    for alias, column in zip(aliases, _NAMED_BY, strict=True):
        joined = joined.outerjoin(alias, alias.c.id == _REQUESTS.c[column])
    joined = joined.outerjoin(actor, actor.c.id == bindparam("actor_id"))
    people = [alias.c[name] for alias in (*aliases, actor) for name in _PERSON_COLUMN_NAMES]
    return (
        select(*_REQUEST_COLUMNS, _UNITS.c.name, *people)
        .select_from(joined)
        .where(_REQUESTS.c.id == bindparam("request_id"))
    )


# Built once (binding parameters): building a statement costs as much as running it.
_LOADED = _loaded_statement()
_INSERT = insert(_REQUESTS).returning(_REQUESTS.c.id)
_STILL = and_(_REQUESTS.c.id == bindparam("request_id"), _REQUESTS.c.status == bindparam("from"))
_DECIDE = (
    update(_REQUESTS)
    .where(_STILL)
    .values(
        status=bindparam("status"),
        conditions=bindparam("conditions"),
        decision_note=bindparam("decision_note"),
        decided_by_id=bindparam("decided_by_id"),
        decided_at=bindparam("decided_at"),
        updated_at=bindparam("updated_at"),
    )
)
_CLOSE = (
    update(_REQUESTS)
    .where(_STILL)
    .values(
        status=bindparam("status"),
        closed_by_id=bindparam("closed_by_id"),
        closed_at=bindparam("closed_at"),
        close_reason=bindparam("close_reason"),
        updated_at=bindparam("updated_at"),
    )
)
_ASKING = _PEOPLE.alias("asking_person")
_UNIT_AND_APPROVERS = (
    select(
        _UNITS.c.id,
        _UNITS.c.name,
        _UNITS.c.active,
        *_PERSON_COLUMNS,
        *(_ASKING.c[name] for name in _PERSON_COLUMN_NAMES),
        select(_REQUESTS.c.id)
        .where(
            _REQUESTS.c.submission_key == bindparam("submission_key"),
            _REQUESTS.c.requester_id == bindparam("asking_id"),
        )
        .scalar_subquery(),
    )
    .select_from(
        _UNITS.outerjoin(
            _ROLES, and_(_ROLES.c.unit_id == _UNITS.c.id, _ROLES.c.role == Role.LEADER.value)
        )
        .outerjoin(_PEOPLE, _PEOPLE.c.id == _ROLES.c.person_id)
        .outerjoin(_ASKING, _ASKING.c.id == bindparam("asking_id"))
    )
    .where(_UNITS.c.id == bindparam("unit_id"))
    .order_by(_PEOPLE.c.id)
)
_IS_LEADER = select(_ROLES.c.id).where(
    _ROLES.c.unit_id == bindparam("unit_id"),
    _ROLES.c.person_id == bindparam("person_id"),
    _ROLES.c.role == Role.LEADER.value,
)
_BY_SUBMISSION = select(_REQUESTS.c.id).where(
    _REQUESTS.c.submission_key == bindparam("submission_key"),
    _REQUESTS.c.requester_id == bindparam("requester_id"),
)
_PEOPLE_BY_ID = select(*_PERSON_COLUMNS).where(
    _PEOPLE.c.id.in_(bindparam("person_ids", expanding=True))
)


@dataclass(frozen=True)
class UnitRow:
    id: int
    name: str
    active: bool


@lru_cache(maxsize=4)
def _highest_of(year: int) -> Select[int, int]:
    """(year, the highest number the year already has): where a new year's counter starts."""
    prefix = f"{NUMBER_PREFIX}-{year}-"
    return select(
        literal(year, Integer),
        func.coalesce(
            func.max(cast(func.substr(LoneWorkRequest.number, len(prefix) + 1), Integer)), 0
        ),
    ).where(LoneWorkRequest.number.like(f"{prefix}%"))


async def _next_number(connection: HotConnection, year: int) -> str:
    """`AL-<year>-<nnnn>` from the year's counter row (`storage.counters`)."""
    sequence = await next_in_year(connection, LoneWorkCounter, year, start_from=_highest_of(year))
    return yearly_number(NUMBER_PREFIX, year, sequence)


@dataclass(frozen=True)
class UnitAndApprovers:
    """A unit (None: there is none by that id), its leaders, the person asking (when given
    and the unit exists) and the request that person's submission created before, if any."""

    unit: UnitRow | None
    approvers: list[PersonRow]
    asking: PersonRow | None = None
    earlier: int | None = None


_PERSON_END = 3 + len(_PERSON_COLUMN_NAMES)


async def unit_and_approvers(
    connection: HotConnection,
    unit_id: int,
    asking_id: int | None = None,
    submission_key: str | None = None,
) -> UnitAndApprovers:
    """The unit and its leaders (they approve lone work), the person `asking_id` and the
    request their `submission_key` created (if it did), in one query."""
    rows: Sequence[Sequence[Any]] = (
        await connection.execute(
            _UNIT_AND_APPROVERS,
            {"unit_id": unit_id, "asking_id": asking_id, "submission_key": submission_key},
        )
    ).all()
    if not rows:
        return UnitAndApprovers(None, [])
    first = rows[0]
    return UnitAndApprovers(
        UnitRow(first[0], first[1], bool(first[2])),
        [PersonRow(*row[3:_PERSON_END]) for row in rows if row[3] is not None],
        None if first[_PERSON_END] is None else PersonRow(*first[_PERSON_END:-1]),
        first[-1],
    )


async def submitted(
    connection: HotConnection, submission_key: str, requester_id: int
) -> Loaded | None:
    """The request the requester's submission (the summary card's key) created, if any."""
    request_id = (
        await connection.execute(
            _BY_SUBMISSION, {"submission_key": submission_key, "requester_id": requester_id}
        )
    ).scalar()
    return None if request_id is None else await load(connection, request_id, requester_id)


async def people_named(connection: HotConnection, ids: set[int]) -> dict[int, PersonRow]:
    """The people with these ids, in one query."""
    if not ids:
        return {}
    rows: Sequence[Sequence[Any]] = (
        await connection.execute(_PEOPLE_BY_ID, {"person_ids": sorted(ids)})
    ).all()
    return {row[0]: PersonRow(*row) for row in rows}


async def load(
    connection: HotConnection, request_id: int, actor_id: int | None = None
) -> Loaded | None:
    """The request with its unit's name and the people it names (and the actor), one query."""
    row = (
        await connection.execute(_LOADED, {"request_id": request_id, "actor_id": actor_id})
    ).first()
    return None if row is None else _loaded(row)


_REQUEST_WIDTH = len(_REQUEST_COLUMNS)
_PERSON_WIDTH = len(_PERSON_COLUMNS)


def _loaded(row: Row[Any]) -> Loaded:
    request = RequestRow(*row[:_REQUEST_WIDTH])
    people: dict[int, PersonRow] = {}
    start = _REQUEST_WIDTH + 1
    for offset in range(start, len(row), _PERSON_WIDTH):
        person_id = row[offset]
        if person_id is not None and person_id not in people:
            people[person_id] = PersonRow(*row[offset : offset + _PERSON_WIDTH])
    return Loaded(request, row[_REQUEST_WIDTH], people)


def request_values(
    form: LoneWorkForm,
    period: Period,
    *,
    number: str,
    requester_id: int,
    approver_id: int | None,
    now: datetime,
) -> dict[str, Any]:
    """The columns of a new pending request for a checked form (its `period`), as
    `submit` inserts it: recurrence fields only for recurring work, the check-in person
    only when checking in is a mitigation."""
    recurring = form.schedule is Schedule.RECURRING
    check_in = Mitigation.CHECK_IN in form.mitigations
    return {
        "number": number,
        "requester_id": requester_id,
        "unit_id": form.unit_id,
        "approver_id": approver_id,
        "task": form.task,
        "campus": form.campus,
        "building": form.building,
        "room": form.room,
        "schedule": form.schedule.value,
        "starts_at": period.starts_at,
        "expires_at": period.expires_at,
        "weekdays": ",".join(form.weekdays) if recurring else None,
        "window_start": form.window_start if recurring else None,
        "window_end": form.window_end if recurring else None,
        "valid_from": form.valid_from if recurring else None,
        "valid_to": form.valid_to if recurring else None,
        "hazards": [hazard.value for hazard in form.hazards],
        "hazard_other": form.hazard_other,
        "mitigations": [mitigation.value for mitigation in form.mitigations],
        "checkin_person": form.checkin_person if check_in else None,
        "checkin_interval_minutes": form.checkin_interval if check_in else None,
        "mitigation_other": form.mitigation_other,
        "emergency_name": form.emergency_name,
        "emergency_phone": form.emergency_phone,
        "trained": form.trained,
        "adult": form.adult,
        "risky": form.risky,
        "status": Status.PENDING.value,
        "conditions": None,
        "decision_note": None,
        "decided_by_id": None,
        "decided_at": None,
        "closed_by_id": None,
        "closed_at": None,
        "close_reason": None,
        "created_at": now,
        "updated_at": now,
    }


async def submit(
    connection: audit.AuditedConnection,
    form: LoneWorkForm,
    *,
    requester_id: int,
    approver_id: int | None,
    now: datetime,
    submission_key: str | None = None,
) -> RequestRow:
    """Store a checked request as pending and audit it. A `submission_key` stored before
    makes the insert fail (IntegrityError), which rolls the whole transaction back."""
    period = period_of(form)
    if period is None:
        raise ValueError("the request has no complete period; check() it first")
    values = request_values(
        form,
        period,
        number=await _next_number(connection, local_year(now)),
        requester_id=requester_id,
        approver_id=approver_id,
        now=now,
    )
    request_id = (
        await connection.execute(_INSERT, {**values, "submission_key": submission_key})
    ).scalar_one()
    request = RequestRow(id=request_id, **values)
    await audit.record(
        connection,
        actor=person_actor(requester_id),
        action="lone_work.submit",
        entity_type=ENTITY,
        entity_id=request.id,
        after={
            "number": request.number,
            "unit_id": request.unit_id,
            "approver_id": approver_id,
            "risky": request.risky,
            "status": request.status,
        },
    )
    return request


@dataclass(frozen=True)
class Outcome:
    """What an action did: `changed`, or why not (`refused`) — the request as it now stands,
    with its unit's name and the people it names (`Loaded`)."""

    loaded: Loaded | None
    changed: bool
    refused: str | None = None

    @property
    def request(self) -> RequestRow | None:
        return None if self.loaded is None else self.loaded.request


async def _refuse(
    session: AsyncSession | audit.AuditedConnection,
    loaded: Loaded | None,
    actor_id: int,
    what: str,
    reason: str,
) -> Outcome:
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action=f"lone_work.{what}.refused",
        entity_type=ENTITY,
        entity_id=None if loaded is None else loaded.request.id,
        after={"reason": reason},
    )
    return Outcome(loaded, False, reason)


async def get(session: AsyncSession, request_id: int) -> LoneWorkRequest | None:
    return await session.get(LoneWorkRequest, request_id)


async def _change(
    connection: HotConnection,
    loaded: Loaded,
    statement: Any,
    from_status: Status,
    actor_id: int | None,
    values: dict[str, Any],
) -> tuple[bool, Loaded]:
    """Set `values` only if the request is still in `from_status` (False: it no longer was),
    and the request as it now stands (read again only when it was not changed)."""
    request = loaded.request
    result = await connection.execute(
        statement, {"request_id": request.id, "from": from_status.value, **values}
    )
    if not result.rowcount:
        # Requests are never deleted: the row is still there.
        again = await load(connection, request.id, actor_id)
        return False, loaded if again is None else again
    return True, Loaded(replace(request, **values), loaded.unit_name, loaded.people)


async def decide(
    connection: audit.AuditedConnection,
    request_id: int,
    *,
    actor_id: int,
    decision: Decision,
    note: str | None,
    now: datetime,
) -> Outcome:
    """The approver's decision; a second click or another person changes nothing."""
    loaded = await load(connection, request_id, actor_id)
    if loaded is None:
        return await _refuse(connection, None, actor_id, "decide", "not_found")
    request = loaded.request
    if request.approver_id != actor_id:
        return await _refuse(connection, loaded, actor_id, "decide", "not_approver")
    if decision is not Decision.APPROVE and not (note and note.strip()):
        return Outcome(loaded, False, "note_required")
    status = Status.REJECTED if decision is Decision.REJECT else Status.APPROVED
    values = {
        "status": status.value,
        "conditions": (
            note.strip() if decision is Decision.APPROVE_WITH_CONDITIONS and note else None
        ),
        "decision_note": note.strip() if decision is Decision.REJECT and note else None,
        "decided_by_id": actor_id,
        "decided_at": now,
        "updated_at": now,
    }
    changed, after = await _change(connection, loaded, _DECIDE, Status.PENDING, actor_id, values)
    if not changed:
        return await _refuse(connection, after, actor_id, "decide", "already")
    await audit.record(
        connection,
        actor=person_actor(actor_id),
        action=f"lone_work.{decision.value}",
        entity_type=ENTITY,
        entity_id=request.id,
        before=request.snapshot(),
        after=after.request.snapshot(),
    )
    return Outcome(after, True)


async def _close(
    session: AsyncSession | audit.AuditedConnection,
    connection: HotConnection,
    loaded: Loaded,
    *,
    actor_id: int | None,
    from_status: Status,
    to_status: Status,
    reason: str | None,
    now: datetime,
) -> tuple[bool, Loaded]:
    values = {
        "status": to_status.value,
        "closed_by_id": actor_id,
        "closed_at": now,
        "close_reason": reason,
        "updated_at": now,
    }
    changed, after = await _change(connection, loaded, _CLOSE, from_status, actor_id, values)
    if not changed:
        return False, after
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action=f"lone_work.{to_status.value}",
        entity_type=ENTITY,
        entity_id=loaded.request.id,
        before=loaded.request.snapshot(),
        after=after.request.snapshot(),
    )
    return True, after


async def withdraw(
    connection: audit.AuditedConnection, request_id: int, *, actor_id: int, now: datetime
) -> Outcome:
    """The requester takes back a request that is still pending."""
    loaded = await load(connection, request_id, actor_id)
    if loaded is None:
        return await _refuse(connection, None, actor_id, "withdraw", "not_found")
    if loaded.request.requester_id != actor_id:
        return await _refuse(connection, loaded, actor_id, "withdraw", "not_requester")
    closed, after = await _close(
        connection,
        connection,
        loaded,
        actor_id=actor_id,
        from_status=Status.PENDING,
        to_status=Status.WITHDRAWN,
        reason=None,
        now=now,
    )
    if not closed:
        return await _refuse(connection, after, actor_id, "withdraw", "closed")
    return Outcome(after, True)


async def may_revoke(connection: HotConnection, request: RequestRow, person_id: int) -> bool:
    """The approver, or any leader of the request's unit."""
    if request.approver_id == person_id:
        return True
    found = await connection.execute(
        _IS_LEADER, {"unit_id": request.unit_id, "person_id": person_id}
    )
    return found.first() is not None


async def revoke(
    connection: audit.AuditedConnection,
    request_id: int,
    *,
    actor_id: int,
    reason: str | None,
    now: datetime,
) -> Outcome:
    """Take back an approval (a reason is required)."""
    loaded = await load(connection, request_id, actor_id)
    if loaded is None:
        return await _refuse(connection, None, actor_id, "revoke", "not_found")
    if not await may_revoke(connection, loaded.request, actor_id):
        return await _refuse(connection, loaded, actor_id, "revoke", "not_approver")
    if not (reason and reason.strip()):
        return Outcome(loaded, False, "note_required")
    closed, after = await _close(
        connection,
        connection,
        loaded,
        actor_id=actor_id,
        from_status=Status.APPROVED,
        to_status=Status.REVOKED,
        reason=reason.strip(),
        now=now,
    )
    if not closed:
        return await _refuse(connection, after, actor_id, "revoke", "closed")
    return Outcome(after, True)


_DUE = (
    select(*_REQUEST_COLUMNS)
    .where(
        _REQUESTS.c.status.in_([Status.PENDING.value, Status.APPROVED.value]),
        _REQUESTS.c.expires_at <= bindparam("now"),
    )
    .order_by(_REQUESTS.c.id)
    .limit(500)
)


async def expire_due(session: AsyncSession, now: datetime) -> list[RequestRow]:
    """Approved or pending requests whose period has ended become expired."""
    connection = await session.connection()
    due = [RequestRow(*row) for row in await connection.execute(_DUE, {"now": now})]
    expired: list[RequestRow] = []
    for request in due:
        closed, after = await _close(
            session,
            connection,
            Loaded(request, None, {}),
            actor_id=None,
            from_status=Status(request.status),
            to_status=Status.EXPIRED,
            reason=None,
            now=now,
        )
        if closed:
            expired.append(after.request)
    return expired
