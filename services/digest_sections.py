"""The weekly digest's sections, one function per flow, and their composition.

Each section reads counts grouped by unit from its flow's storage (aggregate SQL, so a
decade of data composes in well under a second) and turns them into lines of catalogue keys;
the card never lists individual people.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from domain.digest import Bar, DigestContent, Line, Scope, Section, count_line, names_line
from domain.documentation import Status
from domain.i18n import COPENHAGEN
from domain.near_miss import Category
from domain.wellbeing import local_today
from services.documentation import unit_standings
from storage import (
    amo,
    documentation,
    lone_work_digest,
    near_miss_digest,
    org,
    precursor_registrations,
    training,
    wellbeing_counts,
    work_accident_digest,
)
from storage import digest as digest_store
from storage.db import HotConnection

SectionBuilder = Callable[[HotConnection, Scope, dict[int, str]], Awaitable[Section]]
"""A flow's section: the connection, the scope, and every unit's name by id."""

AMD_REMINDER_FROM_MONTH = 11


async def near_miss_section(
    connection: HotConnection, scope: Scope, names: dict[int, str]
) -> Section:
    """New and serious reports of the week, reports open over 30 days, a chart by category."""
    counts = await near_miss_digest.digest_counts(connection, scope)
    chart = [
        Bar(label=category.value, label_key=f"near_miss.category.{category.value}", value=count)
        for category in Category
        if (count := counts.by_category.get(category.value, 0))
    ]
    return Section(
        flow="near_miss",
        title_key="digest.near_miss.title",
        chart_title_key="digest.near_miss.chart",
        chart=chart,
        lines=[
            *count_line("digest.near_miss.new", counts.new, names, scope),
            *count_line("digest.near_miss.serious", counts.serious, names, scope, highlight=True),
            *count_line("digest.near_miss.old_open", counts.old_open, names, scope),
        ],
    )


async def work_accident_section(
    connection: HotConnection, scope: Scope, names: dict[int, str]
) -> Section:
    """Accidents reported in the week, EASY reports due within a week, and overdue ones;
    counts only, and no psychological accident of a unit with fewer than three that year."""
    counts = await work_accident_digest.digest_counts(connection, scope)
    return Section(
        flow="work_accident",
        title_key="work_accident.digest.title",
        lines=[
            *count_line("work_accident.digest.new", counts.new, names, scope),
            *count_line("work_accident.digest.due_soon", counts.due_soon, names, scope),
            *count_line(
                "work_accident.digest.overdue", counts.overdue, names, scope, highlight=True
            ),
        ],
    )


async def lone_work_section(
    connection: HotConnection, scope: Scope, names: dict[int, str]
) -> Section:
    """Requests waiting too long for a decision, risky work approved for next week."""
    counts = await lone_work_digest.digest_counts(connection, scope)
    return Section(
        flow="lone_work",
        title_key="digest.lone_work.title",
        lines=[
            *count_line("digest.lone_work.waiting", counts.waiting, names, scope, highlight=True),
            *count_line("digest.lone_work.risky_next_week", counts.risky_next_week, names, scope),
        ],
    )


async def wellbeing_section(
    connection: HotConnection, scope: Scope, names: dict[int, str]
) -> Section:
    """Overdue action-plan items per unit, units whose well-being dialogue is due, and (from
    November, and in January for the year before) units without the year's annual
    work-environment discussion."""
    today = local_today(scope.now)

    def wanted(unit_id: int) -> bool:
        return scope.unit_ids is None or unit_id in scope.unit_ids

    overdue = {
        unit_id: count
        for unit_id, count in (
            await wellbeing_counts.overdue_counts_by_unit(connection, today)
        ).items()
        if wanted(unit_id)
    }
    due = [
        status.unit
        for status in await wellbeing_counts.dialogues_due(
            connection, today, scope.dialogue_interval_years
        )
        if wanted(status.unit_id)
    ]
    lines = [
        *count_line("wellbeing.digest.overdue", overdue, names, scope, highlight=True),
        *names_line("wellbeing.digest.dialogue_due", due, scope),
    ]
    year = today.year if today.month >= AMD_REMINDER_FROM_MONTH else today.year - 1
    if today.month >= AMD_REMINDER_FROM_MONTH or today.month == 1:
        missing = [
            unit.name
            for unit in await wellbeing_counts.units_without_amd(connection, year)
            if wanted(unit.id)
        ]
        lines += [
            Line(key=line.key, values={**line.values, "year": year})
            for line in names_line("wellbeing.digest.amd_missing", missing, scope)
        ]
    return Section(flow="wellbeing", title_key="wellbeing.digest.title", lines=lines)


async def precursors_section(
    connection: HotConnection, scope: Scope, names: dict[int, str]
) -> Section:
    """From 90 days before the registration deadline to 30 days after it: the units that
    have not registered."""
    today = scope.now.astimezone(COPENHAGEN).date()
    status = await precursor_registrations.deadline_status(
        connection, today=today, deadline=scope.precursor_deadline
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
    lines = count_line(key, missing, names, scope, highlight=status.days_left <= 7, names_only=True)
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


async def documentation_section(
    connection: HotConnection, scope: Scope, names: dict[int, str]
) -> Section:
    """Per duty, the units where it is overdue (a duty kept per subject counts its subjects),
    per unit how many duties fall due within 14 days
    (duties never recorded are left to the overview: on day one they would be all), and how
    many lone-work approvals in force or to come have no matching § 18 training record, and
    the units whose AMO composition needs a review since their AMO roles changed
    substantially."""
    today = scope.now.astimezone(COPENHAGEN).date()
    unit_ids = [unit_id for unit_id in names if scope.unit_ids is None or unit_id in scope.unit_ids]
    active = {unit.id for unit in await org.list_units(connection)}
    unit_ids = [unit_id for unit_id in unit_ids if unit_id in active]
    met = await documentation.last_met(connection, unit_ids)
    catalogue = documentation.duties()
    overdue: dict[str, dict[int, int]] = {duty.key: {} for duty in catalogue.duties}
    soon: dict[int, int] = {}
    for unit_id in unit_ids:
        for item in unit_standings(catalogue, met, unit_id, today):
            if item.status is Status.OVERDUE:
                by_unit = overdue[item.duty.key]
                by_unit[unit_id] = by_unit.get(unit_id, 0) + 1
            elif item.due_on is not None and 0 <= (item.due_on - today).days <= 14:
                soon[unit_id] = soon.get(unit_id, 0) + 1
    trained = await training.unit_counts_of(connection, unit_ids, today=today, now=scope.now)
    untrained = {
        unit_id: counts.approvals_untrained
        for unit_id, counts in trained.items()
        if counts.approvals_untrained
    }
    review = {unit_id: 1 for unit_id in await amo.to_review(connection, unit_ids)}
    return Section(
        flow="documentation",
        title_key="digest.documentation.title",
        lines=[
            *(
                line
                for duty in catalogue.duties
                for line in count_line(
                    "digest.documentation.overdue",
                    overdue[duty.key],
                    names,
                    scope,
                    highlight=True,
                    localized={"duty": (duty.name_da, duty.name_en)},
                )
            ),
            *count_line("digest.documentation.due_soon", soon, names, scope),
            *count_line("digest.documentation.lone_work_untrained", untrained, names, scope),
            *count_line("digest.documentation.amo_review", review, names, scope, names_only=True),
        ],
    )


SECTIONS: list[SectionBuilder] = [
    near_miss_section,
    work_accident_section,
    lone_work_section,
    wellbeing_section,
    precursors_section,
    documentation_section,
]


async def compose(connection: HotConnection, scope: Scope) -> DigestContent:
    """The digest for `scope`: every flow's section (empty ones are skipped by the card)."""
    names = {unit.id: unit.name for unit in await org.list_units(connection, only_active=False)}
    sections = [await build(connection, scope, names) for build in SECTIONS]
    return DigestContent(
        week=scope.week,
        sections=sections,
        safety_moment=await digest_store.safety_moment(connection, scope.week),
    )
