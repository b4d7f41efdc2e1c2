"""The near-miss counts of the weekly digest: aggregate SQL grouped by unit, never a row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, and_, func, select

from domain.digest import Scope
from domain.near_miss import Severity, Status
from storage.db import HotConnection
from storage.digest import in_scope
from storage.near_miss_models import NearMissReport

SERIOUS = (Severity.VERY_SERIOUS.value, Severity.LIFE_THREATENING.value)


@dataclass(frozen=True)
class NearMissWeek:
    """The scope's week of near misses: counts per unit id, and per category value."""

    new: dict[int, int]
    serious: dict[int, int]
    old_open: dict[int, int]
    """Reports still open more than 30 days after they were made (any week)."""
    by_category: dict[str, int]


async def _per_unit(connection: HotConnection, *conditions: ColumnElement[bool]) -> dict[int, int]:
    """`{unit_id: reports}` of the reports matching `conditions`, counted in the database."""
    unit = NearMissReport.unit_id
    rows = await connection.execute(select(unit, func.count()).where(*conditions).group_by(unit))
    return {int(unit_id): int(count) for unit_id, count in rows}


async def digest_counts(connection: HotConnection, scope: Scope) -> NearMissWeek:
    """New and serious reports of the scope's week, and reports open for over 30 days."""
    report = NearMissReport
    in_week = and_(report.created_at >= scope.week_start, report.created_at < scope.week_end)
    units = in_scope(report.unit_id, scope)
    new = await _per_unit(connection, in_week, units)
    serious = await _per_unit(connection, in_week, units, report.severity.in_(SERIOUS))
    # The open statuses by name (not "!= closed"), so the (status, created_at) index serves it.
    old_open = await _per_unit(
        connection,
        units,
        report.status.in_([status.value for status in Status if status.is_open]),
        report.created_at < scope.now - timedelta(days=30),
    )
    category_rows = await connection.execute(
        select(report.category, func.count()).where(in_week, units).group_by(report.category)
    )
    by_category = {str(category): int(count) for category, count in category_rows}
    return NearMissWeek(new=new, serious=serious, old_open=old_open, by_category=by_category)
