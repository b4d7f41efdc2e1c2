"""The year's work-accident register and the statistics for KAMU as an Excel workbook.

Sheets: the register (one row per accident, with its investigation; a psychological
accident's place, texts and the injured person's name stay out, the row says it is
confidential), the corrective actions, and the statistics (one
row per unit and the university's, by quarter, kind, absence and who was hurt, and how the
EASY deadlines were kept; psychological accidents of a unit with fewer than three accidents
in the year are left out of every figure).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from domain.i18n import Lang, t
from domain.near_miss import quarter_of
from domain.work_accident import AccidentView
from domain.work_accident_stats import (
    QUARTERS,
    AccidentStatistics,
    Figures,
    days_to_filing,
    filed_on_time,
)
from reports.excel import local, write_register

REGISTER_COLUMNS: tuple[tuple[str, float], ...] = (
    ("number", 14),
    ("reported_at", 17),
    ("occurred_at", 17),
    ("quarter", 12),
    ("unit", 16),
    ("injured_party", 18),
    ("injured", 24),
    ("kind", 18),
    ("confidential", 11),
    ("place", 24),
    ("description", 60),
    ("immediate_action", 40),
    ("absence_from", 14),
    ("claim", 12),
    ("duty", 26),
    ("due", 12),
    ("easy_status", 16),
    ("filed_on", 12),
    ("days_to_filing", 11),
    ("on_time", 10),
    ("reference", 16),
    ("near_miss", 14),
    ("investigation", 18),
    ("causes", 40),
    ("actions", 10),
    ("open_actions", 10),
    ("closed_at", 17),
    ("conclusion", 50),
)
ACTION_COLUMNS: tuple[tuple[str, float], ...] = (
    ("number", 14),
    ("action", 60),
    ("owner", 24),
    ("due", 12),
    ("action_status", 12),
    ("done_at", 17),
)
STATISTICS_COLUMNS: tuple[tuple[str, float], ...] = (
    ("unit", 24),
    ("accidents", 10),
    *((f"quarter:{quarter}", 10) for quarter in QUARTERS),
    ("physical", 10),
    ("psychological", 11),
    ("both", 12),
    ("with_absence", 10),
    ("without_absence", 10),
    ("employees", 12),
    ("students", 11),
    ("guests", 12),
    ("easy_owed", 12),
    ("easy_filed", 11),
    ("easy_on_time", 11),
    ("easy_overdue", 14),
    ("share_on_time", 11),
    ("median_days", 13),
    ("note", 40),
)
PERCENT = "0%"


def _yes_no(lang: Lang, value: bool | None) -> str | None:
    if value is None:
        return None
    return t(lang, "work_accident.export.yes" if value else "work_accident.export.no")


def _register_row(lang: Lang, accident: AccidentView) -> list[Any]:
    year, quarter = quarter_of(accident.occurred_at)
    hidden = accident.confidential
    return [
        accident.number,
        local(accident.created_at),
        local(accident.occurred_at),
        t(lang, "work_accident.export.quarter", quarter=quarter, year=year),
        accident.unit_name,
        t(lang, f"work_accident.injured_party.{accident.injured.value}"),
        None if hidden else accident.injured_name,
        t(lang, f"work_accident.injury_kind.{accident.injury_kind.value}"),
        _yes_no(lang, hidden),
        None if hidden else accident.place or None,
        None if hidden else accident.description or None,
        None if hidden else accident.immediate_action,
        accident.absence_from,
        t(lang, f"work_accident.claim.{accident.claim.value}"),
        t(lang, f"work_accident.export.duty.{accident.duty.value}"),
        accident.easy_due,
        t(lang, f"work_accident.export.status.{accident.easy_status.value}"),
        accident.easy_filed_on,
        days_to_filing(accident),
        _yes_no(lang, filed_on_time(accident)),
        accident.easy_reference,
        accident.near_miss_number,
        t(lang, f"work_accident.learn.status.{accident.investigation.value}"),
        None if hidden else accident.causes,
        len(accident.actions),
        accident.open_actions,
        local(accident.closed_at),
        None if hidden else accident.conclusion,
    ]


def _action_rows(lang: Lang, accidents: Sequence[AccidentView]) -> list[list[Any]]:
    """Every corrective action; a psychological accident's keep their owner, due date and
    status but not what they say."""
    return [
        [
            accident.number,
            None if accident.confidential else action.description or None,
            action.owner_name,
            action.due_date,
            t(lang, f"near_miss.action_status.{action.status.value}"),
            local(action.done_at),
        ]
        for accident in accidents
        for action in accident.actions
    ]


def _statistics_columns(lang: Lang) -> list[tuple[str, float]]:
    columns = []
    for key, width in STATISTICS_COLUMNS:
        if key.startswith("quarter:"):
            label = t(lang, "work_accident.export.stats.quarter", quarter=key.split(":")[1])
        elif key == "share_on_time":
            label = t(lang, "work_accident.export.stats.share_on_time")
        else:
            label = t(lang, f"work_accident.export.stats.{key}")
        columns.append((label, width))
    return columns


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool, fmt: str | None = None) -> Any:
    if not bold and fmt is None:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = Font(bold=True)
    if fmt is not None:
        cell.number_format = fmt
    return cell


def _figures_row(
    sheet: WriteOnlyWorksheet, lang: Lang, figures: Figures, *, bold: bool = False
) -> list[Any]:
    name = figures.unit or t(lang, "work_accident.export.stats.all_units")
    hide = figures.psychological_left_out and figures.unit is not None
    values: list[Any] = [
        name,
        figures.accidents,
        *figures.by_quarter,
        figures.physical,
        None if hide else figures.psychological,
        None if hide else figures.both,
        figures.with_absence,
        figures.without_absence,
        figures.employees,
        figures.students,
        figures.guests,
        figures.easy_owed,
        figures.easy_filed,
        figures.easy_on_time,
        figures.easy_overdue,
    ]
    row = [_cell(sheet, value, bold=bold) for value in values]
    row.append(_cell(sheet, figures.share_on_time, bold=bold, fmt=PERCENT))
    row.append(_cell(sheet, figures.median_days_to_filing, bold=bold, fmt="0.0"))
    row.append(t(lang, "work_accident.export.stats.left_out") if hide else None)
    return row


def _statistics_sheet(
    sheet: WriteOnlyWorksheet, lang: Lang, stats: AccidentStatistics, unit: str | None
) -> None:
    rows: list[list[Any]] = [_figures_row(sheet, lang, figures) for figures in stats.units]
    rows.append(_figures_row(sheet, lang, stats.total, bold=True))
    write_register(sheet, _statistics_columns(lang), rows)
    sheet.append([])
    if unit is not None:
        sheet.append([t(lang, "work_accident.export.stats.scope", unit=unit)])
    sheet.append([t(lang, "work_accident.export.stats.about", year=stats.year)])


def write_workbook(
    path: Path,
    accidents: Sequence[AccidentView],
    stats: AccidentStatistics,
    *,
    unit: str | None = None,
    lang: Lang = Lang.DA,
) -> None:
    """The register of `accidents` and the statistics `stats` (of one unit, if `unit`)."""
    workbook = Workbook(write_only=True)
    register = workbook.create_sheet(title=t(lang, "work_accident.export.sheet.register"))
    write_register(
        register,
        [(t(lang, f"work_accident.export.col.{key}"), width) for key, width in REGISTER_COLUMNS],
        (_register_row(lang, accident) for accident in accidents),
    )
    actions = workbook.create_sheet(title=t(lang, "work_accident.export.sheet.actions"))
    write_register(
        actions,
        [(t(lang, f"work_accident.export.col.{key}"), width) for key, width in ACTION_COLUMNS],
        _action_rows(lang, accidents),
    )
    _statistics_sheet(
        workbook.create_sheet(title=t(lang, "work_accident.export.sheet.statistics")),
        lang,
        stats,
        unit,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
