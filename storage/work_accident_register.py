"""The work-accident register: the accidents that happened in a period, as the export shows
them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.work_accident import AccidentView
from storage.work_accident import view
from storage.work_accident_models import WorkAccident


async def happened_between(
    session: AsyncSession, start: datetime, end: datetime, unit_id: int | None = None
) -> list[AccidentView]:
    """The accidents that happened in [start, end) (of one unit, if given), by number."""
    query = select(WorkAccident).where(
        WorkAccident.occurred_at >= start, WorkAccident.occurred_at < end
    )
    if unit_id is not None:
        query = query.where(WorkAccident.unit_id == unit_id)
    found = (await session.scalars(query.order_by(WorkAccident.occurred_at, WorkAccident.id))).all()
    return [await view(session, accident) for accident in found]
