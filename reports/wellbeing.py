"""A unit's current action plan as an Excel workbook it can publish on its intranet.

The plan is for every employee: what, how, who, when, status. The dialogue notes, the
owners' status notes and follow-up notes are never in it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy.ext.asyncio import AsyncSession

from domain.digest import Line, Scope, Section, unit_counts
from domain.i18n import Lang, t
from domain.wellbeing import DEFAULT_DIALOGUE_INTERVAL_YEARS, ItemView, local_today
from reports.excel import local, write_register
from storage import org, wellbeing
from storage.db import Database

COLUMNS: tuple[tuple[str, float], ...] = (
    ("Nr.", 7),
    ("Problem (hvad)", 45),
    ("Handling (hvordan)", 45),
    ("Ansvarlig (hvem)", 26),
    ("Frist (hvornår)", 14),
    ("Opfølgning", 14),
    ("Status", 22),
    ("Virker løsningen?", 18),
    ("Fra trivselsdialog", 16),
    ("Oprettet", 17),
)


class UnknownUnit(ValueError):
    """No unit with that name."""


def _row(view: ItemView, today: datetime) -> list[object]:
    status = t(Lang.DA, f"wellbeing.status.{view.status.value}")
    if view.overdue(local_today(today)):
        status = t(Lang.DA, "wellbeing.status.overdue", status=status)
    return [
        view.id,
        view.problem,
        view.action,
        view.owner,
        view.deadline,
        view.follow_up_on,
        status,
        t(Lang.DA, f"wellbeing.effect_short.{view.effect.value}") if view.effect else None,
        view.dialogue_held_on,
        local(view.created_at),
    ]


async def export_action_plan(
    db: Database, unit_name: str, out: Path, *, interval_years: int = 2
) -> int:
    """Write the unit's current plan (open items, and those closed within a year)."""
    now = datetime.now(UTC)
    async with db.sessions() as session:
        unit = await org.unit_by_name(session, unit_name)
        if unit is None:
            raise UnknownUnit(unit_name)
        plan = await wellbeing.plan_view(session, unit, now=now, interval_years=interval_years)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Handlingsplan")
    count = write_register(sheet, COLUMNS, (_row(view, now) for view in plan.items))
    info = workbook.create_sheet(title="Om handlingsplanen")
    info.append(["Enhed", plan.unit])
    info.append(["Punkter", count])
    info.append(["Åbne punkter", sum(1 for view in plan.items if view.status.is_open)])
    info.append(["Seneste trivselsdialog", plan.last_held])
    info.append(["Næste trivselsdialog senest", plan.due_on])
    info.append([f"Arbejdsmiljødrøftelse {plan.year}", plan.amd_held_on])
    info.append(["Udskrevet", local(now)])
    info.append(
        [
            "Grundlag",
            "Arbejdspladsvurdering (APV): skriftlig handlingsplan for, hvornår og hvordan "
            "problemerne løses, og hvem der er ansvarlig; den skal være tilgængelig for alle "
            "ansatte. Dialognoterne er ikke med.",
        ]
    )
    workbook.save(out)
    return count


# -- the weekly digest's well-being section (counts per unit, never any text) ------------------

AMD_REMINDER_FROM_MONTH = 11


def _unit_line(key: str, counts: dict[str, int], scope: Scope, *, highlight: bool) -> list[Line]:
    if not counts:
        return []
    return [
        Line(
            key=key,
            values={
                "count": sum(counts.values()),
                "units": unit_counts(counts, limit=scope.list_limit),
            },
            highlight=highlight,
        )
    ]


def _names_line(key: str, names: list[str], scope: Scope) -> list[Line]:
    if not names:
        return []
    ordered = sorted(names, key=str.casefold)
    shown = ", ".join(ordered[: scope.list_limit])
    rest = len(ordered) - scope.list_limit
    return [
        Line(
            key=key,
            values={"count": len(ordered), "units": f"{shown} (+{rest})" if rest > 0 else shown},
        )
    ]


def digest_section(
    interval_years: int = DEFAULT_DIALOGUE_INTERVAL_YEARS,
) -> Callable[[AsyncSession, Scope, dict[int, str]], Awaitable[Section]]:
    """A `reports.digest.SectionBuilder`: overdue action-plan items per unit, units whose
    well-being dialogue is due, and (from November, and in January for the year before)
    units without the year's annual work-environment discussion."""

    async def build(session: AsyncSession, scope: Scope, names: dict[int, str]) -> Section:
        today = local_today(scope.now)

        def wanted(unit_id: int) -> bool:
            return scope.unit_ids is None or unit_id in scope.unit_ids

        overdue = {
            names.get(unit_id, "?"): count
            for unit_id, count in (await wellbeing.overdue_counts_by_unit(session, today)).items()
            if wanted(unit_id)
        }
        due = [
            status.unit
            for status in await wellbeing.dialogues_due(session, today, interval_years)
            if wanted(status.unit_id)
        ]
        lines = [
            *_unit_line("wellbeing.digest.overdue", overdue, scope, highlight=True),
            *_names_line("wellbeing.digest.dialogue_due", due, scope),
        ]
        year = today.year if today.month >= AMD_REMINDER_FROM_MONTH else today.year - 1
        if today.month >= AMD_REMINDER_FROM_MONTH or today.month == 1:
            missing = [
                unit.name
                for unit in await wellbeing.units_without_amd(session, year)
                if wanted(unit.id)
            ]
            lines += [
                Line(key=line.key, values={**line.values, "year": year})
                for line in _names_line("wellbeing.digest.amd_missing", missing, scope)
            ]
        return Section(flow="wellbeing", title_key="wellbeing.digest.title", lines=lines)

    return build
