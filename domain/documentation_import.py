"""Importing a university's existing documentation records: the rows of the template as
read, and each row checked into a record (or what is wrong with it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from domain.documentation import Duty, DutyCatalogue, RecordForm, form_problems
from domain.precursor_import import RowError


@dataclass(frozen=True)
class ImportRow:
    """One data row of the import sheet, cells as read."""

    row: int
    unit: str
    duty: str
    subject: str | None
    met_on: Any
    proof: str | None


@dataclass(frozen=True)
class ImportedRecord:
    """A checked row: which unit met which duty, and the form it would have been recorded with."""

    row: int
    unit_id: int
    duty: Duty
    form: RecordForm


def find_duty(catalogue: DutyCatalogue, text: str) -> Duty | None:
    """A recorded duty by its key or its Danish or English name (case does not matter)."""
    wanted = " ".join(text.casefold().split())
    for duty in catalogue.duties:
        if duty.recordable and wanted in (
            duty.key,
            duty.name_da.casefold(),
            duty.name_en.casefold(),
        ):
            return duty
    return None


def check_row(
    row: ImportRow, catalogue: DutyCatalogue, units: Mapping[str, int], today: date
) -> tuple[ImportedRecord | None, list[RowError]]:
    """The row as a record, or every problem with it (unit, duty, date, link, subject)."""
    problems: list[RowError] = []
    unit_id = units.get(row.unit.casefold())
    if unit_id is None:
        problems.append(RowError(row.row, "documentation.import.unit", {"value": row.unit}))
    duty = find_duty(catalogue, row.duty)
    if duty is None:
        problems.append(RowError(row.row, "documentation.import.duty", {"value": row.duty}))
    met_on = row.met_on.date() if isinstance(row.met_on, datetime) else row.met_on
    try:
        form = RecordForm.model_validate(
            {"met_on": met_on, "proof": row.proof, "subject": row.subject}
        )
    except ValidationError as error:
        for issue in error.errors():
            field = str(issue["loc"][0]) if issue["loc"] else "met_on"
            problems.append(RowError(row.row, f"documentation.import.{field}"))
        return None, problems
    if duty is not None:
        for field in form_problems(form, duty, today):
            problems.append(RowError(row.row, f"documentation.import.{field}"))
    if problems or unit_id is None or duty is None:
        return None, problems
    return ImportedRecord(row=row.row, unit_id=unit_id, duty=duty, form=form), []
