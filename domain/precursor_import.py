"""Importing a unit's spreadsheet: the rows as read, their errors, and each row as an entry
form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from pydantic import (
    ValidationError,
)

from domain.precursor_forms import FIELD_ERRORS, EntryForm
from domain.precursor_ledger import EntryKind

# -- importing a unit's spreadsheet ------------------------------------------------------------

KIND_WORDS: Final[dict[str, EntryKind]] = {
    "startbeholdning": EntryKind.OPENING,
    "primo": EntryKind.OPENING,
    "opening": EntryKind.OPENING,
    "opening stock": EntryKind.OPENING,
    "køb": EntryKind.PURCHASE,
    "indkøb": EntryKind.PURCHASE,
    "purchase": EntryKind.PURCHASE,
    "forbrug": EntryKind.CONSUMPTION,
    "consumption": EntryKind.CONSUMPTION,
    "bortskaffelse": EntryKind.DISPOSAL,
    "bortskaffet": EntryKind.DISPOSAL,
    "disposal": EntryKind.DISPOSAL,
    "overdragelse": EntryKind.TRANSFER,
    "overdraget": EntryKind.TRANSFER,
    "transfer": EntryKind.TRANSFER,
    "optælling": EntryKind.COUNT,
    "count": EntryKind.COUNT,
    "stock count": EntryKind.COUNT,
}


def parse_kind(text: str) -> EntryKind | None:
    return KIND_WORDS.get(" ".join(text.casefold().split()))


@dataclass(frozen=True)
class ImportRow:
    """One data row of an import sheet, cells as read (text, numbers or dates)."""

    row: int
    unit: str
    substance: str
    kind: str
    entry_date: Any
    quantity: Any
    quantity_unit: str
    counterparty: str | None = None
    declaration_ref: str | None = None
    document_ref: str | None = None
    purpose: str | None = None
    storage_location: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class RowError:
    """What is wrong with a row: a catalogue key and its values."""

    row: int
    key: str
    values: dict[str, Any] = field(default_factory=dict)


def import_form(row: ImportRow) -> tuple[EntryForm | None, list[RowError]]:
    """The row's entry fields, or why they cannot be read."""
    kind = parse_kind(row.kind or "")
    if kind is None:
        return None, [RowError(row.row, "precursors.import.kind", {"value": row.kind})]
    try:
        form = EntryForm.model_validate(
            {
                "kind": kind,
                "entry_date": row.entry_date,
                "quantity": row.quantity,
                "unit": row.quantity_unit,
                "counterparty": row.counterparty,
                "declaration_ref": row.declaration_ref,
                "document_ref": row.document_ref,
                "purpose": row.purpose,
            }
        )
    except ValidationError as error:
        problems: list[RowError] = []
        for issue in error.errors():
            name = str(issue["loc"][0]) if issue["loc"] else "kind"
            key = FIELD_ERRORS.get(name, "precursors.error.form")
            if not any(problem.key == key for problem in problems):
                problems.append(RowError(row.row, key))
        return None, problems
    return form, []


# -- rows kept between the check and the confirmation -------------------------------------------

MAX_KEPT_ROWS: Final = 1000
"""The most rows a sheet sent in the chat may have: its rows wait in the conversation's state
between the summary and **Importér** (about 300 bytes each), so a larger sheet is split."""

_PACKED_FIELDS: Final = (
    "row",
    "unit",
    "substance",
    "kind",
    "entry_date",
    "quantity",
    "quantity_unit",
    "counterparty",
    "declaration_ref",
    "document_ref",
    "purpose",
    "storage_location",
    "note",
)


def _cell(value: Any) -> Any:
    """A cell as the conversation's state can hold it: dates stay dates, numbers stay numbers
    (a decimal as its text), anything else as text."""
    if value is None or isinstance(value, bool | int | float | str | date):
        return value
    return str(value)


def pack_rows(rows: list[ImportRow]) -> list[list[Any]]:
    """The rows as plain lists, in the order of `_PACKED_FIELDS`."""
    return [[_cell(getattr(row, name)) for name in _PACKED_FIELDS] for row in rows]


def unpack_rows(packed: Any) -> list[ImportRow]:
    """The rows `pack_rows` made (anything else: none)."""
    if not isinstance(packed, list):
        return []
    rows: list[ImportRow] = []
    for item in packed[:MAX_KEPT_ROWS]:
        if not isinstance(item, list) or len(item) != len(_PACKED_FIELDS):
            return []
        values = dict(zip(_PACKED_FIELDS, item, strict=True))
        if not isinstance(values["row"], int):
            return []
        for name in ("unit", "substance", "kind", "quantity_unit"):
            values[name] = str(values[name] or "")
        rows.append(ImportRow(**values))
    return rows
