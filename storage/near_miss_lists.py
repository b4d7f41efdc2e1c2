"""Near-miss reports in bulk: a person's open reports, the actions' reminders, the year's
register and its statistics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from domain.i18n import COPENHAGEN
from domain.near_miss import (
    ActionStatus,
    Category,
    NearMissStatistics,
    ReportSummary,
    ReportView,
    Severity,
    Status,
    median_duration,
    quarter_of,
    reminder_due_at,
)
from domain.org import Role
from storage import audit, org
from storage.near_miss import ENTITY, LIST_LIMIT, people_by_id, people_of, view
from storage.near_miss_models import NearMissAction, NearMissReport

# -- lists and reminders -----------------------------------------------------------------------


@dataclass(frozen=True)
class OpenList:
    """The open reports a person may see: `units` None means every unit (secretariat)."""

    units: list[str] | None
    reports: list[ReportSummary]
    total: int
    # the AMK's unit ids (None: every unit)
    unit_ids: list[int] | None = None


async def open_reports_for(session: AsyncSession, person_id: int) -> OpenList | None:
    """An AMK's units' open reports, the secretariat's for all units; None for others."""
    roles = await org.roles_of(session, person_id)
    secretariat = any(r.role == Role.SECRETARIAT.value and r.unit_id is None for r in roles)
    unit_ids = sorted(
        {r.unit_id for r in roles if r.role == Role.AMK.value and r.unit_id is not None}
    )
    if not secretariat and not unit_ids:
        return None
    query = (
        select(NearMissReport)
        .where(NearMissReport.status != Status.CLOSED.value)
        .options(selectinload(NearMissReport.actions))
        .order_by(NearMissReport.created_at.desc(), NearMissReport.id.desc())
    )
    if not secretariat:
        query = query.where(NearMissReport.unit_id.in_(unit_ids))
    reports = list((await session.scalars(query)).all())
    units = {unit.id: unit.name for unit in await org.list_units(session, only_active=False)}
    summaries = [
        ReportSummary(
            id=report.id,
            number=report.number,
            unit_name=units.get(report.unit_id, ""),
            category=Category(report.category),
            severity=Severity(report.severity),
            status=Status(report.status),
            created_at=report.created_at,
            open_actions=sum(1 for a in report.actions if a.status == ActionStatus.OPEN.value),
        )
        for report in reports[:LIST_LIMIT]
    ]
    scope = None if secretariat else sorted(units.get(unit_id, "") for unit_id in unit_ids)
    return OpenList(
        units=scope,
        reports=summaries,
        total=len(reports),
        unit_ids=None if secretariat else unit_ids,
    )


async def due_reminders(session: AsyncSession, now: datetime) -> list[NearMissAction]:
    """Open actions whose due date (08:00 Copenhagen) has come and that were not reminded."""
    today = now.astimezone(COPENHAGEN).date()
    candidates = await session.scalars(
        select(NearMissAction)
        .join(NearMissReport)
        .where(
            NearMissAction.status == ActionStatus.OPEN.value,
            NearMissAction.reminded_at.is_(None),
            NearMissAction.due_date <= today,
            NearMissReport.status != Status.CLOSED.value,
        )
        .order_by(NearMissAction.due_date, NearMissAction.id)
    )
    return [action for action in candidates if reminder_due_at(action.due_date) <= now]


async def mark_reminded(session: AsyncSession, action_id: int, now: datetime) -> None:
    action = await session.get(NearMissAction, action_id)
    if action is None or action.reminded_at is not None:
        return
    action.reminded_at = now
    await audit.record(
        session,
        actor=audit.SYSTEM_ACTOR,
        action="near_miss.action.remind",
        entity_type=ENTITY,
        entity_id=action.report_id,
        after={"action_id": action.id, "owner_id": action.owner_id},
    )


# -- the register and the statistics -----------------------------------------------------------


async def _reports_in(
    session: AsyncSession,
    start: datetime,
    end: datetime,
    unit_ids: Collection[int] | None = None,
) -> list[NearMissReport]:
    query = select(NearMissReport).where(
        NearMissReport.created_at >= start, NearMissReport.created_at < end
    )
    if unit_ids is not None:
        query = query.where(NearMissReport.unit_id.in_(list(unit_ids)))
    return list(
        (
            await session.scalars(
                query.options(selectinload(NearMissReport.actions)).order_by(
                    NearMissReport.created_at, NearMissReport.id
                )
            )
        ).all()
    )


async def reports_between(
    session: AsyncSession,
    start: datetime,
    end: datetime,
    *,
    unit_ids: Collection[int] | None = None,
) -> list[ReportView]:
    """Every report made in [start, end) (in `unit_ids`, if given), oldest first, for the
    register."""
    reports = await _reports_in(session, start, end, unit_ids)
    ids: set[int | None] = set()
    for report in reports:
        ids |= people_of(report)
    people = await people_by_id(session, ids)
    # Held here so `view`'s session.get(Unit, …) finds them in the (weak) identity map
    # instead of one SELECT per report.
    units = await org.list_units(session, only_active=False)
    views = [await view(session, report, people) for report in reports]
    del units
    return views


def _quarters(start: datetime, end: datetime) -> list[tuple[int, int]]:
    first = quarter_of(start)
    last = quarter_of(end - timedelta(microseconds=1))
    quarters = []
    year, quarter = first
    while (year, quarter) <= last:
        quarters.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarters


async def statistics(
    session: AsyncSession,
    start: datetime,
    end: datetime,
    *,
    now: datetime | None = None,
    unit_ids: Collection[int] | None = None,
) -> NearMissStatistics:
    """Counts and median times of the reports made in [start, end) (in `unit_ids`, if
    given; the digest uses this too). Every category, severity, status and quarter is
    listed, also with zero."""
    reports = await _reports_in(session, start, end, unit_ids)
    units = {unit.id: unit.name for unit in await org.list_units(session, only_active=False)}
    today = (now or datetime.now(COPENHAGEN)).astimezone(COPENHAGEN).date()
    by_unit = Counter(units.get(report.unit_id, "") for report in reports)
    by_quarter: dict[tuple[int, int], int] = dict.fromkeys(_quarters(start, end), 0)
    for report in reports:
        key = quarter_of(report.created_at)
        by_quarter[key] = by_quarter.get(key, 0) + 1
    to_ack = [r.acknowledged_at - r.created_at for r in reports if r.acknowledged_at is not None]
    to_close = [r.closed_at - r.created_at for r in reports if r.closed_at is not None]
    actions = [a for report in reports for a in report.actions]
    open_actions = [a for a in actions if a.status == ActionStatus.OPEN.value]
    return NearMissStatistics(
        start=start,
        end=end,
        total=len(reports),
        anonymous=sum(1 for report in reports if report.anonymous),
        injuries=sum(1 for report in reports if report.injury),
        by_unit=dict(sorted(by_unit.items(), key=lambda item: item[0].casefold())),
        by_category={c: sum(1 for r in reports if r.category == c.value) for c in Category},
        by_severity={s: sum(1 for r in reports if r.severity == s.value) for s in Severity},
        by_status={s: sum(1 for r in reports if r.status == s.value) for s in Status},
        by_quarter=dict(sorted(by_quarter.items())),
        acknowledged=len(to_ack),
        closed=len(to_close),
        median_to_acknowledge=median_duration(to_ack),
        median_to_close=median_duration(to_close),
        open_actions=len(open_actions),
        overdue_actions=sum(1 for a in open_actions if a.due_date < today),
    )
