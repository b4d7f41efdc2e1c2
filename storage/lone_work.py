"""Lone-work requests: one function per user action, each inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Integer, Select, and_, cast, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from domain.audit import person_actor
from domain.lone_work import (
    Decision,
    LoneWorkForm,
    Mitigation,
    Schedule,
    Status,
    period_of,
    working_days_between,
)
from domain.numbering import local_year, yearly_number
from domain.org import Role
from storage import audit, org
from storage.counters import next_in_year
from storage.lone_work_models import LoneWorkCounter, LoneWorkRequest
from storage.models import Person, RoleAssignment, Unit

ENTITY = "lone_work_request"
NUMBER_PREFIX: Final = "AL"


def _highest_of(year: int) -> Select[int, int]:
    """(year, the highest number the year already has): where a new year's counter starts."""
    prefix = f"{NUMBER_PREFIX}-{year}-"
    return select(
        literal(year, Integer),
        func.coalesce(
            func.max(cast(func.substr(LoneWorkRequest.number, len(prefix) + 1), Integer)), 0
        ),
    ).where(LoneWorkRequest.number.like(f"{prefix}%"))


async def _next_number(session: AsyncSession, year: int) -> str:
    """`AL-<year>-<nnnn>` from the year's counter row (`storage.counters`)."""
    sequence = await next_in_year(session, LoneWorkCounter, year, start_from=_highest_of(year))
    return yearly_number(NUMBER_PREFIX, year, sequence)


async def approvers_for(session: AsyncSession, unit_id: int) -> list[Person]:
    """The unit's leaders: they approve lone work."""
    return await org.holders(session, unit_id, Role.LEADER)


async def unit_and_approvers(
    session: AsyncSession, unit_id: int
) -> tuple[Unit | None, list[Person]]:
    """The unit and its leaders (`approvers_for`), in one query."""
    leads = and_(RoleAssignment.unit_id == Unit.id, RoleAssignment.role == Role.LEADER.value)
    rows = (
        await session.execute(
            select(Unit, Person)
            .outerjoin(RoleAssignment, leads)
            .outerjoin(Person, Person.id == RoleAssignment.person_id)
            .where(Unit.id == unit_id)
            .order_by(Person.id)
        )
    ).all()
    if not rows:
        return None, []
    return rows[0][0], [person for _, person in rows if person is not None]


async def submit(
    session: AsyncSession,
    form: LoneWorkForm,
    *,
    requester_id: int,
    approver_id: int | None,
    now: datetime,
) -> LoneWorkRequest:
    """Store a checked request as pending and audit it."""
    period = period_of(form)
    if period is None:
        raise ValueError("the request has no complete period; check() it first")
    request = LoneWorkRequest(
        number=await _next_number(session, local_year(now)),
        requester_id=requester_id,
        unit_id=form.unit_id,
        approver_id=approver_id,
        task=form.task,
        campus=form.campus,
        building=form.building,
        room=form.room,
        schedule=form.schedule.value,
        starts_at=period.starts_at,
        expires_at=period.expires_at,
        weekdays=",".join(form.weekdays) if form.schedule is Schedule.RECURRING else None,
        window_start=form.window_start if form.schedule is Schedule.RECURRING else None,
        window_end=form.window_end if form.schedule is Schedule.RECURRING else None,
        valid_from=form.valid_from if form.schedule is Schedule.RECURRING else None,
        valid_to=form.valid_to if form.schedule is Schedule.RECURRING else None,
        hazards=[hazard.value for hazard in form.hazards],
        hazard_other=form.hazard_other,
        mitigations=[mitigation.value for mitigation in form.mitigations],
        checkin_person=form.checkin_person if Mitigation.CHECK_IN in form.mitigations else None,
        checkin_interval_minutes=(
            form.checkin_interval if Mitigation.CHECK_IN in form.mitigations else None
        ),
        mitigation_other=form.mitigation_other,
        emergency_name=form.emergency_name,
        emergency_phone=form.emergency_phone,
        trained=form.trained,
        adult=form.adult,
        risky=form.risky,
        status=Status.PENDING.value,
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    await session.flush()
    await audit.record(
        session,
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
    """What an action did: `changed`, or why not (`refused`) — the request as it now stands."""

    request: LoneWorkRequest | None
    changed: bool
    refused: str | None = None


async def _refuse(
    session: AsyncSession, request: LoneWorkRequest | None, actor_id: int, what: str, reason: str
) -> Outcome:
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action=f"lone_work.{what}.refused",
        entity_type=ENTITY,
        entity_id=None if request is None else request.id,
        after={"reason": reason},
    )
    return Outcome(request, False, reason)


async def get(session: AsyncSession, request_id: int) -> LoneWorkRequest | None:
    return await session.get(LoneWorkRequest, request_id)


async def _change(
    session: AsyncSession, request: LoneWorkRequest, from_status: Status, **values: Any
) -> bool:
    """Set `values` only if the request is still in `from_status` (False: it no longer was,
    and `request` now shows it as it is). The request is not read back after the change."""
    changed = await session.execute(
        update(LoneWorkRequest)
        .where(LoneWorkRequest.id == request.id, LoneWorkRequest.status == from_status.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if not getattr(changed, "rowcount", 0):
        await session.refresh(request)
        return False
    for name, value in values.items():
        set_committed_value(request, name, value)
    return True


async def decide(
    session: AsyncSession,
    request_id: int,
    *,
    actor_id: int,
    decision: Decision,
    note: str | None,
    now: datetime,
) -> Outcome:
    """The approver's decision; a second click or another person changes nothing."""
    request = await get(session, request_id)
    if request is None:
        return await _refuse(session, None, actor_id, "decide", "not_found")
    if request.approver_id != actor_id:
        return await _refuse(session, request, actor_id, "decide", "not_approver")
    if decision is not Decision.APPROVE and not (note and note.strip()):
        return Outcome(request, False, "note_required")
    before = request.snapshot()
    status = Status.REJECTED if decision is Decision.REJECT else Status.APPROVED
    changed = await _change(
        session,
        request,
        Status.PENDING,
        status=status.value,
        conditions=note.strip() if decision is Decision.APPROVE_WITH_CONDITIONS and note else None,
        decision_note=note.strip() if decision is Decision.REJECT and note else None,
        decided_by_id=actor_id,
        decided_at=now,
        updated_at=now,
    )
    if not changed:
        return await _refuse(session, request, actor_id, "decide", "already")
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action=f"lone_work.{decision.value}",
        entity_type=ENTITY,
        entity_id=request.id,
        before=before,
        after=request.snapshot(),
    )
    return Outcome(request, True)


async def _close(
    session: AsyncSession,
    request: LoneWorkRequest,
    *,
    actor_id: int | None,
    from_status: Status,
    to_status: Status,
    reason: str | None,
    now: datetime,
) -> bool:
    before = request.snapshot()
    changed = await _change(
        session,
        request,
        from_status,
        status=to_status.value,
        closed_by_id=actor_id,
        closed_at=now,
        close_reason=reason,
        updated_at=now,
    )
    if not changed:
        return False
    await audit.record(
        session,
        actor=person_actor(actor_id),
        action=f"lone_work.{to_status.value}",
        entity_type=ENTITY,
        entity_id=request.id,
        before=before,
        after=request.snapshot(),
    )
    return True


async def withdraw(
    session: AsyncSession, request_id: int, *, actor_id: int, now: datetime
) -> Outcome:
    """The requester takes back a request that is still pending."""
    request = await get(session, request_id)
    if request is None:
        return await _refuse(session, None, actor_id, "withdraw", "not_found")
    if request.requester_id != actor_id:
        return await _refuse(session, request, actor_id, "withdraw", "not_requester")
    closed = await _close(
        session,
        request,
        actor_id=actor_id,
        from_status=Status.PENDING,
        to_status=Status.WITHDRAWN,
        reason=None,
        now=now,
    )
    if not closed:
        return await _refuse(session, request, actor_id, "withdraw", "closed")
    return Outcome(request, True)


async def may_revoke(session: AsyncSession, request: LoneWorkRequest, person_id: int) -> bool:
    """The approver, or any leader of the request's unit."""
    if request.approver_id == person_id:
        return True
    return any(person.id == person_id for person in await approvers_for(session, request.unit_id))


async def revoke(
    session: AsyncSession, request_id: int, *, actor_id: int, reason: str | None, now: datetime
) -> Outcome:
    """Take back an approval (a reason is required)."""
    request = await get(session, request_id)
    if request is None:
        return await _refuse(session, None, actor_id, "revoke", "not_found")
    if not await may_revoke(session, request, actor_id):
        return await _refuse(session, request, actor_id, "revoke", "not_approver")
    if not (reason and reason.strip()):
        return Outcome(request, False, "note_required")
    closed = await _close(
        session,
        request,
        actor_id=actor_id,
        from_status=Status.APPROVED,
        to_status=Status.REVOKED,
        reason=reason.strip(),
        now=now,
    )
    if not closed:
        return await _refuse(session, request, actor_id, "revoke", "closed")
    return Outcome(request, True)


async def expire_due(session: AsyncSession, now: datetime) -> list[LoneWorkRequest]:
    """Approved or pending requests whose period has ended become expired."""
    due = (
        await session.scalars(
            select(LoneWorkRequest)
            .where(
                LoneWorkRequest.status.in_([Status.PENDING.value, Status.APPROVED.value]),
                LoneWorkRequest.expires_at <= now,
            )
            .order_by(LoneWorkRequest.id)
            .limit(500)
        )
    ).all()
    expired: list[LoneWorkRequest] = []
    for request in due:
        if await _close(
            session,
            request,
            actor_id=None,
            from_status=Status(request.status),
            to_status=Status.EXPIRED,
            reason=None,
            now=now,
        ):
            expired.append(request)
    return expired


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


async def overview_units(session: AsyncSession, person_id: int) -> list[Unit]:
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
    return list(
        (await session.scalars(select(Unit).where(Unit.id.in_(unit_ids)).order_by(Unit.name))).all()
    )


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
