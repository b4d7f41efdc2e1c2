"""Danish working days on real 2026–2027 dates (Copenhagen time)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.i18n import COPENHAGEN
from domain.lone_work import reminder_due
from domain.working_days import is_working_day, working_days_before, working_days_between


def _at(day: str, clock: str = "10:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=COPENHAGEN)


@pytest.mark.parametrize(
    "day",
    [
        "2026-04-02",  # Maundy Thursday
        "2026-04-03",  # Good Friday
        "2026-04-06",  # Easter Monday
        "2026-05-14",  # Ascension Day
        "2026-05-25",  # Whit Monday
        "2026-06-05",  # Constitution Day (Grundlovsdag)
        "2026-12-24",  # Christmas Eve
        "2026-12-25",
        "2026-12-31",  # New Year's Eve
        "2027-01-01",
        "2027-03-25",  # Maundy Thursday 2027
        "2027-03-26",
        "2027-03-29",  # Easter Monday 2027
        "2027-05-06",  # Ascension Day 2027
        "2027-05-17",
        "2027-12-24",
        "2027-12-31",
    ],
)
def test_holidays_and_closed_days_are_no_working_days(day: str) -> None:
    assert not is_working_day(date.fromisoformat(day))


@pytest.mark.parametrize(
    "day",
    [
        "2026-05-01",  # 1 May: not a day off at state workplaces
        "2026-12-28",
        "2026-12-30",
        "2027-01-04",
        "2027-03-24",
        "2027-03-30",
        "2027-06-04",  # Grundlovsdag 2027 falls on a Saturday; the Friday before is normal
    ],
)
def test_ordinary_weekdays_are_working_days(day: str) -> None:
    assert is_working_day(date.fromisoformat(day))


def test_counting_across_easter_2027() -> None:
    asked = _at("2027-03-24")
    assert working_days_between(asked, _at("2027-03-29", "23:59")) == 0
    assert working_days_between(asked, _at("2027-03-30")) == 1
    assert working_days_between(asked, _at("2027-03-31")) == 2
    assert working_days_before(_at("2027-03-31"), 2) == asked


def test_counting_across_christmas_and_new_year() -> None:
    asked = _at("2026-12-23")
    assert working_days_between(asked, _at("2026-12-29")) == 2
    assert working_days_between(asked, _at("2027-01-04")) == 4
    assert working_days_before(_at("2027-01-04", "08:00"), 3) == _at("2026-12-28", "08:00")


def test_counting_across_constitution_day() -> None:
    assert working_days_between(_at("2026-06-04"), _at("2026-06-09")) == 2


@pytest.mark.parametrize(("waited", "due"), [(0, None), (1, None), (2, 1), (3, 2), (7, 2)])
def test_only_the_latest_reminder_is_due(waited: int, due: int | None) -> None:
    assert reminder_due(waited) == due
