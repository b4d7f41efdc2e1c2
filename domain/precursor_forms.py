"""The precursor forms: an entry of a holding's ledger, and a new holding."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
)

from domain.precursor_ledger import EntryKind
from domain.precursors import (
    ConversionError,
    QuantityUnit,
    SubstanceInfo,
    parse_quantity,
    parse_unit,
    to_micro,
    to_report_unit,
)

MAX_QUANTITY: Final = Decimal("1000000")
EARLIEST_DATE: Final = date(2000, 1, 1)


# -- forms -------------------------------------------------------------------------------------


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


class EntryForm(BaseModel):
    """A ledger entry as typed in a card or read from an import row (field rules only)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    kind: EntryKind
    entry_date: date
    quantity: Decimal
    unit: QuantityUnit
    counterparty: str | None = Field(default=None, max_length=200)
    declaration_ref: str | None = Field(default=None, max_length=100)
    document_ref: str | None = Field(default=None, max_length=100)
    purpose: str | None = Field(default=None, max_length=300)

    @field_validator("counterparty", "declaration_ref", "document_ref", "purpose", mode="before")
    @classmethod
    def _optional(cls, value: Any) -> Any:
        return _blank_to_none(value)

    @field_validator("quantity", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Decimal:
        parsed = parse_quantity(value)
        if parsed is None:
            raise ValueError("quantity")
        return parsed

    @field_validator("unit", mode="before")
    @classmethod
    def _unit(cls, value: Any) -> QuantityUnit:
        parsed = parse_unit(str(value)) if value is not None else None
        if parsed is None:
            raise ValueError("unit")
        return parsed

    @field_validator("entry_date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, str):
            return _parse_date(value) or value
        return value


def _parse_date(text: str) -> date | None:
    """ISO 2026-03-01, or Danish 01-03-2026 / 1.3.2026 / 01/03/2026."""
    value = text.strip()[:10]
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    match = re.match(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$", value)
    if match:
        try:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        except ValueError:
            return None
    return None


FIELD_ERRORS: Final[dict[str, str]] = {
    "kind": "precursors.error.kind",
    "entry_date": "precursors.error.date",
    "quantity": "precursors.error.quantity",
    "unit": "precursors.error.unit",
    "counterparty": "precursors.error.too_long",
    "declaration_ref": "precursors.error.too_long",
    "document_ref": "precursors.error.too_long",
    "purpose": "precursors.error.too_long",
}


def check_entry(
    form: EntryForm, substance: SubstanceInfo, *, today: date
) -> tuple[int | None, dict[str, str]]:
    """Cross-field rules and the conversion: (quantity in micro-units, `{field: message key}`)."""
    errors: dict[str, str] = {}
    if form.entry_date > today:
        errors["entry_date"] = "precursors.error.future"
    elif form.entry_date < EARLIEST_DATE:
        errors["entry_date"] = "precursors.error.date"
    if form.kind is EntryKind.COUNT:
        if form.quantity < 0:
            errors["quantity"] = "precursors.error.quantity"
    elif form.quantity <= 0:
        errors["quantity"] = "precursors.error.quantity"
    if form.quantity > MAX_QUANTITY:
        errors["quantity"] = "precursors.error.quantity"
    if form.kind is EntryKind.PURCHASE:
        if not form.counterparty:
            errors["counterparty"] = "precursors.error.supplier"
        if substance.category.needs_declaration and not form.declaration_ref:
            errors["declaration_ref"] = "precursors.error.declaration"
    if form.kind is EntryKind.TRANSFER and not form.counterparty:
        errors["counterparty"] = "precursors.error.recipient"
    if form.kind is EntryKind.CONSUMPTION and not form.purpose:
        errors["purpose"] = "precursors.error.purpose"
    if form.kind is EntryKind.REVERSAL:
        errors["kind"] = "precursors.error.kind"
    micro: int | None = None
    try:
        micro = to_micro(to_report_unit(form.quantity, form.unit, substance))
    except ConversionError:
        errors["unit"] = (
            "precursors.error.needs_mass"
            if substance.report_unit.is_mass
            else "precursors.error.needs_volume"
        )
    if micro is not None and micro == 0 and form.quantity > 0 and "quantity" not in errors:
        errors["quantity"] = "precursors.error.too_small"
    return (None if errors else micro), errors


class HoldingForm(BaseModel):
    """Adding a substance to the unit's list: where it is kept, and a note (form, strength)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    substance_id: int
    storage_location: str = Field(min_length=2, max_length=200)
    note: str | None = Field(default=None, max_length=300)

    @field_validator("note", mode="before")
    @classmethod
    def _optional(cls, value: Any) -> Any:
        return _blank_to_none(value)
