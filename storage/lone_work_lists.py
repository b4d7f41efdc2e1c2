"""Lone-work requests listed: the requester's and the approver's lists, the overview, the
register, and the approvals waiting too long."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, select

from domain.lone_work import Status
from domain.org import Role
from domain.working_days import working_days_between
from storage import org
from storage.db import HotConnection
from storage.lone_work import REQUEST_COLUMNS, REQUESTS, RequestRow
from storage.models import Unit
from storage.rows import UnitRow

_REQUEST = REQUESTS.c
# Built once (binding parameters): building a statement costs as much as running it.
_WAITING = (
    select(*REQUEST_COLUMNS)
    .where(_REQUEST.status == Status.PENDING.value, _REQUEST.approver_id.is_not(None))
    .order_by(_REQUEST.id)
)
_OF_REQUESTER = (
    select(*REQUEST_COLUMNS)
    .where(_REQUEST.requester_id == bindparam("person_id"))
    .order_by(_REQUEST.created_at.desc(), _REQUEST.id.desc())
    .limit(bindparam("limit"))
)
_PENDING_FOR = (
    select(*REQUEST_COLUMNS)
    .where(
        _REQUEST.approver_id == bindparam("person_id"),
        _REQUEST.status == Status.PENDING.value,
    )
    .order_by(_REQUEST.created_at, _REQUEST.id)
    .limit(bindparam("limit"))
)
_COUNT_PENDING_FOR = select(func.count()).where(
    _REQUEST.approver_id == bindparam("person_id"), _REQUEST.status == Status.PENDING.value
)
_COUNTS_BY_STATUS = (
    select(_REQUEST.unit_id, _REQUEST.status, func.count())
    .where(
        _REQUEST.unit_id.in_(bindparam("unit_ids", expanding=True)),
        _REQUEST.created_at >= bindparam("start"),
        _REQUEST.created_at < bindparam("end"),
    )
    .group_by(_REQUEST.unit_id, _REQUEST.status)
)
_REGISTER = (
    select(*REQUEST_COLUMNS)
    .where(
        _REQUEST.unit_id == bindparam("unit_id"),
        _REQUEST.created_at >= bindparam("start"),
        _REQUEST.created_at < bindparam("end"),
    )
    .order_by(_REQUEST.created_at, _REQUEST.id)
)
_UNIT_NAMES = select(Unit.id, Unit.name).where(Unit.id.in_(bindparam("unit_ids", expanding=True)))


async def waiting_too_long(
    connection: HotConnection, now: datetime, *, working_days: int = 2
) -> list[RequestRow]:
    """Pending requests with an approver, unanswered for `working_days` or more."""
    pending = [RequestRow(*row) for row in await connection.execute(_WAITING)]
    return [r for r in pending if working_days_between(r.created_at, now) >= working_days]


async def of_requester(
    connection: HotConnection, person_id: int, *, limit: int = 15
) -> list[RequestRow]:
    """The person's newest requests, newest first."""
    rows = await connection.execute(_OF_REQUESTER, {"person_id": person_id, "limit": limit})
    return [RequestRow(*row) for row in rows]


async def pending_for(
    connection: HotConnection, approver_id: int, *, limit: int = 15
) -> list[RequestRow]:
    """The requests waiting for the approver's decision, oldest first."""
    rows = await connection.execute(_PENDING_FOR, {"person_id": approver_id, "limit": limit})
    return [RequestRow(*row) for row in rows]


async def count_pending_for(connection: HotConnection, approver_id: int) -> int:
    found = await connection.execute(_COUNT_PENDING_FOR, {"person_id": approver_id})
    return int(found.scalar() or 0)


async def overview_units(connection: HotConnection, person_id: int) -> list[UnitRow]:
    """Units whose lone work the person may overview: as leader or AMK (all for secretariat)."""
    roles = await org.roles_of(connection, person_id)
    if any(role.role == Role.SECRETARIAT.value for role in roles):
        return await org.list_units(connection)
    unit_ids = {
        role.unit_id
        for role in roles
        if role.unit_id is not None and role.role in (Role.LEADER.value, Role.AMK.value)
    }
    if not unit_ids:
        return []
    return [
        unit for unit in await org.list_units(connection, only_active=False) if unit.id in unit_ids
    ]


async def counts_by_status(
    connection: HotConnection, unit_ids: list[int], start: datetime, end: datetime
) -> dict[int, dict[str, int]]:
    """`{unit_id: {status: count}}` of requests created in [start, end)."""
    if not unit_ids:
        return {}
    rows = await connection.execute(
        _COUNTS_BY_STATUS, {"unit_ids": sorted(unit_ids), "start": start, "end": end}
    )
    counts: dict[int, dict[str, int]] = {}
    for unit_id, status, count in rows:
        counts.setdefault(unit_id, {})[status] = int(count)
    return counts


async def register(
    connection: HotConnection, unit_id: int, start: datetime, end: datetime
) -> list[RequestRow]:
    """Every request of a unit created in [start, end), oldest first (for the export)."""
    rows = await connection.execute(_REGISTER, {"unit_id": unit_id, "start": start, "end": end})
    return [RequestRow(*row) for row in rows]


async def unit_names(connection: HotConnection, ids: set[int]) -> dict[int, str]:
    """The units' names by id, in one query."""
    if not ids:
        return {}
    rows = await connection.execute(_UNIT_NAMES, {"unit_ids": sorted(ids)})
    return {int(unit_id): str(name) for unit_id, name in rows}
