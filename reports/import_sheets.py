"""What import templates share: the guide sheet and the date column of an empty template,
reading the filled rows of a template's sheet, checked against its header, and telling a
row's problem to the person who filled it in."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from domain.i18n import Lang, t
from domain.precursor_import import RowError
from reports.excel import DATE_FORMAT

# The first day a date column takes: 1 January 2000 as Excel counts days.
_FIRST_DAY = "36526"


def guide_sheet(
    workbook: Workbook,
    widths: Sequence[float],
    lines: Sequence[tuple[str, str]],
    unit_names: Sequence[str],
    *,
    wrap: bool,
) -> Worksheet:
    """The template's "Vejledning" sheet: its columns at `widths`, a line per label and text
    (the text wrapped where `wrap`), then the units the sheet may name."""
    guide = workbook.create_sheet("Vejledning")
    assert isinstance(guide, Worksheet)
    for index, width in enumerate(widths, start=1):
        guide.column_dimensions[get_column_letter(index)].width = width
    for label, text in lines:
        guide.append([label, text])
        if wrap:
            guide.cell(row=guide.max_row, column=2).alignment = Alignment(wrap_text=True)
    guide.append(["Enheder", ", ".join(unit_names)])
    guide.cell(row=guide.max_row, column=2).alignment = Alignment(wrap_text=True)
    return guide


def date_column(sheet: Worksheet, letter: str, last_row: int) -> DataValidation:
    """Column `letter` of an import sheet takes only dates from 2000 on (rows 2 to
    `last_row`) and shows its first 500 rows as dates; the check, for the caller to add to
    the sheet with its other checks."""
    dates = DataValidation(
        type="date", operator="greaterThan", formula1=_FIRST_DAY, allow_blank=True
    )
    dates.add(f"{letter}2:{letter}{last_row}")
    for row in range(2, 502):
        sheet[f"{letter}{row}"].number_format = DATE_FORMAT
    return dates


def cell_text(value: Any) -> str | None:
    """A cell as trimmed text; None for an empty cell."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def filled_rows(
    source: Path | bytes,
    sheet_name: str,
    columns: Sequence[tuple[str, float]],
    texts: str,
    name: str | None = None,
) -> tuple[list[tuple[int, list[Any]]], list[RowError]]:
    """Each filled row of the sheet `sheet_name` (or the first sheet) as its row number and one
    value per column, or what is wrong with the file (`<texts>.file`), its header
    (`<texts>.header`) or its emptiness (`<texts>.empty`). `source` is a file or the bytes of
    one (named `name` in messages)."""
    label = source.name if isinstance(source, Path) else (name or "")
    try:
        workbook = load_workbook(
            BytesIO(source) if isinstance(source, bytes) else source, read_only=True, data_only=True
        )
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        return [], [RowError(0, f"{texts}.file", {"file": label, "error": error})]
    try:
        sheet = (
            workbook[sheet_name] if sheet_name in workbook.sheetnames else workbook.worksheets[0]
        )
        rows = sheet.iter_rows(values_only=True)
        expected = [name for name, _ in columns]
        found = [cell_text(cell) or "" for cell in (next(rows, None) or ())][: len(expected)]
        if [name.casefold() for name in found] != [name.casefold() for name in expected]:
            header = {"expected": " | ".join(expected), "found": " | ".join(found)}
            return [], [RowError(1, f"{texts}.header", header)]
        filled: list[tuple[int, list[Any]]] = []
        for number, cells in enumerate(rows, start=2):
            values = [*list(cells)[: len(expected)], *[None] * len(expected)][: len(expected)]
            if any(cell_text(value) is not None for value in values):
                filled.append((number, values))
    finally:
        workbook.close()
    if not filled:
        return [], [RowError(2, f"{texts}.empty")]
    return filled, []


def describe_problem(lang: Lang, error: RowError, texts: str) -> str:
    """A row error as a line for the person who filled in the sheet (`<texts>.row`)."""
    text = t(lang, error.key, **error.values)
    if error.row <= 1:
        return text
    return t(lang, f"{texts}.row", row=error.row, problem=text)
