"""Drug-precursor workbooks: a unit's annual report and the university-wide roll-up for the
customs authority (the import sheet and its template are `reports.precursor_import`).

Quantities are numbers in the substance's reporting unit (kg or L); each cell's number
format shows its unit, the "Enhed" column holds it for filtering. Dates are dates. Rows
whose physical count differs from the book stock are highlighted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from domain.i18n import Lang, t
from domain.precursor_ledger import EntryKind, YearFigures, licence_warning, threshold_warning
from domain.precursor_registrations import RegistrationStatus, RegistrationView, UnitYear
from domain.precursors import Category, SubstanceInfo, format_quantity, from_micro
from reports.excel import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    HEADER_FILL,
    HEADER_FONT,
    WRAP_TOP,
    local,
)

DISCREPANCY_FILL = PatternFill("solid", fgColor="F8CBAD")
WARNING_FILL = PatternFill("solid", fgColor="FFE699")
BOLD = Font(bold=True)

UNIT_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Kategori", 9),
    ("Stof", 40),
    ("CAS-nr.", 13),
    ("KN-kode", 13),
    ("Enhed", 7),
    ("Primobeholdning 1/1 (kg/L)", 15),
    ("Køb (kg/L)", 13),
    ("Forbrug (kg/L)", 13),
    ("Bortskaffet (kg/L)", 13),
    ("Overdraget (kg/L)", 13),
    ("Bogført ultimo 31/12 (kg/L)", 15),
    ("Sidste optælling", 13),
    ("Optalt (kg/L)", 13),
    ("Bogført på tælledagen (kg/L)", 15),
    ("Difference (kg/L)", 13),
    ("Opbevaringssted", 30),
    ("Form og styrke", 22),
    ("Koder verificeret", 11),
)
QUANTITY_COLUMNS = (5, 6, 7, 8, 9, 10, 12, 13, 14)
SUMMARY_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Kategori", 9),
    ("Stof", 40),
    ("CAS-nr.", 13),
    ("KN-kode", 13),
    ("Enhed", 7),
    ("Antal enheder", 10),
    ("Primobeholdning 1/1 (kg/L)", 15),
    ("Køb (kg/L)", 13),
    ("Forbrug (kg/L)", 13),
    ("Bortskaffet (kg/L)", 13),
    ("Overdraget (kg/L)", 13),
    ("Bogført ultimo 31/12 (kg/L)", 15),
    ("Difference ved optælling (kg/L)", 15),
    ("Enheder med afvigelse", 28),
    ("Tærskel pr. år (kg/L)", 13),
    ("Bemærkning", 50),
)
CATEGORY_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Kategori", 9),
    ("Enhed", 7),
    ("Antal stoffer", 10),
    ("Antal enheder", 10),
    ("Primobeholdning 1/1 (kg/L)", 15),
    ("Køb (kg/L)", 13),
    ("Forbrug (kg/L)", 13),
    ("Bortskaffet (kg/L)", 13),
    ("Overdraget (kg/L)", 13),
    ("Bogført ultimo 31/12 (kg/L)", 15),
)
UNITS_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Enhed", 24),
    ("Indberetning", 20),
    ("Kontaktperson", 26),
    ("Kontaktpersonens e-mail", 28),
    ("Indberettet", 17),
    ("Indberettet af", 24),
    ("Stoffer", 9),
    ("Stoffer med afvigelse", 11),
    ("Bemærkning", 50),
)
ENTRY_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Enhed", 20),
    ("Kategori", 9),
    ("Stof", 36),
    ("Nr.", 8),
    ("Dato", 12),
    ("Type", 20),
    ("Mængde (kg/L)", 13),
    ("Bevægelse (kg/L)", 13),
    ("Indtastet", 12),
    ("Leverandør / modtager", 26),
    ("Kundeerklæring", 18),
    ("Faktura / følgeseddel", 18),
    ("Formål / bemærkning", 30),
    ("Tilbagefører nr.", 10),
    ("Tilbageført", 10),
    ("Begrundelse", 30),
    ("Registreret af", 24),
    ("Registreret", 17),
)
KIND_NAMES = {kind: t(Lang.DA, f"precursors.kind.{kind.value}") for kind in EntryKind}


# -- writing -----------------------------------------------------------------------------------


@dataclass
class _Row:
    values: list[Any]
    units: dict[int, str] = field(default_factory=dict)
    """Column index → the unit its number is shown in."""
    fill: PatternFill | None = None
    bold: set[int] = field(default_factory=set)


def _quantity_format(unit: str) -> str:
    return f'#,##0.000 "{unit}"'


def _styled_cell(
    sheet: WriteOnlyWorksheet,
    number_format: str | None,
    wrap: bool,
    fill: PatternFill | None,
    bold: bool,
) -> Cell:
    cell = WriteOnlyCell(sheet)
    if number_format is not None:
        cell.number_format = number_format
    elif wrap:
        cell.alignment = WRAP_TOP
    if fill is not None:
        cell.fill = fill
    if bold:
        cell.font = BOLD
    return cell


def _write(
    sheet: WriteOnlyWorksheet, columns: Sequence[tuple[str, float]], rows: Iterable[_Row]
) -> int:
    """Bold frozen header with a filter, then the rows; dates as dates, numbers as numbers."""
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
    # A write-only sheet writes a row out when it is appended, so one styled cell per column
    # and style serves every row that needs it: only its value changes.
    styled: dict[tuple[int, str | None, bool, int, bool], Cell] = {}
    count = 0
    for row in rows:
        cells: list[Any] = []
        for index, value in enumerate(row.values):
            number_format = None
            if isinstance(value, datetime):
                number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                number_format = DATE_FORMAT
            elif index in row.units and isinstance(value, int | float):
                number_format = _quantity_format(row.units[index])
            wrap = number_format is None and isinstance(value, str) and len(value) > 40
            bold = index in row.bold
            if number_format is None and not wrap and row.fill is None and not bold:
                # Unstyled: openpyxl streams the plain value without a cell object of ours.
                cells.append(value)
                continue
            key = (index, number_format, wrap, id(row.fill), bold)
            same = styled.get(key)
            if same is None:
                same = styled[key] = _styled_cell(sheet, number_format, wrap, row.fill, bold)
            same.value = value
            cells.append(same)
        sheet.append(cells)
        count += 1
    last = f"{get_column_letter(len(columns))}{count + 1}"
    sheet.auto_filter.ref = f"A1:{last}"  # type: ignore[attr-defined]
    return count


def _number(micro: int | None) -> float | None:
    return None if micro is None else float(from_micro(micro))


def _sheet_title(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "-", name).strip("'")[:31] or "Enhed"
    title, n = base, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def _substance_cells(substance: SubstanceInfo) -> list[Any]:
    return [
        substance.category.value,
        substance.name_da,
        substance.cas,
        substance.cn,
        substance.report_unit.value,
    ]


def _unit_rows(data: UnitYear) -> Iterable[_Row]:
    ordered = sorted(
        data.rows, key=lambda row: (row.holding.substance.category, row.holding.substance.name_da)
    )
    for item in ordered:
        figures = item.figures
        substance = item.holding.substance
        values = [
            *_substance_cells(substance),
            _number(figures.opening),
            _number(figures.purchases),
            _number(figures.consumption),
            _number(figures.disposal),
            _number(figures.transfers),
            _number(figures.closing),
            figures.count_date,
            _number(figures.counted),
            _number(figures.book_at_count),
            _number(figures.difference),
            item.holding.storage_location,
            item.holding.note,
            "Ja" if substance.verified else "Nej",
        ]
        unit = substance.report_unit.value
        yield _Row(
            values,
            units={index: unit for index in QUANTITY_COLUMNS},
            fill=DISCREPANCY_FILL if figures.has_discrepancy else None,
            bold={14} if figures.has_discrepancy else set(),
        )


def _entry_rows(data: Iterable[UnitYear]) -> Iterable[_Row]:
    for unit_year in data:
        for holding, entry in unit_year.entries:
            substance = holding.substance
            unit = substance.report_unit.value
            if entry.kind is EntryKind.REVERSAL:
                sign = -entry.reverses_kind.sign if entry.reverses_kind else 0
                kind = (
                    f"{KIND_NAMES[entry.kind]} af {KIND_NAMES[entry.reverses_kind].lower()}"
                    if entry.reverses_kind
                    else KIND_NAMES[entry.kind]
                )
            else:
                sign = entry.kind.sign
                kind = KIND_NAMES[entry.kind]
            yield _Row(
                [
                    unit_year.unit,
                    substance.category.value,
                    substance.name_da,
                    entry.id,
                    entry.entry_date,
                    kind,
                    _number(entry.quantity_micro),
                    _number(sign * entry.quantity_micro),
                    entry.entered,
                    entry.counterparty,
                    entry.declaration_ref,
                    entry.document_ref,
                    entry.purpose,
                    entry.reverses_id,
                    "Ja" if entry.reversed else None,
                    entry.reason,
                    entry.created_by or ("import" if entry.source == "import" else None),
                    local(entry.created_at),
                ],
                units={6: unit, 7: unit},
            )


def _registration_text(registration: RegistrationView | None) -> str:
    if registration is None or registration.status is RegistrationStatus.MISSING:
        return "Mangler"
    if registration.status is RegistrationStatus.NONE:
        return "Ingen prækursorer"
    return "Stofliste indberettet"


@dataclass(frozen=True)
class Printing:
    """What every workbook's about sheet states: when it was printed, from which catalogue,
    and the university's category 1 licence."""

    printed_at: datetime
    catalogue: str
    """The catalogue's version and legal basis (`storage.precursor_catalogue.catalogue_label`)."""
    licence: str = ""


def _about(sheet: WriteOnlyWorksheet, printing: Printing, rows: list[tuple[str, Any]]) -> None:
    sheet.column_dimensions["A"].width = 34  # type: ignore[attr-defined]
    sheet.column_dimensions["B"].width = 90  # type: ignore[attr-defined]
    for label, value in [
        *rows,
        ("Udskrevet", local(printing.printed_at)),
        ("Stofkatalog", printing.catalogue),
        (
            "Beregning",
            "Primobeholdning = bogført beholdning 1. januar (en startbeholdning angivet i løbet "
            "af året regnes med). Ultimo = primo + køb − forbrug − bortskaffet − overdraget. "
            "Tilbageføringer trækkes fra den type, de retter. Difference = optalt − bogført "
            "beholdning på tælledagen.",
        ),
        (
            "Enheder",
            "Mængder står i stoffets indberetningsenhed (kg eller L, kolonnen «Enhed»); mL og "
            "g er omregnet, masse og rumfang kun med katalogets massefylde.",
        ),
        (
            "Koder",
            "Stoffer markeret «Koder verificeret: Nej» har KN-kode eller CAS-nummer fra en "
            "uverificeret kilde. Tjek dem mod EUR-Lex før indberetning til Toldstyrelsen.",
        ),
    ]:
        label_cell = WriteOnlyCell(sheet, value=label)
        label_cell.font = BOLD
        value_cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, datetime):
            value_cell.number_format = DATETIME_FORMAT
        elif isinstance(value, date):
            value_cell.number_format = DATE_FORMAT
        value_cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.append([label_cell, value_cell])


# -- the unit's annual report ------------------------------------------------------------------


def write_unit(out: Path, data: UnitYear, year: int, printing: Printing) -> int:
    """One unit's year: per substance opening, movements, closing, last count, difference;
    every entry of the year. Returns the number of substances."""
    workbook = Workbook(write_only=True)
    _write(
        workbook.create_sheet(_sheet_title(f"{data.unit} {year}", set())),
        UNIT_COLUMNS,
        _unit_rows(data),
    )
    _write(workbook.create_sheet("Posteringer"), ENTRY_COLUMNS, _entry_rows([data]))
    _about(
        workbook.create_sheet("Om rapporten"),
        printing,
        [
            ("Rapport", "Narkotikaprækursorer – enhedens årsopgørelse"),
            ("Enhed", data.unit),
            ("År", year),
            ("Kontaktperson", data.contact),
            ("Kontaktpersonens e-mail", data.contact_email),
            ("Indberetning til sekretariatet", _registration_text(data.registration)),
            ("Stoffer med afvigelse ved optælling", data.discrepancies),
            ("Universitetets tilladelse (kategori 1)", printing.licence or "ikke registreret"),
        ],
    )
    workbook.save(out)
    return len(data.rows)


# -- the university-wide roll-up ---------------------------------------------------------------


@dataclass
class _Total:
    substance: SubstanceInfo
    units: list[str] = field(default_factory=list)
    discrepant: list[str] = field(default_factory=list)
    opening: int = 0
    purchases: int = 0
    consumption: int = 0
    disposal: int = 0
    transfers: int = 0
    closing: int = 0
    difference: int = 0

    def add(self, unit: str, figures: YearFigures) -> None:
        self.units.append(unit)
        self.opening += figures.opening
        self.purchases += figures.purchases
        self.consumption += figures.consumption
        self.disposal += figures.disposal
        self.transfers += figures.transfers
        self.closing += figures.closing
        if figures.has_discrepancy:
            self.discrepant.append(unit)
            self.difference += figures.difference or 0


def _remark(total: _Total, licence: str) -> tuple[str | None, bool]:
    """The substance's warnings as a sentence, and whether the row should stand out."""
    notes: list[str] = []
    warn = False
    licence_missing = licence_warning(total.substance, licence)
    if licence_missing is not None:
        notes.append("Kategori 1: universitetets tilladelse er ikke registreret i AMK-bot.")
        warn = True
    threshold = threshold_warning(total.substance, total.purchases)
    if threshold is not None:
        unit = threshold.unit or total.substance.report_unit.value
        notes.append(
            t(
                Lang.DA,
                f"precursors.warning.{threshold.kind.value}",
                total=format_quantity(Lang.DA, threshold.total_micro or 0, unit),
                substance=total.substance.name_da.lower(),
                threshold=format_quantity(Lang.DA, threshold.threshold_micro or 0, unit),
            )
        )
        warn = True
    if not total.substance.verified:
        notes.append("Koder ikke verificeret.")
    return (" ".join(notes) or None), warn


def _summary_rows(totals: list[_Total], licence: str) -> Iterable[_Row]:
    for total in sorted(totals, key=lambda item: (item.substance.category, item.substance.name_da)):
        unit = total.substance.report_unit.value
        remark, warn = _remark(total, licence)
        yield _Row(
            [
                *_substance_cells(total.substance),
                len(total.units),
                _number(total.opening),
                _number(total.purchases),
                _number(total.consumption),
                _number(total.disposal),
                _number(total.transfers),
                _number(total.closing),
                _number(total.difference) if total.discrepant else None,
                ", ".join(total.discrepant) or None,
                _number(int(total.substance.threshold * 1_000_000))
                if total.substance.threshold is not None
                else None,
                remark,
            ],
            units={index: unit for index in (6, 7, 8, 9, 10, 11, 12, 14)},
            fill=DISCREPANCY_FILL if total.discrepant else (WARNING_FILL if warn else None),
        )


def _category_rows(totals: list[_Total]) -> Iterable[_Row]:
    groups: dict[tuple[Category, str], list[_Total]] = {}
    for total in totals:
        groups.setdefault((total.substance.category, total.substance.report_unit.value), []).append(
            total
        )
    for (category, unit), items in sorted(groups.items()):
        yield _Row(
            [
                category.value,
                unit,
                len(items),
                len({name for item in items for name in item.units}),
                _number(sum(item.opening for item in items)),
                _number(sum(item.purchases for item in items)),
                _number(sum(item.consumption for item in items)),
                _number(sum(item.disposal for item in items)),
                _number(sum(item.transfers for item in items)),
                _number(sum(item.closing for item in items)),
            ],
            units={index: unit for index in (4, 5, 6, 7, 8, 9)},
        )


def _units_rows(data: list[UnitYear], registrations: list[RegistrationView]) -> Iterable[_Row]:
    by_unit = {item.unit_id: item for item in data}
    for registration in registrations:
        item = by_unit.get(registration.unit_id)
        discrepancies = item.discrepancies if item else 0
        missing = registration.status is RegistrationStatus.MISSING
        note = None
        if discrepancies:
            note = "Optælling afviger fra bogført beholdning – se enhedens ark."
        elif missing:
            note = "Har ikke indberettet til sekretariatet."
        yield _Row(
            [
                registration.unit,
                _registration_text(registration),
                item.contact if item else registration.contact,
                item.contact_email if item else None,
                local(registration.registered_at),
                registration.registered_by,
                len(item.rows) if item else 0,
                discrepancies,
                note,
            ],
            fill=DISCREPANCY_FILL if discrepancies else (WARNING_FILL if missing else None),
            bold={7} if discrepancies else set(),
        )


def write_all(
    out: Path,
    year: int,
    data: list[UnitYear],
    registrations: list[RegistrationView],
    printing: Printing,
) -> int:
    """The roll-up: summary by substance, by category, every unit's status and contact,
    one sheet per unit in `data` (the units that hold precursors), and every entry. Returns
    the number of unit sheets."""
    totals: dict[int, _Total] = {}
    for item in data:
        for row in item.rows:
            substance = row.holding.substance
            totals.setdefault(substance.id, _Total(substance)).add(item.unit, row.figures)
    workbook = Workbook(write_only=True)
    taken = {"oversigt", "kategorier", "enheder", "posteringer", "om rapporten"}
    _write(
        workbook.create_sheet("Oversigt"),
        SUMMARY_COLUMNS,
        _summary_rows(list(totals.values()), printing.licence),
    )
    _write(
        workbook.create_sheet("Kategorier"), CATEGORY_COLUMNS, _category_rows(list(totals.values()))
    )
    _write(workbook.create_sheet("Enheder"), UNITS_COLUMNS, _units_rows(data, registrations))
    for item in data:
        _write(
            workbook.create_sheet(_sheet_title(item.unit, taken)),
            UNIT_COLUMNS,
            _unit_rows(item),
        )
    _write(workbook.create_sheet("Posteringer"), ENTRY_COLUMNS, _entry_rows(data))
    done = sum(1 for r in registrations if r.status is not RegistrationStatus.MISSING)
    _about(
        workbook.create_sheet("Om rapporten"),
        printing,
        [
            ("Rapport", "Narkotikaprækursorer – universitetets samlede årsopgørelse"),
            ("År", year),
            ("Enheder, der har indberettet", f"{done} af {len(registrations)}"),
            ("Enheder med prækursorer", len(data)),
            (
                "Enheder med afvigelse ved optælling",
                ", ".join(item.unit for item in data if item.discrepancies) or "ingen",
            ),
            ("Universitetets tilladelse (kategori 1)", printing.licence or "ikke registreret"),
        ],
    )
    workbook.save(out)
    return len(data)
