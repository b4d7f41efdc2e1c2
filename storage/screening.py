"""Sister-screening requests: a new one, the asked unit's answer (once), and the requests a
unit's overview shows (those it made and those made of it)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, insert, or_, select, update

from domain.i18n import local_date
from domain.screening import ScreeningStatus, ScreeningView
from storage import audit
from storage.db import HotConnection
from storage.models import Unit
from storage.screening_models import ScreeningRequest

ENTITY = "screening_request"

_REQUEST = ScreeningRequest.__table__.c
_UNIT = Unit.__table__
_PARTNER = _UNIT.alias("partner_unit")
_VIEWS = (
    select(
        _REQUEST.id,
        _REQUEST.unit_id,
        _UNIT.c.name,
        _REQUEST.partner_unit_id,
        _PARTNER.c.name,
        _REQUEST.status,
        _REQUEST.created_at,
        _REQUEST.planned_on,
    )
    .join(_UNIT, _UNIT.c.id == _REQUEST.unit_id)
    .join(_PARTNER, _PARTNER.c.id == _REQUEST.partner_unit_id)
    .order_by(_REQUEST.id.desc())
)
_INSERT = insert(ScreeningRequest).returning(_REQUEST.id)


async def add_request(
    connection: audit.AuditedConnection,
    *,
    unit_id: int,
    partner_id: int,
    actor_id: int,
    actor: str,
) -> int:
    """`unit_id` asks `partner_id` for a sister screening (audited); the request's id."""
    request_id: int = (
        await connection.execute(
            _INSERT,
            {
                "unit_id": unit_id,
                "partner_unit_id": partner_id,
                "status": ScreeningStatus.REQUESTED.value,
                "requested_by_id": actor_id,
            },
        )
    ).scalar_one()
    await audit.record(
        connection,
        actor=actor,
        action="screening.request",
        entity_type=ENTITY,
        entity_id=request_id,
        after={"unit_id": unit_id, "partner_unit_id": partner_id},
    )
    return request_id


async def answer(
    connection: audit.AuditedConnection,
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
    result = await connection.execute(
        update(ScreeningRequest)
        .where(
            ScreeningRequest.id == request_id,
            ScreeningRequest.status == ScreeningStatus.REQUESTED.value,
        )
        .values(
            status=status.value, planned_on=planned_on, answered_by_id=actor_id, answered_at=now
        )
    )
    changed = bool(result.rowcount)
    if changed:
        await audit.record(
            connection,
            actor=actor,
            action=f"screening.{status.value}",
            entity_type=ENTITY,
            entity_id=request_id,
            after={"status": status.value, "planned_on": planned_on and planned_on.isoformat()},
        )
    return changed


async def get(connection: HotConnection, request_id: int) -> ScreeningView | None:
    views = await _views(connection, _REQUEST.id == request_id)
    return views[0] if views else None


async def of_unit(connection: HotConnection, unit_id: int) -> list[ScreeningView]:
    """The requests the unit made and those made of it, newest first (at most 10)."""
    return await _views(
        connection,
        or_(_REQUEST.unit_id == unit_id, _REQUEST.partner_unit_id == unit_id),
        limit=10,
    )


async def accepted_of(connection: HotConnection, unit_id: int) -> list[ScreeningView]:
    """The accepted requests the unit made or was asked, newest first (at most 20): the
    sister screenings it can record as held."""
    return await _views(
        connection,
        _REQUEST.status == ScreeningStatus.ACCEPTED.value,
        or_(_REQUEST.unit_id == unit_id, _REQUEST.partner_unit_id == unit_id),
        limit=20,
    )


async def unanswered(connection: HotConnection) -> list[ScreeningView]:
    """Every request still waiting for its answer, oldest first."""
    views = await _views(connection, _REQUEST.status == ScreeningStatus.REQUESTED.value, limit=1000)
    return views[::-1]


async def requested_by(connection: HotConnection, request_id: int) -> int | None:
    found: int | None = (
        await connection.execute(select(_REQUEST.requested_by_id).where(_REQUEST.id == request_id))
    ).scalar()
    return found


async def _views(
    connection: HotConnection, *where: ColumnElement[bool], limit: int = 1
) -> list[ScreeningView]:
    rows: Any = await connection.execute(_VIEWS.where(*where).limit(limit))
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
