"""Importing existing documentation records from the template (`python -m bot documentation
import`): every row is checked first, and all are written in one transaction or none."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from domain.documentation_import import ImportedRecord, check_row
from domain.i18n import Lang
from domain.precursor_import import RowError
from reports.documentation_import import describe, read_import, write_template
from storage import documentation, org
from storage.audit import audited
from storage.db import Database


@dataclass(frozen=True)
class ImportOutcome:
    """What the import found (`errors`, each a line for the sheet's author) or wrote."""

    errors: list[str]
    records: int
    written: bool


async def write_import_template(db: Database, out: Path) -> None:
    async with db.reading() as connection:
        names = [unit.name for unit in await org.unit_choices(connection)]
    write_template(out, documentation.duties(), names)


async def import_file(
    db: Database, path: Path, *, actor: str, today: date, lang: Lang, check_only: bool
) -> ImportOutcome:
    """Check every row of `path`; unless one is wrong (or `check_only`), write them all."""
    rows, problems = read_import(path)
    if problems:
        return ImportOutcome([describe(lang, problem) for problem in problems], 0, False)
    catalogue = documentation.duties()
    async with audited(db) as connection:
        units = {unit.name.casefold(): unit.id for unit in await org.unit_choices(connection)}
        records: list[ImportedRecord] = []
        errors: list[RowError] = []
        for row in rows:
            record, wrong = check_row(row, catalogue, units, today)
            errors.extend(wrong)
            if record is not None:
                records.append(record)
        if errors or check_only:
            return ImportOutcome([describe(lang, error) for error in errors], len(records), False)
        for record in records:
            await documentation.add_record(
                connection,
                unit_id=record.unit_id,
                duty=record.duty,
                form=record.form,
                actor_id=None,
                actor=actor,
            )
    return ImportOutcome([], len(records), True)
