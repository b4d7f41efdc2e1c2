"""The year's near-miss register and statistics as an Excel workbook, ready for KAMU.

Three sheets: the reports (one row each; the reporter column stays empty for anonymous
ones), their corrective actions, and the statistics (counts by unit, category, severity,
status and quarter; median times to acknowledgement and closure).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from domain.i18n import COPENHAGEN, Lang, t
from domain.near_miss import NearMissStatistics, ReportView
from reports.excel import HEADER_FILL, HEADER_FONT, local, write_register

REPORT_COLUMNS: tuple[tuple[str, float], ...] = (
    ("number", 14),
    ("reported_at", 17),
    ("occurred_at", 17),
    ("unit", 16),
    ("campus", 18),
    ("building", 10),
    ("room", 10),
    ("category", 28),
    ("severity", 24),
    ("description", 60),
    ("immediate_action", 40),
    ("prevention", 40),
    ("photo_url", 30),
    ("injury", 11),
    ("anonymous", 10),
    ("reporter", 24),
    ("status", 18),
    ("acknowledged_at", 17),
    ("investigator", 24),
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
    ("status", 12),
    ("done_at", 17),
)


def _columns(lang: Lang, columns: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
    return [(t(lang, f"near_miss.export.col.{key}"), width) for key, width in columns]


def _yes_no(lang: Lang, value: bool) -> str:
    return t(lang, "near_miss.export.yes" if value else "near_miss.export.no")


def _report_row(lang: Lang, report: ReportView) -> list[Any]:
    return [
        report.number,
        local(report.created_at),
        local(report.occurred_at),
        report.unit_name,
        report.campus,
        report.building,
        report.room,
        t(lang, f"near_miss.category.{report.category.value}"),
        t(lang, f"near_miss.severity.{report.severity.value}"),
        report.description,
        report.immediate_action,
        report.prevention,
        report.photo_url,
        _yes_no(lang, report.injury),
        _yes_no(lang, report.anonymous),
        None if report.anonymous else report.reporter_name,
        t(lang, f"near_miss.status.{report.status.value}"),
        local(report.acknowledged_at),
        report.investigator_name,
        len(report.actions),
        report.open_actions,
        local(report.closed_at),
        report.conclusion,
    ]


def _action_rows(lang: Lang, reports: Sequence[ReportView]) -> list[list[Any]]:
    return [
        [
            report.number,
            action.description,
            action.owner_name,
            action.due_date,
            t(lang, f"near_miss.action_status.{action.status.value}"),
            local(action.done_at),
        ]
        for report in reports
        for action in report.actions
    ]


def _cell(
    sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False, fmt: str | None = None
) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = Font(bold=True)
    if fmt:
        cell.number_format = fmt
    return cell


def _hours(value: Any) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 1)


def _days(value: Any) -> float | None:
    return None if value is None else round(value.total_seconds() / 86400, 1)


def _statistics_sheet(
    sheet: WriteOnlyWorksheet, lang: Lang, year: int, stats: NearMissStatistics
) -> None:
    """Blocks of (label, number) under a frozen header: key figures, then each breakdown."""
    sheet.column_dimensions["A"].width = 44  # type: ignore[attr-defined]
    sheet.column_dimensions["B"].width = 14  # type: ignore[attr-defined]
    sheet.freeze_panes = "A3"
    start = stats.start.astimezone(COPENHAGEN).date()
    end = (stats.end.astimezone(COPENHAGEN) - timedelta(days=1)).date()
    heading = t(
        lang,
        "near_miss.export.stats.title",
        year=year,
        start=start.strftime("%d-%m-%Y"),
        end=end.strftime("%d-%m-%Y"),
    )
    title = _cell(sheet, heading, bold=True)
    title.font = Font(bold=True, size=13)
    sheet.append([title])
    header = []
    for text in (
        t(lang, "near_miss.export.stats.key_figures"),
        t(lang, "near_miss.export.stats.value"),
    ):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        header.append(cell)
    sheet.append(header)
    key_figures: list[tuple[str, Any, str | None]] = [
        ("total", stats.total, "0"),
        ("anonymous", stats.anonymous, "0"),
        ("injuries", stats.injuries, "0"),
        ("acknowledged", stats.acknowledged, "0"),
        ("closed", stats.closed, "0"),
        ("median_ack", _hours(stats.median_to_acknowledge), "0.0"),
        ("median_close", _days(stats.median_to_close), "0.0"),
        ("open_actions", stats.open_actions, "0"),
        ("overdue_actions", stats.overdue_actions, "0"),
    ]
    for key, value, fmt in key_figures:
        sheet.append(
            [_cell(sheet, t(lang, f"near_miss.export.stats.{key}")), _cell(sheet, value, fmt=fmt)]
        )
    blocks: list[tuple[str, list[tuple[str, int]]]] = [
        ("by_unit", list(stats.by_unit.items())),
        (
            "by_category",
            [(t(lang, f"near_miss.category.{k.value}"), v) for k, v in stats.by_category.items()],
        ),
        (
            "by_severity",
            [(t(lang, f"near_miss.severity.{k.value}"), v) for k, v in stats.by_severity.items()],
        ),
        (
            "by_status",
            [(t(lang, f"near_miss.status.{k.value}"), v) for k, v in stats.by_status.items()],
        ),
        (
            "by_quarter",
            [
                (t(lang, "near_miss.export.stats.quarter", quarter=q, year=y), v)
                for (y, q), v in stats.by_quarter.items()
            ],
        ),
    ]
    for key, rows in blocks:
        sheet.append([])
        sheet.append(
            [
                _cell(sheet, t(lang, f"near_miss.export.stats.{key}"), bold=True),
                _cell(sheet, t(lang, "near_miss.export.stats.count"), bold=True),
            ]
        )
        for label, count in rows:
            sheet.append([_cell(sheet, label), _cell(sheet, count, fmt="0")])


def write_workbook(
    path: Path,
    year: int,
    reports: Sequence[ReportView],
    stats: NearMissStatistics,
    lang: Lang = Lang.DA,
) -> None:
    workbook = Workbook(write_only=True)
    register = workbook.create_sheet(title=t(lang, "near_miss.export.sheet.reports"))
    write_register(
        register,
        _columns(lang, REPORT_COLUMNS),
        (_report_row(lang, report) for report in reports),
    )
    actions = workbook.create_sheet(title=t(lang, "near_miss.export.sheet.actions"))
    write_register(actions, _columns(lang, ACTION_COLUMNS), _action_rows(lang, reports))
    _statistics_sheet(
        workbook.create_sheet(title=t(lang, "near_miss.export.sheet.statistics")),
        lang,
        year,
        stats,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
