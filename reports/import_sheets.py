"""What import templates share: reading the filled rows of a template's sheet, checked
against its header, and telling a row's problem to the person who filled it in."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from domain.i18n import Lang, t
from domain.precursor_import import RowError


def cell_text(value: Any) -> str | None:
    """A cell as trimmed text; None for an empty cell."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def filled_rows(
    path: Path, sheet_name: str, columns: Sequence[tuple[str, float]], texts: str
) -> tuple[list[tuple[int, list[Any]]], list[RowError]]:
    """Each filled row of the sheet `sheet_name` (or the first sheet) as its row number and one
    value per column, or what is wrong with the file (`<texts>.file`), its header
    (`<texts>.header`) or its emptiness (`<texts>.empty`)."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        return [], [RowError(0, f"{texts}.file", {"file": path.name, "error": error})]
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
