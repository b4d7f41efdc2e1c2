"""Composing the weekly digest: each landed flow contributes one section of counts per unit.

Everything here is aggregate SQL (counts grouped by unit), so a decade of data composes in
well under a second, and the card never lists individual people.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from domain.digest import Bar, DigestContent, Line, Scope, Section, unit_counts
from domain.i18n import COPENHAGEN
from domain.lone_work import Status as LoneWorkStatus
from domain.lone_work import working_days_before
from domain.near_miss import Category, Severity
from domain.near_miss import Status as NearMissStatus
from reports import wellbeing as wellbeing_report
from storage import digest as digest_store
from storage import org, precursors
from storage.lone_work_models import LoneWorkRequest
from storage.near_miss_models import NearMissReport

SectionBuilder = Callable[[AsyncSession, Scope, dict[int, str]], Awaitable[Section]]
SERIOUS = (Severity.VERY_SERIOUS.value, Severity.LIFE_THREATENING.value)


def _in_scope(column: InstrumentedAttribute[int], scope: Scope) -> ColumnElement[bool]:
    if scope.unit_ids is None:
        return and_(True)
    return column.in_(sorted(scope.unit_ids))


async def _per_unit(
    session: AsyncSession, unit_column: InstrumentedAttribute[int], *conditions: ColumnElement[bool]
) -> dict[int, int]:
    rows = await session.execute(
        select(unit_column, func.count()).where(*conditions).group_by(unit_column)
    )
    return {int(unit_id): int(count) for unit_id, count in rows.tuples()}


def _count_line(
    key: str,
    counts: dict[int, int],
    names: dict[int, str],
    scope: Scope,
    *,
    highlight: bool = False,
    names_only: bool = False,
) -> list[Line]:
    total = sum(counts.values())
    if not total:
        return []
    by_name = {names.get(unit_id, "?"): count for unit_id, count in counts.items()}
    units = unit_counts(by_name, limit=scope.list_limit, names_only=names_only)
    return [Line(key=key, values={"count": total, "units": units}, highlight=highlight)]


async def near_miss_section(session: AsyncSession, scope: Scope, names: dict[int, str]) -> Section:
    report = NearMissReport
    in_week = and_(report.created_at >= scope.week_start, report.created_at < scope.week_end)
    units = _in_scope(report.unit_id, scope)
    new = await _per_unit(session, report.unit_id, in_week, units)
    serious = await _per_unit(session, report.unit_id, in_week, units, report.severity.in_(SERIOUS))
    # The open statuses by name (not "!= closed"), so the (status, created_at) index serves it.
    old_open = await _per_unit(
        session,
        report.unit_id,
        units,
        report.status.in_([status.value for status in NearMissStatus if status.is_open]),
        report.created_at < scope.now - timedelta(days=30),
    )
    category_rows = await session.execute(
        select(report.category, func.count()).where(in_week, units).group_by(report.category)
    )
    by_category = {str(category): int(count) for category, count in category_rows.tuples()}
    chart = [
        Bar(label=category.value, label_key=f"near_miss.category.{category.value}", value=count)
        for category in Category
        if (count := int(by_category.get(category.value, 0)))
    ]
    return Section(
        flow="near_miss",
        title_key="digest.near_miss.title",
        chart_title_key="digest.near_miss.chart",
        chart=chart,
        lines=[
            *_count_line("digest.near_miss.new", new, names, scope),
            *_count_line("digest.near_miss.serious", serious, names, scope, highlight=True),
            *_count_line("digest.near_miss.old_open", old_open, names, scope),
        ],
    )


async def lone_work_section(session: AsyncSession, scope: Scope, names: dict[int, str]) -> Section:
    request = LoneWorkRequest
    units = _in_scope(request.unit_id, scope)
    waiting = await _per_unit(
        session,
        request.unit_id,
        units,
        request.status == LoneWorkStatus.PENDING.value,
        request.created_at < working_days_before(scope.now, 2),
    )
    coming_start = scope.week_end
    coming_end = coming_start + timedelta(days=7)
    risky = await _per_unit(
        session,
        request.unit_id,
        units,
        request.status == LoneWorkStatus.APPROVED.value,
        request.risky.is_(True),
        request.starts_at < coming_end,
        request.expires_at > coming_start,
    )
    return Section(
        flow="lone_work",
        title_key="digest.lone_work.title",
        lines=[
            *_count_line("digest.lone_work.waiting", waiting, names, scope, highlight=True),
            *_count_line("digest.lone_work.risky_next_week", risky, names, scope),
        ],
    )


async def wellbeing_section(session: AsyncSession, scope: Scope, names: dict[int, str]) -> Section:
    """Overdue action-plan items, dialogues due, missing annual discussions (reports.wellbeing)."""
    return await wellbeing_report.digest_section(scope.dialogue_interval_years)(
        session, scope, names
    )


async def precursors_section(session: AsyncSession, scope: Scope, names: dict[int, str]) -> Section:
    today = scope.now.astimezone(COPENHAGEN).date()
    status = await precursors.deadline_status(
        session, today=today, deadline=scope.precursor_deadline
    )
    if not -30 <= status.days_left <= 90:
        return Section(flow="precursors", title_key="digest.precursors.title")
    ids = {name: unit_id for unit_id, name in names.items()}
    missing = {
        ids[name]: 1
        for name in status.missing_units
        if name in ids and (scope.unit_ids is None or ids[name] in scope.unit_ids)
    }
    key = "digest.precursors.missing" if status.days_left >= 0 else "digest.precursors.overdue"
    lines = _count_line(
        key, missing, names, scope, highlight=status.days_left <= 7, names_only=True
    )
    lines = [
        line.model_copy(
            update={
                "values": {
                    **line.values,
                    "days": status.days_left,
                    "deadline": status.deadline.strftime("%d.%m.%Y"),
                }
            }
        )
        for line in lines
    ]
    return Section(flow="precursors", title_key="digest.precursors.title", lines=lines)


SECTIONS: list[SectionBuilder] = [
    near_miss_section,
    lone_work_section,
    wellbeing_section,
    precursors_section,
]


async def compose(session: AsyncSession, scope: Scope) -> DigestContent:
    """The digest for `scope`: every flow's section (empty ones are skipped by the card)."""
    names = {unit.id: unit.name for unit in await org.list_units(session, only_active=False)}
    sections = [await build(session, scope, names) for build in SECTIONS]
    return DigestContent(
        week=scope.week,
        sections=sections,
        safety_moment=await digest_store.safety_moment(session, scope.week),
    )
