"""Shared formatting for register-style workbooks: a bold frozen header, filters, widths."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from domain.i18n import COPENHAGEN

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F7A5C")
DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def local(moment: datetime | None) -> datetime | None:
    """Excel has no time zones: write Copenhagen wall-clock time without a zone."""
    if moment is None:
        return None
    return moment.astimezone(COPENHAGEN).replace(tzinfo=None)


def write_register(
    sheet: WriteOnlyWorksheet,
    columns: Sequence[tuple[str, float]],
    rows: Iterable[Sequence[Any]],
) -> int:
    """Header (frozen, filtered), then the rows with dates as real dates; returns row count.

    Write-only sheets keep column widths and filters at run time; the stubs omit them.
    """
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width  # type: ignore[attr-defined]
    sheet.freeze_panes = "A2"
    header = []
    for name, _ in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        # Plain values need no cell object of their own: openpyxl streams them as they are.
        cells: list[Any] = []
        for value in row:
            number_format = None
            if isinstance(value, datetime):
                number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                number_format = DATE_FORMAT
            wrap = number_format is None and isinstance(value, str) and len(value) > 40
            if number_format is None and not wrap:
                cells.append(value)
                continue
            cell = WriteOnlyCell(sheet, value=value)
            if number_format is not None:
                cell.number_format = number_format
            else:
                cell.alignment = WRAP_TOP
            cells.append(cell)
        sheet.append(cells)
        count += 1
    last = f"{get_column_letter(len(columns))}{count + 1}"
    sheet.auto_filter.ref = f"A1:{last}"  # type: ignore[attr-defined]
    return count


def import_sheet(workbook: Workbook, title: str, columns: Sequence[tuple[str, float]]) -> Worksheet:
    """The workbook's first sheet, named `title`, as an import template's header row: the
    column names in the header style, at their widths, frozen above the rows to fill in."""
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = title
    sheet.append([name for name, _ in columns])
    for index, (_, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet
