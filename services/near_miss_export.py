"""The year's near-miss register export (`python -m bot export near-miss`): read, then write."""

from __future__ import annotations

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
    start, end = year_bounds(year)
    async with db.sessions() as session:
        reports = await near_miss_lists.reports_between(session, start, end)
        stats = await near_miss_lists.statistics(session, start, end, now=utcnow())
    near_miss_report.write_workbook(out, year, reports, stats, lang)
    return len(reports)
