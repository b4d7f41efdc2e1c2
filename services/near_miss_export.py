"""The year's near-miss register export (`python -m bot export near-miss`): read, then write."""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from domain.i18n import Lang
from domain.numbering import year_bounds
from reports import near_miss as near_miss_report
from storage import near_miss_lists
from storage.db import Database
from storage.models import utcnow


async def export_year(db: Database, year: int, out: Path, lang: Lang = Lang.DA) -> int:
    """Write the reports made in `year` (Copenhagen time) and their statistics; returns how
    many reports."""
    return (await prepare_year(db, year, lang=lang))(out)


async def prepare_year(
    db: Database, year: int, *, lang: Lang = Lang.DA, unit_ids: Collection[int] | None = None
) -> Callable[[Path], int]:
    """Read the year's reports (of `unit_ids` only, if given) and their statistics; the
    workbook is written by the returned function (plain data only, so it may run in a
    thread)."""
    start, end = year_bounds(year)
    async with db.reading() as connection:
        reports = await near_miss_lists.reports_between(connection, start, end, unit_ids=unit_ids)
        stats = await near_miss_lists.statistics(
            connection, start, end, now=utcnow(), unit_ids=unit_ids
        )

    def write(out: Path) -> int:
        near_miss_report.write_workbook(out, year, reports, stats, lang)
        return len(reports)

    return write
