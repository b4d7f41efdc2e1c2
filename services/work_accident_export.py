"""The work-accident register and statistics export (`python -m bot export work-accidents`):
read, then write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from domain.i18n import Lang, local_date
from domain.numbering import year_bounds
from domain.org import UnknownUnit
from domain.work_accident_stats import accident_statistics
from reports import work_accident as work_accident_report
from storage import org, work_accident_register
from storage.db import Database
from storage.models import utcnow


async def export_year(
    db: Database, year: int, out: Path, *, unit: str | None = None, lang: Lang = Lang.DA
) -> int:
    """Write the accidents that happened in `year` (Copenhagen time), of the unit named
    `unit` if given, and their statistics; returns how many accidents. Raises `UnknownUnit`
    when no unit has that name."""
    start, end = year_bounds(year)
    async with db.reading() as connection:
        unit_id: int | None = None
        unit_name: str | None = None
        if unit is not None:
            found = await org.unit_by_name(connection, unit)
            if found is None:
                raise UnknownUnit(unit)
            unit_id, unit_name = found.id, found.name
        accidents = await work_accident_register.happened_between(connection, start, end, unit_id)
    stats = accident_statistics(year, accidents, local_date(utcnow()))
    work_accident_report.write_workbook(out, accidents, stats, unit=unit_name, lang=lang)
    return len(accidents)


async def prepare_year(
    db: Database,
    year: int,
    *,
    unit_id: int | None = None,
    unit_name: str | None = None,
    lang: Lang = Lang.DA,
) -> Callable[[Path], int]:
    """Read the accidents that happened in `year` (of the unit `unit_id`, if given) and their
    statistics; the workbook is written by the returned function (a psychological accident
    keeps its confidentiality, as in `export_year`)."""
    start, end = year_bounds(year)
    async with db.reading() as connection:
        accidents = await work_accident_register.happened_between(connection, start, end, unit_id)
    stats = accident_statistics(year, accidents, local_date(utcnow()))

    def write(out: Path) -> int:
        work_accident_report.write_workbook(out, accidents, stats, unit=unit_name, lang=lang)
        return len(accidents)

    return write
