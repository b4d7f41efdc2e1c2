"""Importing H&S e-learning completions from a spreadsheet export: the rows of the template
as read, and each row checked into a training record (or what is wrong with it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from pydantic import ValidationError

from domain.precursor_import import RowError
from domain.training import TrainingForm, TrainingKind, form_problems

DEFAULT_PROVIDER: Final = "E-læring"
_YES: Final = ("ja", "yes", "x", "true", "1")
_NO: Final = ("nej", "no", "false", "0", "")


@dataclass(frozen=True)
class ImportRow:
    """One data row of the import sheet, cells as read."""

    row: int
    unit: str
    email: str
    course: str
    completed_on: Any
    provider: str | None
    proof: str | None
    lone_work: str | None


@dataclass(frozen=True)
class ImportedTraining:
    """A checked row: which unit, and the form it would have been recorded with."""

    row: int
    unit_id: int
    form: TrainingForm


def check_row(
    row: ImportRow, units: Mapping[str, int], today: date
) -> tuple[ImportedTraining | None, list[RowError]]:
    """The row as an e-learning record, or every problem with it (unit, e-mail, course, date,
    provider, link, lone work)."""
    problems: list[RowError] = []
    unit_id = units.get(row.unit.casefold())
    if unit_id is None:
        problems.append(RowError(row.row, "training.import.unit", {"value": row.unit}))
    flag = (row.lone_work or "").strip().casefold()
    if flag not in _YES and flag not in _NO:
        problems.append(RowError(row.row, "training.import.lone_work"))
    completed = row.completed_on
    completed = completed.date() if isinstance(completed, datetime) else completed
    try:
        form = TrainingForm.model_validate(
            {
                "person": row.email,
                "activity": row.course,
                "kind": TrainingKind.E_LEARNING,
                "given_on": completed,
                "given_by": row.provider or DEFAULT_PROVIDER,
                "proof": row.proof,
                "lone_work": flag in _YES,
            }
        )
    except ValidationError as error:
        fields = dict.fromkeys(str(issue["loc"][0]) for issue in error.errors() if issue["loc"])
        problems.extend(RowError(row.row, f"training.import.{field}") for field in fields)
        return None, problems
    problems.extend(RowError(row.row, f"training.import.{f}") for f in form_problems(form, today))
    if problems or unit_id is None:
        return None, problems
    return ImportedTraining(row=row.row, unit_id=unit_id, form=form), []
