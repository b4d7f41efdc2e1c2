"""Drug precursors (narkotikaprækursorer): the catalogue and quantities. The ledger's rules
are in `domain.precursor_ledger`, the forms in `domain.precursor_forms`, the yearly
registration in `domain.precursor_registrations`, the spreadsheet import in
`domain.precursor_import`.

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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Final

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from domain.i18n import Lang, t

MICRO: Final = 1_000_000
"""Quantities are stored as integer millionths of the reporting unit (mg for kg, µL for L)."""
CAS_PATTERN: Final = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")


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
