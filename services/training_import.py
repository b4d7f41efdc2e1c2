"""Importing H&S e-learning completions from the template (`python -m bot training import`):
every row is checked first, and all are written in one transaction or none."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from domain.i18n import Lang
from domain.precursor_import import RowError
from domain.training_import import ImportedTraining, check_row
from reports.training_import import describe, read_import, write_template
from storage import org, training
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
    write_template(out, names)


async def import_file(
    db: Database, path: Path, *, actor: str, today: date, lang: Lang, check_only: bool
) -> ImportOutcome:
    """Check every row of `path`; unless one is wrong (or `check_only`), write them all, each
    person found (or added) by their e-mail."""
    rows, problems = read_import(path)
    if problems:
        return ImportOutcome([describe(lang, problem) for problem in problems], 0, False)
    async with audited(db) as connection:
        units = {unit.name.casefold(): unit.id for unit in await org.unit_choices(connection)}
        records: list[ImportedTraining] = []
        errors: list[RowError] = []
        for row in rows:
            record, wrong = check_row(row, units, today)
            errors.extend(wrong)
            if record is not None:
                records.append(record)
        if errors or check_only:
            return ImportOutcome([describe(lang, error) for error in errors], len(records), False)
        for record in records:
            person = await org.upsert_person(
                connection, aad_object_id=None, upn=record.form.person, name=None
            )
            await training.add_record(
                connection,
                unit_id=record.unit_id,
                person_id=person.id,
                form=record.form,
                actor_id=None,
                actor=actor,
            )
    return ImportOutcome([], len(records), True)
