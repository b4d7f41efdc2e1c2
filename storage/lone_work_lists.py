"""Lone-work requests listed: the requester's and the approver's lists, the overview, the
register, and the approvals waiting too long."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.lone_work import Status
from domain.org import Role
from domain.working_days import working_days_between
from storage import org
from storage.lone_work_models import LoneWorkRequest
from storage.models import Person, Unit
from storage.rows import UnitRow


async def waiting_too_long(
    session: AsyncSession, now: datetime, *, working_days: int = 2
) -> list[LoneWorkRequest]:
    """Pending requests with an approver, unanswered for `working_days` or more."""
    pending = (
        await session.scalars(
            select(LoneWorkRequest)
            .where(
                LoneWorkRequest.status == Status.PENDING.value,
                LoneWorkRequest.approver_id.is_not(None),
            )
            .order_by(LoneWorkRequest.id)
        )
    ).all()
    return [r for r in pending if working_days_between(r.created_at, now) >= working_days]


async def of_requester(
    session: AsyncSession, person_id: int, *, limit: int = 15
) -> Sequence[LoneWorkRequest]:
    return (
        await session.scalars(
            select(LoneWorkRequest)
            .where(LoneWorkRequest.requester_id == person_id)
            .order_by(LoneWorkRequest.created_at.desc(), LoneWorkRequest.id.desc())
            .limit(limit)
        )
    ).all()


async def pending_for(
    session: AsyncSession, approver_id: int, *, limit: int = 15
) -> Sequence[LoneWorkRequest]:
    return (
        await session.scalars(
            select(LoneWorkRequest)
            .where(
                LoneWorkRequest.approver_id == approver_id,
                LoneWorkRequest.status == Status.PENDING.value,
            )
            .order_by(LoneWorkRequest.created_at, LoneWorkRequest.id)
            .limit(limit)
        )
    ).all()


async def count_pending_for(session: AsyncSession, approver_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count()).where(
                LoneWorkRequest.approver_id == approver_id,
                LoneWorkRequest.status == Status.PENDING.value,
            )
        )
        or 0
    )


async def overview_units(session: AsyncSession, person_id: int) -> list[UnitRow]:
    """Units whose lone work the person may overview: as leader or AMK (all for secretariat)."""
    roles = await org.roles_of(session, person_id)
    if any(role.role == Role.SECRETARIAT.value for role in roles):
        return await org.list_units(session)
    unit_ids = {
        role.unit_id
        for role in roles
        if role.unit_id is not None and role.role in (Role.LEADER.value, Role.AMK.value)
    }
    if not unit_ids:
        return []
    return [
        unit for unit in await org.list_units(session, only_active=False) if unit.id in unit_ids
    ]


async def counts_by_status(
    session: AsyncSession, unit_ids: list[int], start: datetime, end: datetime
) -> dict[int, dict[str, int]]:
    """`{unit_id: {status: count}}` of requests created in [start, end)."""
    rows = await session.execute(
        select(LoneWorkRequest.unit_id, LoneWorkRequest.status, func.count())
        .where(
            LoneWorkRequest.unit_id.in_(unit_ids),
            LoneWorkRequest.created_at >= start,
            LoneWorkRequest.created_at < end,
        )
        .group_by(LoneWorkRequest.unit_id, LoneWorkRequest.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for unit_id, status, count in rows:
        counts.setdefault(unit_id, {})[status] = count
    return counts


async def register(
    session: AsyncSession, unit_id: int, start: datetime, end: datetime
) -> Sequence[LoneWorkRequest]:
    """Every request of a unit created in [start, end), oldest first (for the export)."""
    return (
        await session.scalars(
            select(LoneWorkRequest)
            .where(
                LoneWorkRequest.unit_id == unit_id,
                LoneWorkRequest.created_at >= start,
                LoneWorkRequest.created_at < end,
            )
            .order_by(LoneWorkRequest.created_at, LoneWorkRequest.id)
        )
    ).all()


async def people_by_id(session: AsyncSession, ids: set[int]) -> dict[int, Person]:
    if not ids:
        return {}
    found = await session.scalars(select(Person).where(Person.id.in_(ids)))
    return {person.id: person for person in found}


async def units_by_id(session: AsyncSession, ids: set[int]) -> dict[int, Unit]:
    """The units, in one query."""
    if not ids:
        return {}
    if len(ids) == 1:
        unit = await session.get(Unit, next(iter(ids)))
        return {unit.id: unit} if unit is not None else {}
    found = await session.scalars(select(Unit).where(Unit.id.in_(ids)))
    return {unit.id: unit for unit in found}
