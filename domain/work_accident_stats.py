"""The work-accident figures for KAMU: per unit and for the university, by quarter, kind,
absence and who was hurt, and how EASY reports were kept to their deadline.

An accident counts in the year and quarter of the day it happened (Copenhagen time). A
psychological accident (psychological or both) of a unit with fewer than `SMALL_NUMBERS`
accidents in the year is left out of every figure, the university's too (no small-number
disclosure, as in the digest). An EASY report is on time when its filing day is on or before
its deadline; the share on time is of the reports filed or already overdue (reports still
within their deadline and those judged not to be owed are not counted); days to filing are
counted from the day the 14 days run from (the first day of absence, else the accident day).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.i18n import local_date
from domain.near_miss import quarter_of
from domain.work_accident import (
    AccidentView,
    EasyDuty,
    EasyStatus,
    InjuredParty,
    InjuryKind,
    too_few_to_show,
)

QUARTERS = (1, 2, 3, 4)


def counted_from(accident: AccidentView) -> date:
    """The day the 14 days to EASY run from: the first day of absence when the report goes
    to Arbejdstilsynet too, else the accident day."""
    if accident.duty is EasyDuty.AUTHORITY_AND_INSURER and accident.absence_from is not None:
        return accident.absence_from
    return local_date(accident.occurred_at)


def days_to_filing(accident: AccidentView) -> int | None:
    """Days from `counted_from` to the filing day (None: not filed in EASY)."""
    if accident.easy_status is not EasyStatus.FILED or accident.easy_filed_on is None:
        return None
    return (accident.easy_filed_on - counted_from(accident)).days


def filed_on_time(accident: AccidentView) -> bool | None:
    """True or False for a report filed or overdue; None when it does not count."""
    if accident.easy_status is EasyStatus.FILED and accident.easy_filed_on is not None:
        return accident.easy_due is None or accident.easy_filed_on <= accident.easy_due
    return None


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures of one unit (or of the university: `unit` None)."""

    unit: str | None
    accidents: int
    by_quarter: tuple[int, int, int, int]
    physical: int
    psychological: int
    both: int
    with_absence: int
    without_absence: int
    employees: int
    students: int
    guests: int
    easy_owed: int
    easy_filed: int
    easy_on_time: int
    easy_overdue: int
    median_days_to_filing: float | None
    psychological_left_out: bool = False

    @property
    def share_on_time(self) -> float | None:
        """Filed on time, of those filed or overdue (None when there are none)."""
        counted = self.easy_filed + self.easy_overdue
        return None if counted == 0 else self.easy_on_time / counted


def figures(
    unit: str | None, accidents: Sequence[AccidentView], today: date, *, left_out: bool = False
) -> Figures:
    """The figures of `accidents` (already without what is left out)."""
    quarters = [0, 0, 0, 0]
    for accident in accidents:
        quarters[quarter_of(accident.occurred_at)[1] - 1] += 1
    kinds = [accident.injury_kind for accident in accidents]
    parties = [accident.injured for accident in accidents]
    owed = [accident for accident in accidents if accident.duty.reported]
    days = [d for accident in owed if (d := days_to_filing(accident)) is not None]
    overdue = [
        accident
        for accident in owed
        if accident.easy_status is EasyStatus.PENDING
        and accident.easy_due is not None
        and accident.easy_due < today
    ]
    return Figures(
        unit=unit,
        accidents=len(accidents),
        by_quarter=(quarters[0], quarters[1], quarters[2], quarters[3]),
        physical=kinds.count(InjuryKind.PHYSICAL),
        psychological=kinds.count(InjuryKind.PSYCHOLOGICAL),
        both=kinds.count(InjuryKind.BOTH),
        with_absence=sum(1 for accident in accidents if accident.absence_from is not None),
        without_absence=sum(1 for accident in accidents if accident.absence_from is None),
        employees=parties.count(InjuredParty.EMPLOYEE),
        students=parties.count(InjuredParty.STUDENT),
        guests=parties.count(InjuredParty.GUEST),
        easy_owed=len(owed),
        easy_filed=sum(1 for accident in owed if accident.easy_status is EasyStatus.FILED),
        easy_on_time=sum(1 for accident in owed if filed_on_time(accident)),
        easy_overdue=len(overdue),
        median_days_to_filing=float(statistics.median(days)) if days else None,
        psychological_left_out=left_out,
    )


@dataclass(frozen=True, slots=True)
class AccidentStatistics:
    """A year's figures: one row per unit with accidents (by name), and the university's."""

    year: int
    units: tuple[Figures, ...]
    total: Figures


def accident_statistics(
    year: int, accidents: Sequence[AccidentView], today: date
) -> AccidentStatistics:
    """The year's figures from the accidents that happened in it (Copenhagen time)."""
    in_year = [a for a in accidents if local_date(a.occurred_at).year == year]
    totals: dict[int, int] = {}
    for accident in in_year:
        totals[accident.unit_id] = totals.get(accident.unit_id, 0) + 1
    hidden = too_few_to_show(totals)
    shown = [a for a in in_year if not (a.confidential and a.unit_id in hidden)]
    names = {a.unit_id: a.unit_name for a in in_year}
    units = tuple(
        figures(
            names[unit_id],
            [a for a in shown if a.unit_id == unit_id],
            today,
            left_out=unit_id in hidden,
        )
        for unit_id in sorted(names, key=lambda unit_id: (names[unit_id].casefold(), unit_id))
    )
    return AccidentStatistics(
        year=year,
        units=tuple(unit for unit in units if unit.accidents),
        total=figures(None, shown, today, left_out=bool(hidden)),
    )
