"""Danish working days, Copenhagen time: Monday to Friday except the public holidays (from the
maintained `holidays` package) and the days the state's workplaces are closed by agreement:
Constitution Day (5 June), Christmas Eve and New Year's Eve."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Final

import holidays

from domain.i18n import COPENHAGEN

# Of the package's "optional" Danish days, those the university is closed on.
CLOSED_BY_AGREEMENT: Final = frozenset({(6, 5), (12, 24), (12, 31)})


@lru_cache(maxsize=64)
def days_off(year: int) -> frozenset[date]:
    """The weekdays of `year` that are not working days."""
    public = holidays.country_holidays("DK", years=year)
    optional = holidays.country_holidays("DK", years=year, categories=("optional",))
    agreed = {day for day in optional if (day.month, day.day) in CLOSED_BY_AGREEMENT}
    return frozenset(set(public) | agreed)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in days_off(day.year)


def working_days_between(start: datetime, end: datetime) -> int:
    """Whole working days from `start` until `end` (the day of `start` not counted)."""
    if end <= start:
        return 0
    current = start.astimezone(COPENHAGEN).date() + timedelta(days=1)
    last = end.astimezone(COPENHAGEN).date()
    days = 0
    while current <= last:
        days += is_working_day(current)
        current += timedelta(days=1)
    return days


def working_days_before(moment: datetime, days: int) -> datetime:
    """The moment `days` working days before `moment` (same time of day, Copenhagen)."""
    local = moment.astimezone(COPENHAGEN)
    day = local.date()
    remaining = days
    while remaining:
        day -= timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return datetime.combine(day, local.timetz().replace(tzinfo=None), COPENHAGEN).astimezone(UTC)
