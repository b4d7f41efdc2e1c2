"""Importing a unit's spreadsheet: the rows as read, their errors, and each row as an entry
form."""

from __future__ import annotations

from dataclasses import dataclass, field
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
