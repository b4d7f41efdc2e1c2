"""A unit's current action plan as an Excel workbook it can publish on its intranet.

The plan is for every employee: what, how, who, when, status. The dialogue notes, the
owners' status notes and follow-up notes are never in it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from domain.i18n import Lang, t
from domain.wellbeing import ItemView, PlanView, local_today
from reports.excel import local, write_register

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


def write_workbook(out: Path, plan: PlanView, *, now: datetime) -> int:
    """Write the plan's items and a sheet about the plan; returns the number of items."""
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
