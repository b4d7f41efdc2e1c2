"""The documentation overview as a workbook: every unit × duty coloured by status, one row
per unit and duty with its dates and proof, instruction and training (§ 18) per unit as
counts (never a record or a person), and the duties with their legal sources."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import PatternFill

from domain.documentation import DutyCatalogue, Standing, Status
from domain.i18n import Lang, t
from domain.training import UnitTrainingCounts
from reports.excel import local, write_register

_FILLS: Final = {
    Status.MET: PatternFill("solid", fgColor="C6EFCE"),
    Status.DUE_SOON: PatternFill("solid", fgColor="FFEB9C"),
    Status.REVIEW: PatternFill("solid", fgColor="FFEB9C"),
    Status.OVERDUE: PatternFill("solid", fgColor="FFC7CE"),
    Status.NOT_RECORDED: PatternFill("solid", fgColor="EDEDED"),
}
_ORDER: Final = list(Status)

UnitStandings = tuple[str, Sequence[Standing]]
"""A unit's name and its duties' standings."""
UnitTraining = tuple[str, UnitTrainingCounts]
"""A unit's name and its instruction and training as counts."""
_UNTRAINED: Final = PatternFill("solid", fgColor="FFC7CE")


def _status(status: Status) -> str:
    return t(Lang.DA, f"documentation.status.{status.value}")


def write_workbook(
    out: Path,
    catalogue: DutyCatalogue,
    units: Sequence[UnitStandings],
    *,
    now: datetime,
    training: Sequence[UnitTraining] = (),
) -> int:
    """Write the overview of `units`; returns how many unit × duty rows the detail sheet has."""
    workbook = Workbook(write_only=True)
    grid = workbook.create_sheet(title="Oversigt")
    columns = [("Enhed", 28.0)] + [
        (duty.name_da, max(14.0, len(duty.name_da) + 2.0)) for duty in catalogue.duties
    ]
    write_register(grid, columns, [])
    for name, standings in units:
        row: list[Any] = [name]
        for duty in catalogue.duties:
            mine = [item for item in standings if item.duty.key == duty.key]
            worst = min((item.status for item in mine), key=_ORDER.index, default=None)
            if worst is None:
                row.append(None)
                continue
            cell = WriteOnlyCell(grid, value=_status(worst))
            cell.fill = _FILLS[worst]
            row.append(cell)
        grid.append(row)
    detail = workbook.create_sheet(title="Krav")
    count = write_register(
        detail,
        [
            ("Enhed", 24.0),
            ("Krav", 40.0),
            ("Emne", 30.0),
            ("Status", 16.0),
            ("Sidst opfyldt", 14.0),
            ("Næste gang senest", 16.0),
            ("Dokumentation", 50.0),
        ],
        (
            [
                name,
                item.duty.name_da,
                item.subject,
                _status(item.status),
                item.last_met,
                item.due_on,
                item.proof,
            ]
            for name, standings in units
            for item in standings
        ),
    )
    _training_sheet(workbook, training)
    about = workbook.create_sheet(title="Om kravene")
    write_register(
        about,
        [("Krav", 40.0), ("Interval (måneder)", 12.0), ("Grundlag", 90.0)],
        ([duty.name_da, duty.interval_months, duty.legal_source] for duty in catalogue.duties),
    )
    about.append([])
    about.append(["Udskrevet", local(now)])
    about.append(["Version af kravlisten", catalogue.version])
    workbook.save(out)
    return count


def _training_sheet(workbook: Workbook, training: Sequence[UnitTraining]) -> None:
    """One row per unit: its § 18 records as counts, and its lone-work approvals with those
    whose requester has no matching record highlighted."""
    sheet = workbook.create_sheet(title="Instruktion og oplæring")

    def untrained(count: int) -> Any:
        if not count:
            return count
        cell = WriteOnlyCell(sheet, value=count)
        cell.fill = _UNTRAINED
        return cell

    write_register(
        sheet,
        [
            ("Enhed", 28.0),
            ("Registreringer i alt", 14.0),
            ("Personer med registreringer", 16.0),
            ("Markeret som alenearbejde", 16.0),
            ("Seneste 12 måneder", 14.0),
            ("Seneste registrering", 14.0),
            ("Godkendt alenearbejde", 14.0),
            ("Heraf uden registreret oplæring", 18.0),
        ],
        (
            [
                name,
                counts.records,
                counts.people,
                counts.lone_work,
                counts.last_year,
                counts.newest,
                counts.approvals,
                untrained(counts.approvals_untrained),
            ]
            for name, counts in training
        ),
    )
