"""The yearly registration with the secretariat: its status, the deadline and reminder
windows, and what the unit's page and the annual reports show of a unit's year."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Final

from domain.precursor_ledger import EntryView, HoldingView, PrecursorWarning, YearFigures

REMINDER_DAYS: Final = (30, 7, 1)
DEFAULT_DEADLINE: Final = "06-15"
DEADLINE_PATTERN: Final = re.compile(r"^(\d{2})-(\d{2})$")


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
