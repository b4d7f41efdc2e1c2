"""Well-being counts per unit for the overview, the weekly digest and the plan card (never
any text).

Core statements on the caller's connection; the digest's and the documentation overview's
queries also take an ORM session while those flows still read with one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, func, select

from domain.org import UnitRef
from domain.wellbeing import (
    GroupStatus,
    PlanView,
    UnitStatus,
    group_statuses,
    local_today,
    unit_dialogue_due,
)
from storage import org
from storage.db import HotConnection
from storage.org import Readable
from storage.rows import UnitRow
from storage.wellbeing import AMDS, DIALOGUES, ITEMS, OPEN_STATUSES, amd_of
from storage.wellbeing_items import item_views, plan_items

# -- counts for the overview and the weekly digest (never any text) --------------------------

_OVERDUE_COUNTS = (
    select(ITEMS.c.unit_id, func.count())
    .where(ITEMS.c.status.in_(OPEN_STATUSES), ITEMS.c.deadline < bindparam("today"))
    .group_by(ITEMS.c.unit_id)
)
_OPEN_COUNTS = (
    select(ITEMS.c.unit_id, func.count())
    .where(ITEMS.c.status.in_(OPEN_STATUSES))
    .group_by(ITEMS.c.unit_id)
)
_LAST_DIALOGUES = select(DIALOGUES.c.unit_id, func.max(DIALOGUES.c.held_on), func.count()).group_by(
    DIALOGUES.c.unit_id
)
_GROUPS = select(
    DIALOGUES.c.unit_id, DIALOGUES.c.group_name, func.max(DIALOGUES.c.held_on)
).group_by(DIALOGUES.c.unit_id, DIALOGUES.c.group_name)
_GROUPS_OF_UNITS = _GROUPS.where(DIALOGUES.c.unit_id.in_(bindparam("unit_ids", expanding=True)))
_AMD_DATES = select(AMDS.c.unit_id, AMDS.c.held_on).where(AMDS.c.year == bindparam("year"))


async def overdue_counts_by_unit(on: Readable, today: date) -> dict[int, int]:
    """`{unit_id: open items past their deadline}`."""
    rows = await on.execute(_OVERDUE_COUNTS, {"today": today})
    return {unit_id: int(count) for unit_id, count in rows}


async def open_counts_by_unit(connection: HotConnection) -> dict[int, int]:
    rows = await connection.execute(_OPEN_COUNTS)
    return {unit_id: int(count) for unit_id, count in rows}


async def last_dialogue_by_unit(connection: HotConnection) -> dict[int, tuple[date, int]]:
    """`{unit_id: (date of the last dialogue, number of dialogues)}`."""
    rows = await connection.execute(_LAST_DIALOGUES)
    return {unit_id: (held, int(count)) for unit_id, held, count in rows}


async def groups_by_unit(
    on: Readable,
    interval_years: int,
    unit_ids: Iterable[int] | None = None,
) -> dict[int, list[GroupStatus]]:
    """`{unit_id: each group's latest dialogue and due day}`, the group due first first
    (group names compared without case or extra spaces)."""
    connection = on
    if unit_ids is None:
        rows = await connection.execute(_GROUPS)
    else:
        rows = await connection.execute(_GROUPS_OF_UNITS, {"unit_ids": sorted(set(unit_ids))})
    latest: dict[int, list[tuple[str, date]]] = {}
    for unit_id, name, held in rows:
        latest.setdefault(unit_id, []).append((name, held))
    return {unit_id: group_statuses(pairs, interval_years) for unit_id, pairs in latest.items()}


async def amd_dates(connection: HotConnection, year: int) -> dict[int, date]:
    rows = await connection.execute(_AMD_DATES, {"year": year})
    return {unit_id: held for unit_id, held in rows}


async def unit_statuses(
    on: Readable,
    today: date,
    interval_years: int,
    unit_ids: Iterable[int] | None = None,
) -> list[UnitStatus]:
    """Counts per active unit: dialogues, each group's latest and due day, when the unit is
    next due (its first group), open/overdue items, AMD."""
    connection = on
    units = await org.unit_choices(connection)
    if unit_ids is not None:
        wanted = set(unit_ids)
        units = [unit for unit in units if unit.id in wanted]
    last = await last_dialogue_by_unit(connection)
    groups = await groups_by_unit(connection, interval_years, [unit.id for unit in units])
    open_counts = await open_counts_by_unit(connection)
    overdue = await overdue_counts_by_unit(connection, today)
    amd = await amd_dates(connection, today.year)
    statuses: list[UnitStatus] = []
    for unit in units:
        held, count = last.get(unit.id, (None, 0))
        unit_groups = groups.get(unit.id, [])
        statuses.append(
            UnitStatus(
                unit_id=unit.id,
                unit=unit.name,
                dialogues=count,
                last_held=held,
                due_on=unit_dialogue_due(unit_groups, today),
                open_items=open_counts.get(unit.id, 0),
                overdue_items=overdue.get(unit.id, 0),
                amd_held_on=amd.get(unit.id),
                groups=unit_groups,
            )
        )
    return statuses


async def dialogues_due(
    on: Readable, today: date, interval_years: int, *, within_days: int = 0
) -> list[UnitStatus]:
    """Units with a group whose next dialogue is due by `today + within_days` (never held =
    due now)."""
    horizon = today + timedelta(days=within_days)
    return [
        status
        for status in await unit_statuses(on, today, interval_years)
        if status.due_on <= horizon
    ]


async def units_without_amd(on: Readable, year: int) -> list[UnitRef]:
    """Active units that have not recorded `year`'s annual work-environment discussion."""
    connection = on
    held = await amd_dates(connection, year)
    return [unit for unit in await org.unit_choices(connection) if unit.id not in held]


async def plan_view(
    connection: HotConnection, unit: UnitRow, *, now: datetime, interval_years: int
) -> PlanView:
    """The unit's current plan with the dates the plan card shows."""
    today = local_today(now)
    items = await item_views(connection, await plan_items(connection, unit.id, now))
    groups = (await groups_by_unit(connection, interval_years, [unit.id])).get(unit.id, [])
    amd = await amd_of(connection, unit.id, today.year)
    return PlanView(
        unit_id=unit.id,
        unit=unit.name,
        items=items,
        last_held=max((group.last_held for group in groups), default=None),
        due_on=unit_dialogue_due(groups, today),
        amd_held_on=amd.held_on if amd else None,
        year=today.year,
        groups=groups,
    )
