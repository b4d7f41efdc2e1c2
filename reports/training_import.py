"""The training import's workbooks (H&S e-learning completions): the empty template with its
guide, and reading a filled one back into rows."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from domain.i18n import Lang
from domain.precursor_import import RowError
from domain.training_import import DEFAULT_PROVIDER, ImportRow
from reports.excel import import_sheet
from reports.import_sheets import (
    cell_text,
    date_column,
    describe_problem,
    filled_rows,
    guide_sheet,
)

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


def write_template(out: Path, unit_names: list[str]) -> None:
    """An empty import sheet with date and yes/no checks, and a guide."""
    workbook = Workbook()
    sheet = import_sheet(workbook, IMPORT_SHEET, IMPORT_COLUMNS)
    guide_sheet(workbook, (26, 80), GUIDE, unit_names, wrap=True)
    yes_no = DataValidation(type="list", formula1='"ja,nej"', allow_blank=True)
    yes_no.add("G2:G5000")
    for validation in (date_column(sheet, "D", 5000), yes_no):
        sheet.add_data_validation(validation)
    workbook.save(out)


def read_import(path: Path) -> tuple[list[ImportRow], list[RowError]]:
    """The data rows of the import sheet (or the first sheet), or what is wrong with it."""
    rows, problems = filled_rows(path, IMPORT_SHEET, IMPORT_COLUMNS, "training.import")
    return [
        ImportRow(
            row=number,
            unit=cell_text(values[0]) or "",
            email=cell_text(values[1]) or "",
            course=cell_text(values[2]) or "",
            completed_on=values[3],
            provider=cell_text(values[4]),
            proof=cell_text(values[5]),
            lone_work=cell_text(values[6]),
        )
        for number, values in rows
    ], problems


def describe(lang: Lang, error: RowError) -> str:
    """A row error as a line for the person who filled in the sheet."""
    return describe_problem(lang, error, "training.import")
