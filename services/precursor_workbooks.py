"""The precursor workbooks (`python -m bot export precursors`, `python -m bot precursors
import`): a unit's annual report, the university-wide roll-up, and the import of a unit's
own spreadsheet. Each reads (or writes) the database, the workbook itself is `reports`'."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from domain.i18n import Lang
from domain.org import UnknownUnit
from domain.precursor_import import ImportRow
from reports import precursors as precursor_report
from reports.precursor_import import describe, read_import, write_template
from reports.precursors import Printing
from storage import (
    org,
    precursor_catalogue,
    precursor_import,
    precursor_registrations,
    precursor_year,
    precursors,
)
from storage.audit import audited
from storage.db import Database
from storage.models import utcnow


async def export_unit(
    db: Database, unit_name: str, year: int, out: Path, *, licence: str = ""
) -> int:
    """One unit's annual report; returns the number of substances. Raises `UnknownUnit`
    when no unit has that name."""
    return (await prepare_unit(db, unit_name, year, licence=licence))(out)


async def prepare_unit(
    db: Database, unit_name: str, year: int, *, licence: str = ""
) -> Callable[[Path], int]:
    """Read one unit's year; the report is written by the returned function (plain data
    only, so it may run in a thread). Raises `UnknownUnit` when no unit has that name."""
    await precursor_catalogue.ensure_loaded(db)
    async with db.reading() as connection:
        unit = await org.unit_by_name(connection, unit_name)
        if unit is None:
            raise UnknownUnit(unit_name)
        found = await precursor_registrations.registrations(connection, year, unit_ids=[unit.id])
        (data,) = await precursor_year.unit_years(
            connection, [unit], year, {item.unit_id: item for item in found}
        )
        catalogue = await precursor_catalogue.catalogue_label(connection)
    printing = Printing(printed_at=utcnow(), catalogue=catalogue, licence=licence)
    return partial(precursor_report.write_unit, data=data, year=year, printing=printing)


async def export_all(db: Database, year: int, out: Path, *, licence: str = "") -> int:
    """The university-wide roll-up; returns the number of units with a sheet (those that
    held or handled precursors in `year`)."""
    return (await prepare_all(db, year, licence=licence))(out)


async def prepare_all(db: Database, year: int, *, licence: str = "") -> Callable[[Path], int]:
    """Read every unit's year; the roll-up is written by the returned function."""
    await precursor_catalogue.ensure_loaded(db)
    async with db.reading() as connection:
        registrations = await precursor_registrations.registrations(connection, year)
        units = await org.list_units(connection, only_active=False)
        by_unit = {registration.unit_id: registration for registration in registrations}
        data = [
            item
            for item in await precursor_year.unit_years(connection, units, year, by_unit)
            if item.rows
        ]
        catalogue = await precursor_catalogue.catalogue_label(connection)
    printing = Printing(printed_at=utcnow(), catalogue=catalogue, licence=licence)
    return partial(
        precursor_report.write_all,
        year=year,
        data=data,
        registrations=registrations,
        printing=printing,
    )


async def prepare_template(db: Database) -> Callable[[Path], int]:
    """The import template with the current substance list (`python -m bot precursors
    template`); the returned function writes it and returns the number of substances."""
    await precursor_catalogue.ensure_loaded(db)
    async with db.reading() as connection:
        substances = await precursors.substances(connection)

    def write(out: Path) -> int:
        write_template(out, substances)
        return len(substances)

    return write


async def read_sheet(data: bytes, name: str, lang: Lang) -> tuple[list[ImportRow], list[str]]:
    """The rows of a sheet sent in the chat, or what is wrong with it (read off the event
    loop: a large workbook takes a while)."""
    rows, problems = await asyncio.to_thread(read_import, data, name)
    return rows, [
        describe(
            lang,
            dataclasses.replace(problem, key="precursors.import.chat.header")
            if problem.key == "precursors.import.header"
            else problem,
        )
        for problem in problems
    ]


@dataclass
class ImportOutcome:
    errors: list[str]
    entries: int = 0
    holdings_added: int = 0
    units: list[str] = field(default_factory=list)
    written: bool = False


async def import_file(
    db: Database,
    path: Path,
    *,
    actor: str,
    today: date,
    licence: str = "",
    lang: Lang = Lang.EN,
    check_only: bool = False,
) -> ImportOutcome:
    """Validate every row, then write all of them in one transaction — or nothing."""
    rows, problems = read_import(path)
    if problems:
        return ImportOutcome([describe(lang, problem) for problem in problems])
    return await import_rows(
        db, rows, actor=actor, today=today, licence=licence, lang=lang, check_only=check_only
    )


async def import_rows(
    db: Database,
    rows: list[ImportRow],
    *,
    actor: str,
    today: date,
    licence: str = "",
    lang: Lang = Lang.EN,
    check_only: bool = False,
    unit_ids: set[int] | None = None,
    source: str | None = None,
) -> ImportOutcome:
    """Check every row, then write all of them in one transaction (audited) — or nothing.
    Checked only, the transaction is rolled back after the check, so the summary counts what
    the import would write. `unit_ids`: the only units the rows may name (None: any)."""
    await precursor_catalogue.ensure_loaded(db)

    class _CheckOnly(Exception):
        pass

    try:
        async with audited(db) as connection:
            result = await precursor_import.import_rows(
                connection,
                rows,
                actor=actor,
                today=today,
                licence=licence,
                unit_ids=unit_ids,
                source=source,
            )
            if result.errors:
                return ImportOutcome([describe(lang, error) for error in result.errors])
            if check_only:
                raise _CheckOnly
    except _CheckOnly:
        return ImportOutcome([], result.entries, result.holdings_added, result.units, written=False)
    return ImportOutcome([], result.entries, result.holdings_added, result.units, written=True)
