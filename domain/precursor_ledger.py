"""A holding's ledger: entry kinds, balances that never go negative, reversals, a year's
figures, and the warnings for licence and yearly thresholds."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from domain.precursors import Category, ReportUnit, SubstanceInfo, to_micro

THRESHOLD_WARNING_FRACTION: Final = Decimal("0.8")


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
