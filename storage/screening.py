"""Sister-screening requests: a new one, the asked unit's answer (once), and the requests a
unit's overview shows (those it made and those made of it)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.i18n import local_date
from domain.screening import ScreeningStatus, ScreeningView
from storage import audit
from storage.models import Unit
from storage.screening_models import ScreeningRequest

ENTITY = "screening_request"


async def add_request(
    session: AsyncSession, *, unit_id: int, partner_id: int, actor_id: int, actor: str
) -> ScreeningRequest:
    """`unit_id` asks `partner_id` for a sister screening (audited)."""
    request = ScreeningRequest(
        unit_id=unit_id,
        partner_unit_id=partner_id,
        status=ScreeningStatus.REQUESTED.value,
        requested_by_id=actor_id,
    )
    session.add(request)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="screening.request",
        entity_type=ENTITY,
        entity_id=request.id,
        after={"unit_id": unit_id, "partner_unit_id": partner_id},
    )
    return request


async def answer(
    session: AsyncSession,
    request_id: int,
    *,
    status: ScreeningStatus,
    planned_on: date | None,
    actor_id: int,
    actor: str,
    now: datetime,
) -> bool:
    """The asked unit's answer, once: a conditional update on the open request (False: it
    was answered already)."""
    result = await session.execute(
        update(ScreeningRequest)
        .where(
            ScreeningRequest.id == request_id,
            ScreeningRequest.status == ScreeningStatus.REQUESTED.value,
        )
        .values(
            status=status.value, planned_on=planned_on, answered_by_id=actor_id, answered_at=now
        )
    )
    changed = bool(getattr(result, "rowcount", 0))
    if changed:
        await audit.record(
            session,
            actor=actor,
            action=f"screening.{status.value}",
            entity_type=ENTITY,
            entity_id=request_id,
            after={"status": status.value, "planned_on": planned_on and planned_on.isoformat()},
        )
    return changed


async def get(session: AsyncSession, request_id: int) -> ScreeningView | None:
    views = await _views(session, ScreeningRequest.id == request_id)
    return views[0] if views else None


async def of_unit(session: AsyncSession, unit_id: int) -> list[ScreeningView]:
    """The requests the unit made and those made of it, newest first (at most 10)."""
    return await _views(
        session,
        or_(ScreeningRequest.unit_id == unit_id, ScreeningRequest.partner_unit_id == unit_id),
        limit=10,
    )


async def accepted_of(session: AsyncSession, unit_id: int) -> list[ScreeningView]:
    """The accepted requests the unit made or was asked, newest first (at most 20): the
    sister screenings it can record as held."""
    return await _views(
        session,
        ScreeningRequest.status == ScreeningStatus.ACCEPTED.value,
        or_(ScreeningRequest.unit_id == unit_id, ScreeningRequest.partner_unit_id == unit_id),
        limit=20,
    )


async def unanswered(session: AsyncSession) -> list[ScreeningView]:
    """Every request still waiting for its answer, oldest first."""
    views = await _views(
        session, ScreeningRequest.status == ScreeningStatus.REQUESTED.value, limit=1000
    )
    return views[::-1]


async def requested_by(session: AsyncSession, request_id: int) -> int | None:
    return await session.scalar(
        select(ScreeningRequest.requested_by_id).where(ScreeningRequest.id == request_id)
    )


async def _views(session: AsyncSession, *where: object, limit: int = 1) -> list[ScreeningView]:
    partner = aliased(Unit)
    rows = await session.execute(
        select(
            ScreeningRequest.id,
            ScreeningRequest.unit_id,
            Unit.name,
            ScreeningRequest.partner_unit_id,
            partner.name,
            ScreeningRequest.status,
            ScreeningRequest.created_at,
            ScreeningRequest.planned_on,
        )
        .join(Unit, Unit.id == ScreeningRequest.unit_id)
        .join(partner, partner.id == ScreeningRequest.partner_unit_id)
        .where(*where)  # type: ignore[arg-type]
        .order_by(ScreeningRequest.id.desc())
        .limit(limit)
    )
    return [
        ScreeningView(
            id=row[0],
            unit_id=row[1],
            unit=row[2],
            partner_id=row[3],
            partner=row[4],
            status=ScreeningStatus(row[5]),
            requested_on=local_date(row[6]),
            planned_on=row[7],
        )
        for row in rows
    ]
