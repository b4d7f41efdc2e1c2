"""Drug precursors (narkotikaprækursorer): the catalogue, quantities, the ledger's rules.

EU Regulation 273/2004 schedules substances in categories 1, 2A, 2B and 3. A university
unit is a *user*: it possesses and consumes them. Each unit keeps a ledger per substance
(purchases, consumption, disposal, transfers, physical counts) from which the annual
summary is computed. The rules here have no I/O:

- quantities are entered in g, kg, mL or L and converted to the substance's reporting
  unit (kg or L); mass and volume convert into each other only with a catalogue density;
- book stock may never be negative at the end of any day;
- entries are never edited or deleted: a mistake is undone by a reasoned reversing entry.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Final

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from domain.i18n import Lang, t

MICRO: Final = 1_000_000
"""Quantities are stored as integer millionths of the reporting unit (mg for kg, µL for L)."""
MAX_QUANTITY: Final = Decimal("1000000")
REMINDER_DAYS: Final = (30, 7, 1)
THRESHOLD_WARNING_FRACTION: Final = Decimal("0.8")
DEFAULT_DEADLINE: Final = "06-15"
EARLIEST_DATE: Final = date(2000, 1, 1)
CAS_PATTERN: Final = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")
DEADLINE_PATTERN: Final = re.compile(r"^(\d{2})-(\d{2})$")


class Category(StrEnum):
    """Annex I categories of Regulation 273/2004 (category 4 is external trade only)."""

    CAT1 = "1"
    CAT2A = "2A"
    CAT2B = "2B"
    CAT3 = "3"

    @property
    def needs_declaration(self) -> bool:
        """A supplier sells categories 1 and 2 only against a signed customer declaration."""
        return self is not Category.CAT3

    @property
    def needs_licence(self) -> bool:
        """Users need a licence to possess category 1."""
        return self is Category.CAT1


class QuantityUnit(StrEnum):
    """Units a quantity may be entered in."""

    G = "g"
    KG = "kg"
    ML = "mL"
    L = "L"

    @property
    def is_mass(self) -> bool:
        return self in (QuantityUnit.G, QuantityUnit.KG)

    @property
    def in_base(self) -> Decimal:
        """How many kg (mass) or L (volume) one of this unit is."""
        return Decimal("0.001") if self in (QuantityUnit.G, QuantityUnit.ML) else Decimal(1)


class ReportUnit(StrEnum):
    """The unit a substance is reported in (Annex II: acetic anhydride in L, solids in kg)."""

    KG = "kg"
    L = "L"

    @property
    def is_mass(self) -> bool:
        return self is ReportUnit.KG


def parse_unit(value: str) -> QuantityUnit | None:
    """ "g", "KG", "ml", "l", "liter" … → the unit; None if unknown."""
    folded = value.strip().casefold().rstrip(".")
    aliases = {
        "g": QuantityUnit.G,
        "gram": QuantityUnit.G,
        "kg": QuantityUnit.KG,
        "kilo": QuantityUnit.KG,
        "kilogram": QuantityUnit.KG,
        "ml": QuantityUnit.ML,
        "milliliter": QuantityUnit.ML,
        "millilitre": QuantityUnit.ML,
        "l": QuantityUnit.L,
        "liter": QuantityUnit.L,
        "litre": QuantityUnit.L,
    }
    return aliases.get(folded)


def cas_is_valid(cas: str) -> bool:
    """The CAS registry number's check digit is right."""
    match = CAS_PATTERN.match(cas.strip())
    if not match:
        return False
    digits = (match.group(1) + match.group(2))[::-1]
    total = sum(int(digit) * position for position, digit in enumerate(digits, start=1))
    return total % 10 == int(match.group(3))


# -- the catalogue -----------------------------------------------------------------------------


class Substance(BaseModel):
    """One scheduled substance (or group, e.g. esters) of a catalogue version."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,59}$")
    name_en: str = Field(min_length=2, max_length=200)
    name_da: str = Field(min_length=2, max_length=200)
    synonyms: tuple[str, ...] = ()
    category: Category
    cn: str | None = Field(default=None, max_length=20)
    cas: str | None = Field(default=None, max_length=20)
    salts: bool = True
    salts_note: str | None = Field(default=None, max_length=200)
    stereoisomers: bool = False
    report_unit: ReportUnit = ReportUnit.KG
    density: Decimal | None = Field(default=None, gt=0, le=25)
    """g/mL (= kg/L) at about 20 °C; only with it may mass and volume convert."""
    threshold: Decimal | None = Field(default=None, gt=0)
    """Annex II quantity per year above which a user must be registered (in report_unit)."""
    verified: bool = False
    check: str | None = Field(default=None, max_length=300)
    source: str = Field(min_length=3, max_length=100)

    @field_validator("cas")
    @classmethod
    def _cas(cls, value: str | None) -> str | None:
        if value is not None and not cas_is_valid(value):
            raise ValueError(f"CAS number {value!r} has a wrong check digit")
        return value

    @model_validator(mode="after")
    def _unverified_needs_a_note(self) -> Substance:
        if not self.verified and not self.check:
            raise ValueError(f"{self.key}: say what is not verified in `check`")
        return self

    def name(self, lang: Lang) -> str:
        return self.name_da if lang is Lang.DA else self.name_en


class Catalogue(BaseModel):
    """A version of the EU list, as shipped in `storage/seed/precursors-<version>.yaml`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = Field(pattern=r"^\d{4}\.\d+$")
    basis: str = Field(min_length=10)
    valid_from: date
    note: str | None = None
    substances: tuple[Substance, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Catalogue:
        keys = [item.key for item in self.substances]
        if len(keys) != len(set(keys)):
            raise ValueError("a substance key is listed twice")
        cas = [item.cas for item in self.substances if item.cas]
        if len(cas) != len(set(cas)):
            raise ValueError("a CAS number is listed twice")
        return self


@dataclass(frozen=True)
class SubstanceInfo:
    """What conversions and rules need to know of a substance (from the database row)."""

    id: int
    key: str
    name_en: str
    name_da: str
    category: Category
    cas: str | None
    cn: str | None
    report_unit: ReportUnit
    density: Decimal | None = None
    threshold: Decimal | None = None
    verified: bool = True
    salts: bool = True
    synonyms: tuple[str, ...] = ()
    active: bool = True

    def name(self, lang: Lang) -> str:
        return self.name_da if lang is Lang.DA else self.name_en


def _fold(text: str) -> str:
    """Case- and accent-insensitive, spaces collapsed: "Æther" and "aether" stay apart,
    "é" and "e" do not."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.replace("‑", "-").split())


def search(
    substances: Iterable[SubstanceInfo], query: str, *, limit: int = 8
) -> list[SubstanceInfo]:
    """Substances whose name, synonym, CAS or CN code matches `query`, best first."""
    wanted = _fold(query)
    if len(wanted) < 2:
        return []
    digits = re.sub(r"[^0-9]", "", wanted)
    scored: list[tuple[int, int, str, SubstanceInfo]] = []
    for item in substances:
        if not item.active:
            continue
        names = [_fold(item.name_da), _fold(item.name_en), *(_fold(s) for s in item.synonyms)]
        score: int | None = None
        if item.cas and digits and digits == re.sub(r"[^0-9]", "", item.cas):
            score = 0
        elif any(name == wanted for name in names):
            score = 1
        elif any(name.startswith(wanted) for name in names):
            score = 2
        elif any(wanted in name for name in names):
            score = 3
        elif (
            len(digits) >= 4
            and wanted.replace(" ", "").replace("-", "").isdigit()
            and (
                (item.cas and digits in re.sub(r"[^0-9]", "", item.cas))
                or (item.cn and digits in re.sub(r"[^0-9]", "", item.cn))
            )
        ):
            score = 4
        if score is not None:
            name = _fold(item.name_en)
            scored.append((score, len(name), name, item))
    scored.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in scored[:limit]]


# -- quantities --------------------------------------------------------------------------------


class ConversionError(ValueError):
    """Mass given for a volume-reported substance (or the reverse) without a density."""


def parse_quantity(value: Any) -> Decimal | None:
    """ "2,5", "2.5", "1.250,5" (Danish), "1,250.5" (English) or a number → Decimal."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def to_report_unit(amount: Decimal, unit: QuantityUnit, substance: SubstanceInfo) -> Decimal:
    """`amount` of `unit` in the substance's reporting unit (kg or L)."""
    base = amount * unit.in_base
    if unit.is_mass == substance.report_unit.is_mass:
        return base
    if substance.density is None:
        raise ConversionError(substance.key)
    if unit.is_mass:  # kg → L
        return base / substance.density
    return base * substance.density  # L → kg


def to_micro(amount: Decimal) -> int:
    """Millionths of the reporting unit, rounded half to even."""
    return int((amount * MICRO).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def from_micro(micro: int) -> Decimal:
    return Decimal(micro) / MICRO


def format_amount(lang: Lang, amount: Decimal, *, places: int = 3) -> str:
    """At most `places` decimals, no trailing zeros; Danish "1.234,5", English "1,234.5"."""
    rounded = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    text = f"{rounded:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if lang is Lang.DA:
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def format_quantity(lang: Lang, micro: int, unit: ReportUnit | QuantityUnit | str) -> str:
    return f"{format_amount(lang, from_micro(micro))} {unit}"


def format_day(lang: Lang, day: date) -> str:
    """ "3. marts 2026" / "3 March 2026"."""
    return t(
        lang,
        "precursors.day",
        day=day.day,
        month=t(lang, f"precursors.month.{day.month}"),
        year=day.year,
    )


# -- the ledger --------------------------------------------------------------------------------


class EntryKind(StrEnum):
    """What a ledger entry records."""

    OPENING = "opening"
    PURCHASE = "purchase"
    CONSUMPTION = "consumption"
    DISPOSAL = "disposal"
    TRANSFER = "transfer"
    COUNT = "count"
    REVERSAL = "reversal"

    @property
    def sign(self) -> int:
        """+1 adds to book stock, -1 takes from it, 0 does not move it (a count)."""
        if self in (EntryKind.OPENING, EntryKind.PURCHASE):
            return 1
        if self in (EntryKind.CONSUMPTION, EntryKind.DISPOSAL, EntryKind.TRANSFER):
            return -1
        return 0


FORM_KINDS: Final = (
    EntryKind.PURCHASE,
    EntryKind.CONSUMPTION,
    EntryKind.DISPOSAL,
    EntryKind.TRANSFER,
    EntryKind.COUNT,
    EntryKind.OPENING,
)
"""Kinds a user records through a form (reversals are made from the ledger)."""


@dataclass(frozen=True)
class LedgerLine:
    """One stored entry as the rules see it."""

    id: int
    kind: EntryKind
    entry_date: date
    quantity_micro: int
    delta_micro: int
    reverses_id: int | None = None
    reverses_kind: EntryKind | None = None
    reversed: bool = False

    @property
    def bucket(self) -> EntryKind:
        """The kind whose total the line counts towards (a reversal counts against its original)."""
        if self.kind is EntryKind.REVERSAL and self.reverses_kind is not None:
            return self.reverses_kind
        return self.kind


def delta_of(kind: EntryKind, quantity_micro: int) -> int:
    return kind.sign * quantity_micro


def balance(lines: Iterable[LedgerLine], *, upto: date | None = None) -> int:
    """Book stock in micro-units after every entry dated on or before `upto` (all if None)."""
    return sum(line.delta_micro for line in lines if upto is None or line.entry_date <= upto)


def first_negative_day(lines: Iterable[LedgerLine]) -> tuple[date, int] | None:
    """The first day whose closing book stock is below zero, and that stock; None if never.

    Entries carry dates, not times: only a day's closing balance is checked, so the order
    in which one day's entries were typed in does not matter.
    """
    per_day: dict[date, int] = {}
    for line in lines:
        per_day[line.entry_date] = per_day.get(line.entry_date, 0) + line.delta_micro
    running = 0
    for day in sorted(per_day):
        running += per_day[day]
        if running < 0:
            return day, running
    return None


def has_live_entries(lines: Iterable[LedgerLine]) -> bool:
    """Anything recorded that has not been reversed (reversals themselves excluded)."""
    return any(not line.reversed and line.kind is not EntryKind.REVERSAL for line in lines)


class ReversalProblem(StrEnum):
    NOT_FOUND = "not_found"
    IS_REVERSAL = "is_reversal"
    ALREADY = "already"
    REASON = "reason"


def reversal_problem(original: LedgerLine | None, reason: str | None) -> ReversalProblem | None:
    """Why `original` cannot be reversed now, or None."""
    if original is None:
        return ReversalProblem.NOT_FOUND
    if original.kind is EntryKind.REVERSAL:
        return ReversalProblem.IS_REVERSAL
    if original.reversed:
        return ReversalProblem.ALREADY
    if not reason or len(reason.strip()) < 3:
        return ReversalProblem.REASON
    return None


def reversal_of(original: LedgerLine) -> LedgerLine:
    """The reversing line: same date and quantity, opposite effect on the book stock."""
    return LedgerLine(
        id=0,
        kind=EntryKind.REVERSAL,
        entry_date=original.entry_date,
        quantity_micro=original.quantity_micro,
        delta_micro=-original.delta_micro,
        reverses_id=original.id,
        reverses_kind=original.kind,
    )


@dataclass(frozen=True)
class YearFigures:
    """One substance's year in one unit, in micro-units of its reporting unit."""

    opening: int = 0
    purchases: int = 0
    consumption: int = 0
    disposal: int = 0
    transfers: int = 0
    closing: int = 0
    count_date: date | None = None
    counted: int | None = None
    book_at_count: int | None = None

    @property
    def difference(self) -> int | None:
        """Counted minus book stock on the count's date (None without a count)."""
        if self.counted is None or self.book_at_count is None:
            return None
        return self.counted - self.book_at_count

    @property
    def has_discrepancy(self) -> bool:
        return bool(self.difference)

    @property
    def handled(self) -> bool:
        return any(
            (self.opening, self.purchases, self.consumption, self.disposal, self.transfers)
        ) or (self.counted is not None)


def year_figures(lines: Sequence[LedgerLine], year: int) -> YearFigures:
    """Opening stock (1 January; start balances entered during the year count as opening),
    purchases, consumption, disposal, transfers, book closing stock (31 December), and
    the last physical count of the year against the book stock on that day."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    before = sum(line.delta_micro for line in lines if line.entry_date < start)
    inside = [line for line in lines if start <= line.entry_date <= end]

    def total(kind: EntryKind) -> int:
        return abs(sum(line.delta_micro for line in inside if line.bucket is kind))

    opening = before + sum(line.delta_micro for line in inside if line.bucket is EntryKind.OPENING)
    purchases = sum(line.delta_micro for line in inside if line.bucket is EntryKind.PURCHASE)
    consumption = total(EntryKind.CONSUMPTION)
    disposal = total(EntryKind.DISPOSAL)
    transfers = total(EntryKind.TRANSFER)
    counts = [line for line in inside if line.kind is EntryKind.COUNT and not line.reversed]
    last = max(counts, key=lambda line: (line.entry_date, line.id)) if counts else None
    return YearFigures(
        opening=opening,
        purchases=purchases,
        consumption=consumption,
        disposal=disposal,
        transfers=transfers,
        closing=opening + purchases - consumption - disposal - transfers,
        count_date=last.entry_date if last else None,
        counted=last.quantity_micro if last else None,
        book_at_count=balance(lines, upto=last.entry_date) if last else None,
    )


def purchased_in_year(lines: Iterable[LedgerLine], year: int) -> int:
    """Net purchases (after reversals) dated in `year`, micro-units."""
    return sum(
        line.delta_micro
        for line in lines
        if line.bucket is EntryKind.PURCHASE and line.entry_date.year == year
    )


# -- warnings ----------------------------------------------------------------------------------


class WarningKind(StrEnum):
    LICENCE_MISSING = "licence_missing"
    THRESHOLD_NEAR = "threshold_near"
    THRESHOLD_EXCEEDED = "threshold_exceeded"
    UNVERIFIED = "unverified"


@dataclass(frozen=True)
class PrecursorWarning:
    """Something the user (and the secretariat) should know; never a refusal."""

    kind: WarningKind
    substance: str
    total_micro: int | None = None
    threshold_micro: int | None = None
    unit: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "substance": self.substance,
            "total_micro": self.total_micro,
            "threshold_micro": self.threshold_micro,
        }


def licence_warning(substance: SubstanceInfo, licence: str) -> PrecursorWarning | None:
    """Category 1 needs the university's licence; warn when none is recorded in settings."""
    if substance.category.needs_licence and not licence.strip():
        return PrecursorWarning(WarningKind.LICENCE_MISSING, substance.key)
    return None


def threshold_warning(substance: SubstanceInfo, yearly_micro: int) -> PrecursorWarning | None:
    """A 2A substance whose yearly quantity (university-wide purchases) nears its threshold."""
    if substance.category is not Category.CAT2A or substance.threshold is None:
        return None
    limit = to_micro(substance.threshold)
    if yearly_micro > limit:
        kind = WarningKind.THRESHOLD_EXCEEDED
    elif yearly_micro >= to_micro(substance.threshold * THRESHOLD_WARNING_FRACTION):
        kind = WarningKind.THRESHOLD_NEAR
    else:
        return None
    return PrecursorWarning(kind, substance.key, yearly_micro, limit, substance.report_unit.value)


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


# -- registration and deadline -----------------------------------------------------------------


class RegistrationStatus(StrEnum):
    SUBSTANCES = "substances"
    NONE = "none"
    MISSING = "missing"


def parse_deadline(text: str) -> tuple[int, int]:
    """ "MM-DD" → (month, day); 29 February is refused (it does not come every year)."""
    match = DEADLINE_PATTERN.match(text.strip())
    if not match:
        raise ValueError(f"the precursor deadline must be MM-DD, not {text!r}")
    month, day = int(match.group(1)), int(match.group(2))
    try:
        date(2025, month, day)
    except ValueError as error:
        raise ValueError(f"the precursor deadline {text!r} is not a day of every year") from error
    return month, day


def deadline_for(year: int, text: str = DEFAULT_DEADLINE) -> date:
    month, day = parse_deadline(text)
    return date(year, month, day)


def days_to_deadline(today: date, text: str = DEFAULT_DEADLINE) -> int:
    """Days from `today` to this year's deadline (negative once it has passed)."""
    return (deadline_for(today.year, text) - today).days


def reminder_due(days_left: int) -> int | None:
    """Which reminder (30, 7 or 1 days before) is due with `days_left` to go, if any.

    A bot that was down on the day sends the reminder late, but only the latest one due:
    8 days before the deadline the 30-day reminder is due, 7 days before the 7-day one.
    """
    if days_left < 0:
        return None
    due = [offset for offset in REMINDER_DAYS if days_left <= offset]
    return min(due) if due else None


# -- what cards show ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HoldingView:
    id: int
    substance: SubstanceInfo
    storage_location: str
    note: str | None
    stock_micro: int
    active: bool = True


@dataclass(frozen=True)
class EntryView:
    id: int
    kind: EntryKind
    entry_date: date
    quantity_micro: int
    report_unit: ReportUnit
    entered: str | None
    counterparty: str | None = None
    declaration_ref: str | None = None
    document_ref: str | None = None
    purpose: str | None = None
    reason: str | None = None
    reverses_id: int | None = None
    reverses_kind: EntryKind | None = None
    reversed: bool = False
    created_by: str | None = None
    created_at: datetime | None = None
    source: str = "bot"


@dataclass(frozen=True)
class RegistrationView:
    unit_id: int
    unit: str
    year: int
    status: RegistrationStatus
    contact: str | None = None
    registered_by: str | None = None
    registered_at: datetime | None = None
    substances: int = 0


@dataclass(frozen=True)
class UnitHome:
    """The unit's precursor page: registration, substances with stock, warnings."""

    unit_id: int
    unit: str
    registration: RegistrationView
    deadline: date
    days_left: int
    holdings: list[HoldingView] = field(default_factory=list)
    warnings: list[PrecursorWarning] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DeadlineStatus:
    """For the digest: the year's deadline, days left, and the units still missing."""

    year: int
    deadline: date
    days_left: int
    missing_units: list[str]
    registered_units: list[str]


@dataclass(frozen=True)
class SubstanceYear:
    """One holding's year in the annual report."""

    holding: HoldingView
    figures: YearFigures


@dataclass(frozen=True)
class UnitYear:
    """A unit's year for the annual report: figures per substance it held or handled, the
    year's entries, its registration and who to contact."""

    unit_id: int
    unit: str
    rows: list[SubstanceYear]
    entries: list[tuple[HoldingView, EntryView]]
    registration: RegistrationView | None
    contact: str | None
    contact_email: str | None

    @property
    def discrepancies(self) -> int:
        return sum(1 for row in self.rows if row.figures.has_discrepancy)


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


def match_substance(substances: Iterable[SubstanceInfo], text: str) -> list[SubstanceInfo]:
    """A CAS number, or a key, name or synonym (case and accents ignored), matched exactly."""
    wanted = _fold(text)
    if not wanted:
        return []
    active = [item for item in substances if item.active]
    if CAS_PATTERN.match(text.strip()):
        return [item for item in active if item.cas == text.strip()]
    found: list[SubstanceInfo] = []
    for item in active:
        names = {_fold(item.name_da), _fold(item.name_en), _fold(item.key)}
        names.update(_fold(synonym) for synonym in item.synonyms)
        if wanted in names:
            found.append(item)
    return found


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
