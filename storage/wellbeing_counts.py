"""Well-being counts per unit for the overview, the weekly digest and the plan card (never
any text)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

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
from storage.rows import UnitRow, connection_of
from storage.wellbeing import OPEN_STATUSES, amd_of
from storage.wellbeing_items import item_views, plan_items
from storage.wellbeing_models import (
    WellbeingActionItem,
    WellbeingAnnualDiscussion,
    WellbeingDialogue,
)

# -- counts for the overview and the weekly digest (never any text) --------------------------


async def overdue_counts_by_unit(session: AsyncSession, today: date) -> dict[int, int]:
    """`{unit_id: open items past their deadline}`."""
    rows = await session.execute(
        select(WellbeingActionItem.unit_id, func.count())
        .where(
            WellbeingActionItem.status.in_(OPEN_STATUSES),
            WellbeingActionItem.deadline < today,
        )
        .group_by(WellbeingActionItem.unit_id)
    )
    return {unit_id: int(count) for unit_id, count in rows}


async def open_counts_by_unit(session: AsyncSession) -> dict[int, int]:
    rows = await session.execute(
        select(WellbeingActionItem.unit_id, func.count())
        .where(WellbeingActionItem.status.in_(OPEN_STATUSES))
        .group_by(WellbeingActionItem.unit_id)
    )
    return {unit_id: int(count) for unit_id, count in rows}


async def last_dialogue_by_unit(session: AsyncSession) -> dict[int, tuple[date, int]]:
    """`{unit_id: (date of the last dialogue, number of dialogues)}`."""
    rows = await session.execute(
        select(
            WellbeingDialogue.unit_id, func.max(WellbeingDialogue.held_on), func.count()
        ).group_by(WellbeingDialogue.unit_id)
    )
    return {unit_id: (held, int(count)) for unit_id, held, count in rows}


async def groups_by_unit(
    on: AsyncSession | HotConnection, interval_years: int, unit_ids: Iterable[int] | None = None
) -> dict[int, list[GroupStatus]]:
    """`{unit_id: each group's latest dialogue and due day}`, the group due first first
    (group names compared without case or extra spaces)."""
    connection = await connection_of(on)
    query = select(
        WellbeingDialogue.unit_id, WellbeingDialogue.group_name, func.max(WellbeingDialogue.held_on)
    ).group_by(WellbeingDialogue.unit_id, WellbeingDialogue.group_name)
    if unit_ids is not None:
        query = query.where(WellbeingDialogue.unit_id.in_(list(unit_ids)))
    latest: dict[int, list[tuple[str, date]]] = {}
    for unit_id, name, held in await connection.execute(query):
        latest.setdefault(unit_id, []).append((name, held))
    return {unit_id: group_statuses(pairs, interval_years) for unit_id, pairs in latest.items()}


async def amd_dates(session: AsyncSession, year: int) -> dict[int, date]:
    rows = await session.execute(
        select(WellbeingAnnualDiscussion.unit_id, WellbeingAnnualDiscussion.held_on).where(
            WellbeingAnnualDiscussion.year == year
        )
    )
    return {unit_id: held for unit_id, held in rows}


async def unit_statuses(
    session: AsyncSession,
    today: date,
    interval_years: int,
    unit_ids: Iterable[int] | None = None,
) -> list[UnitStatus]:
    """Counts per active unit: dialogues, each group's latest and due day, when the unit is
    next due (its first group), open/overdue items, AMD."""
    units = await org.list_units(session)
    if unit_ids is not None:
        wanted = set(unit_ids)
        units = [unit for unit in units if unit.id in wanted]
    last = await last_dialogue_by_unit(session)
    groups = await groups_by_unit(session, interval_years, [unit.id for unit in units])
    open_counts = await open_counts_by_unit(session)
    overdue = await overdue_counts_by_unit(session, today)
    amd = await amd_dates(session, today.year)
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
    session: AsyncSession, today: date, interval_years: int, *, within_days: int = 0
) -> list[UnitStatus]:
    """Units with a group whose next dialogue is due by `today + within_days` (never held =
    due now)."""
    horizon = today + timedelta(days=within_days)
    return [
        status
        for status in await unit_statuses(session, today, interval_years)
        if status.due_on <= horizon
    ]


async def units_without_amd(session: AsyncSession, year: int) -> list[UnitRef]:
    """Active units that have not recorded `year`'s annual work-environment discussion."""
    held = await amd_dates(session, year)
    return [
        UnitRef(id=unit.id, name=unit.name)
        for unit in await org.list_units(session)
        if unit.id not in held
    ]


async def plan_view(
    session: AsyncSession, unit: UnitRow, *, now: datetime, interval_years: int
) -> PlanView:
    """The unit's current plan with the dates the plan card shows."""
    today = local_today(now)
    items = await item_views(session, await plan_items(session, unit.id, now))
    groups = (await groups_by_unit(session, interval_years, [unit.id])).get(unit.id, [])
    amd = await amd_of(session, unit.id, today.year)
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
