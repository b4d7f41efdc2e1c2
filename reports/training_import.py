"""The training import's workbooks (H&S e-learning completions): the empty template with its
guide, and reading a filled one back into rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from domain.i18n import Lang, t
from domain.precursor_import import RowError
from domain.training_import import DEFAULT_PROVIDER, ImportRow
from reports.excel import DATE_FORMAT, HEADER_FILL, HEADER_FONT

IMPORT_SHEET = "Gennemførte kurser"
IMPORT_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Enhed", 26.0),
    ("E-mail", 32.0),
    ("Kursus", 40.0),
    ("Gennemført", 14.0),
    ("Udbyder", 24.0),
    ("Link til bevis", 50.0),
    ("Alenearbejde", 14.0),
)
GUIDE: tuple[tuple[str, str], ...] = (
    (
        "Formål",
        "Gennemførte H&S e-læringskurser (fx eksporteret fra læringsplatformen), så de står "
        "som instruktion og oplæring (§ 18) hos personen i AMK-bot.",
    ),
    ("Enhed", "Enhedens navn, som i AMK-bot (fx Kemi): dens leder og AMK kan se registreringen."),
    ("E-mail", "Personens e-mailadresse; en person, AMK-bot ikke kender endnu, oprettes."),
    ("Kursus", "Kursets navn (3–200 tegn)."),
    ("Gennemført", "Dagen kurset blev gennemført (ikke en dag i fremtiden)."),
    ("Udbyder", f"Valgfrit: hvem der udbyder kurset (tomt: {DEFAULT_PROVIDER})."),
    ("Link til bevis", "Valgfrit: et https-link til kursusbeviset."),
    (
        "Alenearbejde",
        "ja, hvis kurset dækker alenearbejde (tæller, når en anmodning om alenearbejde "
        "godkendes); ellers tomt eller nej.",
    ),
    ("Alt eller intet", "Hver række kontrolleres først; intet gemmes, hvis én række er forkert."),
)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def write_template(out: Path, unit_names: list[str]) -> None:
    """An empty import sheet with date and yes/no checks, and a guide."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = IMPORT_SHEET
    sheet.append([name for name, _ in IMPORT_COLUMNS])
    for index, (_, width) in enumerate(IMPORT_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Vejledning")
    guide.column_dimensions["A"].width = 26
    guide.column_dimensions["B"].width = 80
    for label, text in GUIDE:
        guide.append([label, text])
        guide.cell(row=guide.max_row, column=2).alignment = Alignment(wrap_text=True)
    guide.append(["Enheder", ", ".join(unit_names)])
    guide.cell(row=guide.max_row, column=2).alignment = Alignment(wrap_text=True)
    dates = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
    dates.add("D2:D5000")
    yes_no = DataValidation(type="list", formula1='"ja,nej"', allow_blank=True)
    yes_no.add("G2:G5000")
    for validation in (dates, yes_no):
        sheet.add_data_validation(validation)
    for row in range(2, 502):
        sheet.cell(row=row, column=4).number_format = DATE_FORMAT
    workbook.save(out)


def read_import(path: Path) -> tuple[list[ImportRow], list[RowError]]:
    """The data rows of the import sheet (or the first sheet), or what is wrong with it."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        return [], [RowError(0, "training.import.file", {"file": path.name, "error": error})]
    try:
        sheet = (
            workbook[IMPORT_SHEET]
            if IMPORT_SHEET in workbook.sheetnames
            else workbook.worksheets[0]
        )
        rows = sheet.iter_rows(values_only=True)
        expected = [name for name, _ in IMPORT_COLUMNS]
        found = [_text(cell) or "" for cell in (next(rows, None) or ())][: len(expected)]
        if [name.casefold() for name in found] != [name.casefold() for name in expected]:
            return [], [
                RowError(
                    1,
                    "training.import.header",
                    {"expected": " | ".join(expected), "found": " | ".join(found)},
                )
            ]
        result: list[ImportRow] = []
        for number, cells in enumerate(rows, start=2):
            values = [*list(cells)[: len(expected)], *[None] * len(expected)]
            if all(_text(value) is None for value in values[: len(expected)]):
                continue
            result.append(
                ImportRow(
                    row=number,
                    unit=_text(values[0]) or "",
                    email=_text(values[1]) or "",
                    course=_text(values[2]) or "",
                    completed_on=values[3],
                    provider=_text(values[4]),
                    proof=_text(values[5]),
                    lone_work=_text(values[6]),
                )
            )
    finally:
        workbook.close()
    if not result:
        return [], [RowError(2, "training.import.empty")]
    return result, []


def describe(lang: Lang, error: RowError) -> str:
    """A row error as a line for the person who filled in the sheet."""
    text = t(lang, error.key, **error.values)
    if error.row <= 1:
        return text
    return t(lang, "training.import.row", row=error.row, problem=text)
