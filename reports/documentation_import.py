"""The documentation import's workbooks: the empty template with its guide, and reading a
filled one back into rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.datavalidation import DataValidation

from domain.documentation import DutyCatalogue
from domain.documentation_import import ImportRow
from domain.i18n import Lang, t
from domain.precursor_import import RowError
from reports.excel import DATE_FORMAT, import_sheet

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


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def write_template(out: Path, catalogue: DutyCatalogue, unit_names: list[str]) -> None:
    """An empty import sheet with drop-downs, and a guide listing the duties that can be
    imported."""
    workbook = Workbook()
    sheet = import_sheet(workbook, IMPORT_SHEET, IMPORT_COLUMNS)
    guide = workbook.create_sheet("Vejledning")
    guide.column_dimensions["A"].width = 26
    guide.column_dimensions["B"].width = 60
    guide.column_dimensions["C"].width = 60
    for label, text in GUIDE:
        guide.append([label, text])
    guide.append(["Enheder", ", ".join(unit_names)])
    guide.cell(row=guide.max_row, column=2).alignment = Alignment(wrap_text=True)
    guide.append(["Nøgle", "Krav", "Interval (måneder)"])
    first = guide.max_row + 1
    recordable = [duty for duty in catalogue.duties if duty.recordable]
    for duty in recordable:
        guide.append([duty.key, duty.name_da, duty.interval_months])
    duties = DataValidation(
        type="list", formula1=f"=Vejledning!$B${first}:$B${guide.max_row}", allow_blank=True
    )
    duties.add("B2:B2000")
    dates = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
    dates.add("D2:D2000")
    for validation in (duties, dates):
        sheet.add_data_validation(validation)
    for row in range(2, 502):
        sheet.cell(row=row, column=4).number_format = DATE_FORMAT
    workbook.save(out)


def read_import(path: Path) -> tuple[list[ImportRow], list[RowError]]:
    """The data rows of the import sheet (or the first sheet), or what is wrong with it."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        return [], [RowError(0, "documentation.import.file", {"file": path.name, "error": error})]
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
                    "documentation.import.header",
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
                    duty=_text(values[1]) or "",
                    subject=_text(values[2]),
                    met_on=values[3],
                    proof=_text(values[4]),
                )
            )
    finally:
        workbook.close()
    if not result:
        return [], [RowError(2, "documentation.import.empty")]
    return result, []


def describe(lang: Lang, error: RowError) -> str:
    """A row error as a line for the person who filled in the sheet."""
    text = t(lang, error.key, **error.values)
    if error.row <= 1:
        return text
    return t(lang, "documentation.import.row", row=error.row, problem=text)
