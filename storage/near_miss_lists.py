"""Near-miss reports in bulk: a person's open reports, the actions' reminders, the year's
register and its statistics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, bindparam, func, select, update

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
from storage import audit, rows
from storage.audit import AuditedConnection
from storage.db import HotConnection
from storage.models import Unit
from storage.near_miss import (
    ACTION_COLUMNS,
    ACTIONS,
    ENTITY,
    LIST_LIMIT,
    REPORT_COLUMNS,
    REPORTS,
    ActionRow,
    ReportRow,
    people_of,
    report_row,
    report_view,
    roles_by_person,
)
from storage.near_miss_models import NearMissPhoto

_REPORT = REPORTS.c
_ACTION = ACTIONS.c
_OPEN_ACTIONS = (
    select(func.count())
    .where(_ACTION.report_id == _REPORT.id, _ACTION.status == ActionStatus.OPEN.value)
    .scalar_subquery()
)
_UNIT_NAME = select(Unit.name).where(Unit.id == _REPORT.unit_id).scalar_subquery()
# Built once (binding parameters): building a statement costs as much as running it.
_OPEN = (
    select(
        _REPORT.id,
        _REPORT.number,
        func.coalesce(_UNIT_NAME, ""),
        _REPORT.category,
        _REPORT.severity,
        _REPORT.status,
        _REPORT.created_at,
        _OPEN_ACTIONS,
    )
    .where(_REPORT.status != Status.CLOSED.value)
    .order_by(_REPORT.created_at.desc(), _REPORT.id.desc())
)
_OPEN_IN_UNITS = _OPEN.where(_REPORT.unit_id.in_(bindparam("unit_ids", expanding=True)))
_UNIT_NAMES = select(Unit.id, Unit.name).where(Unit.id.in_(bindparam("unit_ids", expanding=True)))
_DUE = (
    select(*ACTION_COLUMNS)
    .join(REPORTS, _REPORT.id == _ACTION.report_id)
    .where(
        _ACTION.status == ActionStatus.OPEN.value,
        _ACTION.reminded_at.is_(None),
        _ACTION.due_date <= bindparam("today"),
        _REPORT.status != Status.CLOSED.value,
    )
    .order_by(_ACTION.due_date, _ACTION.id)
)
_MARK_REMINDED = (
    update(ACTIONS)
    .where(_ACTION.id == bindparam("action_id"), _ACTION.reminded_at.is_(None))
    .values(reminded_at=bindparam("now"))
    .returning(_ACTION.report_id, _ACTION.owner_id)
)

# -- lists and reminders -----------------------------------------------------------------------


@dataclass(frozen=True)
class OpenList:
    """The open reports a person may see: `units` None means every unit (secretariat)."""

    units: list[str] | None
    reports: list[ReportSummary]
    total: int
    # the AMK's unit ids (None: every unit)
    unit_ids: list[int] | None = None


async def open_reports_for(connection: HotConnection, person_id: int) -> OpenList | None:
    """An AMK's units' open reports, the secretariat's for all units; None for others."""
    held = (await roles_by_person(connection, [person_id]))[person_id]
    secretariat = (Role.SECRETARIAT.value, None) in held
    unit_ids = sorted({unit_id for role, unit_id in held if role == Role.AMK.value and unit_id})
    if not secretariat and not unit_ids:
        return None
    if secretariat:
        rows = (await connection.execute(_OPEN)).all()
    else:
        rows = (await connection.execute(_OPEN_IN_UNITS, {"unit_ids": unit_ids})).all()
    summaries = [
        ReportSummary(
            id=row[0],
            number=row[1],
            unit_name=row[2],
            category=Category(row[3]),
            severity=Severity(row[4]),
            status=Status(row[5]),
            created_at=row[6],
            open_actions=int(row[7]),
        )
        for row in rows[:LIST_LIMIT]
    ]
    scope = None
    if not secretariat:
        names = dict((await connection.execute(_UNIT_NAMES, {"unit_ids": unit_ids})).all())
        scope = sorted(str(names.get(unit_id, "")) for unit_id in unit_ids)
    return OpenList(
        units=scope,
        reports=summaries,
        total=len(rows),
        unit_ids=None if secretariat else unit_ids,
    )


async def due_reminders(connection: HotConnection, now: datetime) -> list[ActionRow]:
    """Open actions whose due date (08:00 Copenhagen) has come and that were not reminded."""
    today = now.astimezone(COPENHAGEN).date()
    candidates = [ActionRow(*row) for row in await connection.execute(_DUE, {"today": today})]
    return [action for action in candidates if reminder_due_at(action.due_date) <= now]


async def mark_reminded(connection: AuditedConnection, action_id: int, now: datetime) -> None:
    """The action's owner was reminded (once: a second call changes nothing)."""
    marked = (
        await connection.execute(_MARK_REMINDED, {"action_id": action_id, "now": now})
    ).first()
    if marked is None:
        return
    report_id, owner_id = marked
    await audit.record(
        connection,
        actor=audit.SYSTEM_ACTOR,
        action="near_miss.action.remind",
        entity_type=ENTITY,
        entity_id=report_id,
        after={"action_id": action_id, "owner_id": owner_id},
    )


# -- the register and the statistics -----------------------------------------------------------


def _made_in(
    start: datetime, end: datetime, unit_ids: Collection[int] | None
) -> ColumnElement[bool]:
    made = and_(_REPORT.created_at >= start, _REPORT.created_at < end)
    return made if unit_ids is None else and_(made, _REPORT.unit_id.in_(sorted(unit_ids)))


async def _reports_in(
    connection: HotConnection,
    start: datetime,
    end: datetime,
    unit_ids: Collection[int] | None = None,
) -> list[ReportRow]:
    """The reports made in [start, end) (in `unit_ids`, if given) with their actions, oldest
    first: two statements."""
    made = _made_in(start, end, unit_ids)
    actions: dict[int, list[ActionRow]] = {}
    for row in await connection.execute(
        select(*ACTION_COLUMNS)
        .join(REPORTS, _REPORT.id == _ACTION.report_id)
        .where(made)
        .order_by(_ACTION.id)
    ):
        action = ActionRow(*row)
        actions.setdefault(action.report_id, []).append(action)
    rows = await connection.execute(
        select(*REPORT_COLUMNS).where(made).order_by(_REPORT.created_at, _REPORT.id)
    )
    return [report_row(row, actions.get(row[0], ())) for row in rows]


async def reports_between(
    connection: HotConnection,
    start: datetime,
    end: datetime,
    *,
    unit_ids: Collection[int] | None = None,
) -> list[ReportView]:
    """Every report made in [start, end) (in `unit_ids`, if given), oldest first, for the
    register."""
    reports = await _reports_in(connection, start, end, unit_ids)
    ids: set[int | None] = set()
    for report in reports:
        ids |= people_of(report)
    people = await rows.people(connection, ids)
    photos = dict(
        (
            await connection.execute(
                select(NearMissPhoto.report_id, func.count())
                .join(REPORTS, _REPORT.id == NearMissPhoto.report_id)
                .where(_made_in(start, end, unit_ids))
                .group_by(NearMissPhoto.report_id)
            )
        ).all()
    )
    return [report_view(report, people, int(photos.get(report.id, 0))) for report in reports]


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
    connection: HotConnection,
    start: datetime,
    end: datetime,
    *,
    now: datetime | None = None,
    unit_ids: Collection[int] | None = None,
) -> NearMissStatistics:
    """Counts and median times of the reports made in [start, end) (in `unit_ids`, if
    given; the digest uses this too). Every category, severity, status and quarter is
    listed, also with zero."""
    reports = await _reports_in(connection, start, end, unit_ids)
    today = (now or datetime.now(COPENHAGEN)).astimezone(COPENHAGEN).date()
    by_unit = Counter(report.unit_name for report in reports)
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
