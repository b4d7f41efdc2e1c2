"""A unit's own precursor spreadsheet: reading its rows (or what is wrong with it), and the
empty import template with its guide and the substance list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from domain.i18n import Lang, t
from domain.precursor_import import ImportRow, RowError
from domain.precursors import SubstanceInfo, format_day, format_quantity
from reports.excel import HEADER_FILL, HEADER_FONT, import_sheet
from reports.import_sheets import date_column, filled_rows
from reports.precursors import BOLD

IMPORT_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Enhed", 16),
    ("Stof (navn eller CAS-nr.)", 32),
    ("Type", 16),
    ("Dato", 12),
    ("Mængde", 10),
    ("Måleenhed", 10),
    ("Leverandør / modtager", 26),
    ("Kundeerklæring", 18),
    ("Faktura / følgeseddel", 18),
    ("Formål / projekt", 26),
    ("Opbevaringssted", 26),
    ("Bemærkning", 26),
)
IMPORT_SHEET = "Posteringer"
IMPORT_KINDS = ("startbeholdning", "køb", "forbrug", "bortskaffelse", "overdragelse", "optælling")


# -- import ------------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def read_import(
    source: Path | bytes, name: str | None = None
) -> tuple[list[ImportRow], list[RowError]]:
    """The data rows of the import sheet (or the first sheet), or what is wrong with it;
    `source` is a file or the bytes of one (named `name` in messages)."""
    rows, problems = filled_rows(
        source, IMPORT_SHEET, IMPORT_COLUMNS, "precursors.import", name=name
    )
    return [
        ImportRow(
            row=number,
            unit=_text(values[0]) or "",
            substance=_text(values[1]) or "",
            kind=_text(values[2]) or "",
            entry_date=values[3],
            quantity=values[4]
            if isinstance(values[4], int | float | Decimal)
            else _text(values[4]),
            quantity_unit=_text(values[5]) or "",
            counterparty=_text(values[6]),
            declaration_ref=_text(values[7]),
            document_ref=_text(values[8]),
            purpose=_text(values[9]),
            storage_location=_text(values[10]),
            note=_text(values[11]),
        )
        for number, values in rows
    ], problems


def describe(lang: Lang, error: RowError) -> str:
    """A row error as a line for the person who made the spreadsheet."""
    values = dict(error.values)
    if isinstance(values.get("day"), date):
        values["day"] = format_day(lang, values["day"])
    if isinstance(values.get("stock"), int):
        values["stock"] = format_quantity(lang, values["stock"], values.pop("report_unit", ""))
    text = t(lang, error.key, **values)
    if error.row <= 0:
        return text
    return t(lang, "precursors.import.row", row=error.row, text=text)


# -- the template ------------------------------------------------------------------------------


TEMPLATE_GUIDE: tuple[tuple[str, str], ...] = (
    (
        "Sådan bruges skabelonen",
        "Én række pr. postering i arket «Posteringer». Overskrifterne må ikke ændres. "
        "Importér med: python -m bot precursors import FIL.xlsx. Alle rækker kontrolleres "
        "først; er der én fejl, gemmes intet, og fejlene vises række for række.",
    ),
    ("Enhed", "Enhedens navn som i AMK-bot, fx Kemi."),
    (
        "Stof (navn eller CAS-nr.)",
        "Stoffets navn (dansk eller engelsk) eller CAS-nummer, som i arket «Stoffer». "
        "CAS-nummeret er det sikreste.",
    ),
    (
        "Type",
        "startbeholdning, køb, forbrug, bortskaffelse, overdragelse eller optælling (på "
        "engelsk: opening, purchase, consumption, disposal, transfer, count). "
        "Startbeholdning kun én gang pr. stof og kun før andre posteringer.",
    ),
    ("Dato", "Posteringens dato (en rigtig dato, fx 02-03-2026). Ikke i fremtiden."),
    (
        "Mængde",
        "Et tal større end 0 (ved optælling må det være 0). Komma eller punktum som decimaltegn.",
    ),
    (
        "Måleenhed",
        "g, kg, mL eller L. Omregnes til stoffets indberetningsenhed; masse og rumfang kun, "
        "hvis arket «Stoffer» har en massefylde.",
    ),
    (
        "Leverandør / modtager",
        "Skal udfyldes ved køb (leverandør) og overdragelse (modtager).",
    ),
    (
        "Kundeerklæring",
        "Skal udfyldes ved køb af kategori 1, 2A og 2B: kundeerklæringens nummer eller dato.",
    ),
    ("Faktura / følgeseddel", "Valgfrit."),
    ("Formål / projekt", "Skal udfyldes ved forbrug."),
    (
        "Opbevaringssted",
        "Skal stå i mindst én række for hvert stof, enheden ikke har i AMK-bot i forvejen.",
    ),
    ("Bemærkning", "Valgfrit: form og styrke, fx 37 % opløsning."),
    (
        "Eksempel",
        "Kemi | 108-24-7 | køb | 02-03-2026 | 2500 | mL | Sigma-Aldrich | KE-2026-4 | "
        "F-88123 | | Bygning 207, giftskab 2 |",
    ),
    (
        "Eksempel",
        "Kemi | Eddikesyreanhydrid | forbrug | 10-03-2026 | 0,5 | L | | | | "
        "Acetylering, projekt X | |",
    ),
)


def write_template(out: Path, substances: list[SubstanceInfo]) -> None:
    """An empty import sheet with drop-downs, a guide, and the substance list."""
    workbook = Workbook()
    sheet = import_sheet(workbook, IMPORT_SHEET, IMPORT_COLUMNS)
    kinds = DataValidation(
        type="list", formula1='"' + ",".join(IMPORT_KINDS) + '"', allow_blank=True
    )
    kinds.add("C2:C5000")
    units = DataValidation(type="list", formula1='"g,kg,mL,L"', allow_blank=True)
    units.add("F2:F5000")
    for validation in (kinds, units, date_column(sheet, "D", 5000)):
        sheet.add_data_validation(validation)
    guide = workbook.create_sheet("Vejledning")
    guide.column_dimensions["A"].width = 26
    guide.column_dimensions["B"].width = 100
    lines = TEMPLATE_GUIDE
    for label, text in lines:
        guide.append([label, text])
        guide.cell(row=guide.max_row, column=1).font = BOLD
        guide.cell(row=guide.max_row, column=2).alignment = Alignment(
            wrap_text=True, vertical="top"
        )
    listing = workbook.create_sheet("Stoffer")
    header = [
        "Kategori",
        "Navn (dansk)",
        "Navn (engelsk)",
        "CAS-nr.",
        "KN-kode",
        "Indberetningsenhed",
        "Massefylde (g/mL)",
        "Koder verificeret",
    ]
    listing.append(header)
    for index, width in enumerate((9, 40, 40, 13, 13, 12, 12, 11), start=1):
        cell = listing.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        listing.column_dimensions[get_column_letter(index)].width = width
    for item in sorted(substances, key=lambda s: (s.category, s.name_da)):
        listing.append(
            [
                item.category.value,
                item.name_da,
                item.name_en,
                item.cas,
                item.cn,
                item.report_unit.value,
                float(item.density) if item.density is not None else None,
                "Ja" if item.verified else "Nej",
            ]
        )
    listing.freeze_panes = "A2"
    listing.auto_filter.ref = f"A1:H{listing.max_row}"
    workbook.save(out)
