"""A unit's action-plan export (`python -m bot export action-plan`): read, then write."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from domain.org import UnknownUnit
from domain.wellbeing import DEFAULT_DIALOGUE_INTERVAL_YEARS
from reports import wellbeing as wellbeing_report
from storage import org, wellbeing_counts
from storage.db import Database
from storage.models import utcnow


async def export_action_plan(
    db: Database,
    unit_name: str,
    out: Path,
    *,
    interval_years: int = DEFAULT_DIALOGUE_INTERVAL_YEARS,
) -> int:
    """Write the unit's current plan (open items, and those closed within a year); returns
    the number of items. Raises `UnknownUnit` when no unit has that name."""
    return (await prepare_action_plan(db, unit_name, interval_years=interval_years))(out)


async def prepare_action_plan(
    db: Database, unit_name: str, *, interval_years: int = DEFAULT_DIALOGUE_INTERVAL_YEARS
) -> Callable[[Path], int]:
    """Read the unit's current plan (never a dialogue's notes); the workbook is written by
    the returned function. Raises `UnknownUnit` when no unit has that name."""
    now = utcnow()
    async with db.reading() as connection:
        unit = await org.unit_by_name(connection, unit_name)
        if unit is None:
            raise UnknownUnit(unit_name)
        plan = await wellbeing_counts.plan_view(
            connection, unit, now=now, interval_years=interval_years
        )
    return partial(wellbeing_report.write_workbook, plan=plan, now=now)
