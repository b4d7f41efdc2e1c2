"""The documentation import's workbooks: the empty template with its guide, and reading a
filled one back into rows."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from domain.documentation import DutyCatalogue
from domain.documentation_import import ImportRow
from domain.i18n import Lang
from domain.precursor_import import RowError
from reports.excel import import_sheet
from reports.import_sheets import (
    cell_text,
    date_column,
    describe_problem,
    filled_rows,
    guide_sheet,
)

IMPORT_SHEET = "Registreringer"
IMPORT_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Enhed", 26.0),
    ("Krav", 36.0),
    ("Emne", 36.0),
    ("Dato", 14.0),
    ("Link til dokumentation", 60.0),
)
GUIDE: tuple[tuple[str, str], ...] = (
    ("Formål", "Registreringer, enhederne allerede har, så oversigten er rigtig fra første dag."),
    ("Enhed", "Enhedens navn, som i AMK-bot (fx Kemi)."),
    ("Krav", "Kravets navn eller nøgle fra listen nedenfor."),
    ("Emne", "Kun for særlige risikovurderinger: hvad vurderingen handler om."),
    ("Dato", "Dagen kravet blev opfyldt (ikke en dag i fremtiden)."),
    ("Link", "Valgfrit: et https-link til rapporten eller dokumentet."),
    ("Alt eller intet", "Hver række kontrolleres først; intet gemmes, hvis én række er forkert."),
)


def write_template(out: Path, catalogue: DutyCatalogue, unit_names: list[str]) -> None:
    """An empty import sheet with drop-downs, and a guide listing the duties that can be
    imported."""
    workbook = Workbook()
    sheet = import_sheet(workbook, IMPORT_SHEET, IMPORT_COLUMNS)
    guide = guide_sheet(workbook, (26, 60, 60), GUIDE, unit_names, wrap=False)
    guide.append(["Nøgle", "Krav", "Interval (måneder)"])
    first = guide.max_row + 1
    recordable = [duty for duty in catalogue.duties if duty.recordable]
    for duty in recordable:
        guide.append([duty.key, duty.name_da, duty.interval_months])
    duties = DataValidation(
        type="list", formula1=f"=Vejledning!$B${first}:$B${guide.max_row}", allow_blank=True
    )
    duties.add("B2:B2000")
    for validation in (duties, date_column(sheet, "D", 2000)):
        sheet.add_data_validation(validation)
    workbook.save(out)


def read_import(path: Path) -> tuple[list[ImportRow], list[RowError]]:
    """The data rows of the import sheet (or the first sheet), or what is wrong with it."""
    rows, problems = filled_rows(path, IMPORT_SHEET, IMPORT_COLUMNS, "documentation.import")
    return [
        ImportRow(
            row=number,
            unit=cell_text(values[0]) or "",
            duty=cell_text(values[1]) or "",
            subject=cell_text(values[2]),
            met_on=values[3],
            proof=cell_text(values[4]),
        )
        for number, values in rows
    ], problems


def describe(lang: Lang, error: RowError) -> str:
    """A row error as a line for the person who filled in the sheet."""
    return describe_problem(lang, error, "documentation.import")
