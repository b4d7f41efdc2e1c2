"""The lone-work counts of the weekly digest: aggregate SQL grouped by unit, never a row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, func, select

from domain.digest import Scope
from domain.lone_work import Status
from domain.working_days import working_days_before
from storage.db import HotConnection
from storage.digest import in_scope
from storage.lone_work_models import LoneWorkRequest


@dataclass(frozen=True)
class LoneWorkWeek:
    """Counts per unit id."""

    waiting: dict[int, int]
    """Requests pending for more than two working days."""
    risky_next_week: dict[int, int]
    """Approved risky requests valid at some time in the week after the scope's week."""


async def _per_unit(connection: HotConnection, *conditions: ColumnElement[bool]) -> dict[int, int]:
    """`{unit_id: requests}` of the requests matching `conditions`, counted in the database."""
    unit = LoneWorkRequest.unit_id
    rows = await connection.execute(select(unit, func.count()).where(*conditions).group_by(unit))
    return {int(unit_id): int(count) for unit_id, count in rows}


async def digest_counts(connection: HotConnection, scope: Scope) -> LoneWorkWeek:
    """Requests waiting too long for a decision, and risky work approved for the coming week."""
    request = LoneWorkRequest
    units = in_scope(request.unit_id, scope)
    waiting = await _per_unit(
        connection,
        units,
        request.status == Status.PENDING.value,
        request.created_at < working_days_before(scope.now, 2),
    )
    coming_start = scope.week_end
    coming_end = coming_start + timedelta(days=7)
    risky = await _per_unit(
        connection,
        units,
        request.status == Status.APPROVED.value,
        request.risky.is_(True),
        request.starts_at < coming_end,
        request.expires_at > coming_start,
    )
    return LoneWorkWeek(waiting=waiting, risky_next_week=risky)
