"""The work-accident register: the accidents that happened in a period, as the export shows
them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam

from domain.work_accident import AccidentView
from storage.db import HotConnection
from storage.work_accident import ACCIDENT, ACCIDENTS, AccidentRow, view

_HAPPENED = ACCIDENT.where(
    ACCIDENTS.c.occurred_at >= bindparam("start"), ACCIDENTS.c.occurred_at < bindparam("end")
)
_ORDER = (ACCIDENTS.c.occurred_at, ACCIDENTS.c.id)
_HAPPENED_ANYWHERE = _HAPPENED.order_by(*_ORDER)
_HAPPENED_IN_UNIT = _HAPPENED.where(ACCIDENTS.c.unit_id == bindparam("unit_id")).order_by(*_ORDER)


async def happened_between(
    connection: HotConnection, start: datetime, end: datetime, unit_id: int | None = None
) -> list[AccidentView]:
    """The accidents that happened in [start, end) (of one unit, if given), by time."""
    if unit_id is None:
        rows = await connection.execute(_HAPPENED_ANYWHERE, {"start": start, "end": end})
    else:
        rows = await connection.execute(
            _HAPPENED_IN_UNIT, {"start": start, "end": end, "unit_id": unit_id}
        )
    found = [AccidentRow(*row) for row in rows]
    return [await view(connection, accident) for accident in found]
