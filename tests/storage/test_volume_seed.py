"""The data-volume seeder (bench/volume.py) writes rows the app reads back consistently:
the digest counts what was seeded, the exports open and add up to the ledger."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
from sqlalchemy import func, select

from bench.volume import seed
from domain.digest import iso_week, scope_for
from domain.near_miss import Status, local_year
from domain.precursor_ledger import first_negative_day, year_figures
from services.digest_sections import compose
from services.near_miss_export import export_year
from services.precursor_workbooks import export_all
from storage import precursor_ledgers, precursors
from storage.db import Database
from storage.models import Unit
from storage.near_miss_models import NearMissAction, NearMissCounter, NearMissReport
from storage.precursor_models import PrecursorEntry, PrecursorHolding
from tests.support.databases import orm_session

UNTIL = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
YEAR = 2025


async def test_a_small_decade_reads_back_in_the_digest_and_the_exports(
    db: Database, tmp_path: Path
) -> None:
    report = await seed(db, scale=0.02, until=UNTIL)
    assert report.counts["units"] == 31
    assert report.counts["near_miss_report"] == 2000
    assert report.counts["precursor_entry"] == 1000

    async with orm_session(db) as session:
        rows = (
            await session.execute(
                select(
                    NearMissReport.number,
                    NearMissReport.created_at,
                    NearMissReport.anonymous,
                    NearMissReport.reporter_id,
                    NearMissReport.status,
                )
            )
        ).all()
        counters = dict(
            (await session.execute(select(NearMissCounter.year, NearMissCounter.last_number))).all()
        )
        open_actions_of_closed = await session.scalar(
            select(func.count())
            .select_from(NearMissAction)
            .join(NearMissReport)
            .where(NearMissReport.status == Status.CLOSED.value, NearMissAction.status == "open")
        )
        holding_ids = list((await session.scalars(select(PrecursorHolding.id))).all())
        year_entries = await session.scalar(
            select(func.count()).where(
                PrecursorEntry.entry_date >= date(YEAR, 1, 1),
                PrecursorEntry.entry_date <= date(YEAR, 12, 31),
            )
        )
        book_at_year_end = await session.scalar(
            select(func.sum(PrecursorEntry.delta_micro)).where(
                PrecursorEntry.entry_date <= date(YEAR, 12, 31)
            )
        )
        unit_ids = list((await session.scalars(select(Unit.id))).all())
    async with db.reading() as connection:
        content = await compose(connection, scope_for(iso_week(UNTIL), UNTIL))
        lines = await precursors.lines_of(connection, holding_ids)
        ledgers = await precursor_ledgers.year_ledgers(connection, unit_ids, YEAR)

    # Anonymous means no reporter; numbers run per Copenhagen year without gaps.
    assert len(rows) == 2000
    assert all(row.reporter_id is None for row in rows if row.anonymous)
    assert any(row.reporter_id is not None for row in rows if not row.anonymous)
    per_year = Counter(local_year(row.created_at) for row in rows)
    assert counters == dict(per_year)
    assert {row.number for row in rows} == {
        f"NM-{year}-{n:04d}" for year, count in per_year.items() for n in range(1, count + 1)
    }
    assert open_actions_of_closed == 0
    assert all(first_negative_day(items) is None for items in lines.values())
    # The reports' year reading gives every holding the figures of its whole ledger.
    assert ledgers.lines.keys() == lines.keys()
    assert all(
        year_figures(ledgers.lines[holding], YEAR) == year_figures(items, YEAR)
        for holding, items in lines.items()
    )
    assert sum(len(items) for items in ledgers.entries.values()) == year_entries

    # The digest for the week before UNTIL counts exactly the reports seeded in it.
    scope = scope_for(iso_week(UNTIL), UNTIL)
    new = sum(1 for row in rows if scope.week_start <= row.created_at < scope.week_end)
    old_open = sum(
        1
        for row in rows
        if row.status != Status.CLOSED.value and row.created_at < UNTIL - timedelta(days=30)
    )
    near_miss = next(section for section in content.sections if section.flow == "near_miss")
    shown = {line.key: line.values["count"] for line in near_miss.lines}
    assert shown.get("digest.near_miss.new", 0) == new
    assert shown.get("digest.near_miss.old_open", 0) == old_open
    assert old_open > 0

    # The precursor roll-up lists every entry of the year and ends at the ledger's stock.
    out = tmp_path / "precursors.xlsx"
    assert await export_all(db, YEAR, out) > 0
    book = openpyxl.load_workbook(out, read_only=True)
    entry_rows = list(book["Posteringer"].iter_rows(min_row=2, values_only=True))
    summary = list(book["Oversigt"].iter_rows(values_only=True))
    book.close()
    assert len(entry_rows) == year_entries
    closing_column = summary[0].index("Bogført ultimo 31/12 (kg/L)")
    closing = sum(row[closing_column] or 0 for row in summary[1:])
    assert abs(closing - int(book_at_year_end or 0) / 1_000_000) < 1e-6

    # The near-miss register has every report of the year and no reporter when anonymous.
    out = tmp_path / "near-miss.xlsx"
    count = await export_year(db, YEAR, out)
    assert count == per_year[YEAR]
    book = openpyxl.load_workbook(out, read_only=True)
    register = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    header = register[0]
    anonymous, reporter = header.index("Anonym"), header.index("Indberetter")
    assert len(register) - 1 == per_year[YEAR]
    assert all(row[reporter] is None for row in register[1:] if row[anonymous] == "Ja")
