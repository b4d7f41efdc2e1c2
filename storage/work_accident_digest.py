"""The work-accident counts of the weekly digest: aggregate SQL grouped by unit, never a row,
and never a psychological accident of a unit with fewer than three accidents in the year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select

from domain.digest import Scope
from domain.i18n import local_date
from domain.numbering import local_year, year_bounds
from domain.work_accident import EasyStatus, InjuryKind, too_few_to_show
from storage.db import HotConnection
from storage.digest import in_scope
from storage.work_accident_models import WorkAccident

SOON = timedelta(days=7)


@dataclass(frozen=True)
class AccidentWeek:
    """Counts per unit id: reported in the scope's week, EASY reports due within a week of
    `scope.now`, and EASY reports past their deadline."""

    new: dict[int, int]
    due_soon: dict[int, int]
    overdue: dict[int, int]


async def _per_unit(connection: HotConnection, *conditions: ColumnElement[bool]) -> dict[int, int]:
    """`{unit_id: accidents}` of the accidents matching `conditions`, counted in the database."""
    unit = WorkAccident.unit_id
    rows = await connection.execute(select(unit, func.count()).where(*conditions).group_by(unit))
    return {int(unit_id): int(count) for unit_id, count in rows}


async def digest_counts(connection: HotConnection, scope: Scope) -> AccidentWeek:
    accident = WorkAccident
    units = in_scope(accident.unit_id, scope)
    year_start, year_end = year_bounds(local_year(scope.week_start))
    totals = await _per_unit(
        connection,
        units,
        accident.created_at >= year_start,
        accident.created_at < year_end,
    )
    shown = or_(
        accident.injury_kind == InjuryKind.PHYSICAL.value,
        accident.unit_id.not_in(sorted(too_few_to_show(totals))),
    )
    in_week = and_(accident.created_at >= scope.week_start, accident.created_at < scope.week_end)
    new = await _per_unit(connection, units, shown, in_week)
    today = local_date(scope.now)
    pending = accident.easy_status == EasyStatus.PENDING.value
    due_soon = await _per_unit(
        connection,
        units,
        shown,
        pending,
        accident.easy_due >= today,
        accident.easy_due < today + SOON,
    )
    overdue = await _per_unit(connection, units, shown, pending, accident.easy_due < today)
    return AccidentWeek(new=new, due_soon=due_soon, overdue=overdue)
