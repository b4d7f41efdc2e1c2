"""Years as in Copenhagen: case numbers that start again every year (`<prefix>-<year>-<nnnn>`)
and the moments a year begins and ends."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.i18n import COPENHAGEN


def local_year(moment: datetime) -> int:
    """The year in Copenhagen at `moment` (New Year's Eve 23:30 UTC is already next year)."""
    return moment.astimezone(COPENHAGEN).year


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """1 January 00:00 to the next 1 January 00:00 in Copenhagen, as UTC moments."""
    start = datetime(year, 1, 1, tzinfo=COPENHAGEN).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=COPENHAGEN).astimezone(UTC)
    return start, end


def yearly_number(prefix: str, year: int, sequence: int) -> str:
    """`AL-2026-0042`: four digits at least, more when a year needs them."""
    return f"{prefix}-{year}-{sequence:04d}"
