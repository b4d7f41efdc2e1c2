"""Case numbers that start again every year: `<prefix>-<year>-<nnnn>`, the year as in Copenhagen."""

from __future__ import annotations

from datetime import datetime

from domain.i18n import COPENHAGEN


def local_year(moment: datetime) -> int:
    """The year in Copenhagen at `moment` (New Year's Eve 23:30 UTC is already next year)."""
    return moment.astimezone(COPENHAGEN).year


def yearly_number(prefix: str, year: int, sequence: int) -> str:
    """`AL-2026-0042`: four digits at least, more when a year needs them."""
    return f"{prefix}-{year}-{sequence:04d}"
