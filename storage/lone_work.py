"""Lone-work requests: one function per user action, each on the caller's connection."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
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
)

from domain.audit import person_actor
from domain.lone_work import (
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
from storage.rows import PersonRow, UnitRow, columns_of

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
    emergency_aad_object_id: str | None
    trained: bool
    adult: bool
    affiliation: str | None
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


REQUESTS = _table(LoneWorkRequest)
"""The lone-work requests table, for statements built once."""
_PEOPLE = _table(Person)
_UNITS = _table(Unit)
ROLES = _table(RoleAssignment)
"""The role assignments table, for statements built once."""
REQUEST_COLUMNS = columns_of(REQUESTS, RequestRow)
"""The request columns a `RequestRow` is built from, in its field order."""
_PERSON_COLUMN_NAMES = tuple(field.name for field in fields(PersonRow))
_PERSON_COLUMNS = tuple(_PEOPLE.c[name] for name in _PERSON_COLUMN_NAMES)
_NAMED_BY = ("requester_id", "approver_id", "decided_by_id", "closed_by_id")


def _loaded_statement() -> Select[Any]:
    """The request by id with its unit's name and five people (each may be missing): those
    `_NAMED_BY` names and the actor (`:actor_id`), in one statement."""
    aliases = [_PEOPLE.alias(f"{column.removesuffix('_id')}_person") for column in _NAMED_BY]
    actor = _PEOPLE.alias("actor_person")
    joined = REQUESTS.outerjoin(_UNITS, _UNITS.c.id == REQUESTS.c.unit_id)
    for alias, column in zip(aliases, _NAMED_BY, strict=True):
        joined = joined.outerjoin(alias, alias.c.id == REQUESTS.c[column])
    joined = joined.outerjoin(actor, actor.c.id == bindparam("actor_id"))
    people = [alias.c[name] for alias in (*aliases, actor) for name in _PERSON_COLUMN_NAMES]
    return (
        select(*REQUEST_COLUMNS, _UNITS.c.name, *people)
        .select_from(joined)
        .where(REQUESTS.c.id == bindparam("request_id"))
    )


# Built once (binding parameters): building a statement costs as much as running it.
_LOADED = _loaded_statement()
_INSERT = insert(REQUESTS).returning(REQUESTS.c.id)
_ASKING = _PEOPLE.alias("asking_person")
_UNIT_AND_APPROVERS = (
    select(
        _UNITS.c.id,
        _UNITS.c.name,
        _UNITS.c.active,
        *_PERSON_COLUMNS,
        *(_ASKING.c[name] for name in _PERSON_COLUMN_NAMES),
        select(REQUESTS.c.id)
        .where(
            REQUESTS.c.submission_key == bindparam("submission_key"),
            REQUESTS.c.requester_id == bindparam("asking_id"),
        )
        .scalar_subquery(),
    )
    .select_from(
        _UNITS.outerjoin(
            ROLES, and_(ROLES.c.unit_id == _UNITS.c.id, ROLES.c.role == Role.LEADER.value)
        )
        .outerjoin(_PEOPLE, _PEOPLE.c.id == ROLES.c.person_id)
        .outerjoin(_ASKING, _ASKING.c.id == bindparam("asking_id"))
    )
    .where(_UNITS.c.id == bindparam("unit_id"))
    .order_by(_PEOPLE.c.id)
)
_BY_SUBMISSION = select(REQUESTS.c.id).where(
    REQUESTS.c.submission_key == bindparam("submission_key"),
    REQUESTS.c.requester_id == bindparam("requester_id"),
)


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


async def load(
    connection: HotConnection, request_id: int, actor_id: int | None = None
) -> Loaded | None:
    """The request with its unit's name and the people it names (and the actor), one query."""
    row = (
        await connection.execute(_LOADED, {"request_id": request_id, "actor_id": actor_id})
    ).first()
    return None if row is None else _loaded(row)


_REQUEST_WIDTH = len(REQUEST_COLUMNS)
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
        "emergency_name": form.emergency_name or "",
        "emergency_phone": form.emergency_phone,
        "emergency_aad_object_id": form.emergency_person,
        "trained": form.trained,
        "adult": form.adult,
        "affiliation": form.affiliation.value,
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
