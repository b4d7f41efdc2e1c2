"""Instruction and training (Arbejdsmiljøloven § 18, item 5 of the documentation overview):
per person and activity, what was given, when, by whom, and the proof.

Who reads a record: the person it is about, and the leaders and AMKs of the unit it was
recorded in; nobody else (not the secretariat, not an administrator as such). Who records:
the unit's leaders and AMKs.

A lone-work request's "instructed and trained" is checked against these records
(`matches_lone_work`): a record matches when it is the requester's, in the request's unit, and
either it is marked as covering lone work, or its activity names lone work ("alenearbejde",
"lone work", "working alone"), or its activity appears in the request's task text (or the
task in the activity), letters compared without case and with runs of spaces as one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field, field_validator

from domain.links import ProofLink

ACTIVITY_MAX: Final = 200
GIVEN_BY_MAX: Final = 150
EMAIL_MAX: Final = 320

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LONE_WORK_WORDS: Final = ("alenearbejde", "lone work", "lone-work", "working alone")


class TrainingKind(StrEnum):
    """What was given."""

    INSTRUCTION = "instruction"  # instruktion i arbejdet (§ 18)
    TRAINING = "training"  # oplæring
    COURSE = "course"  # kursus med bevis
    E_LEARNING = "e_learning"  # H&S e-learning


def _flag(value: Any) -> bool:
    """Input.Toggle sends "true"/"false"; a sheet may say "ja"/"yes"/"x"."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().casefold() in ("true", "1", "yes", "ja", "x", "on")


class TrainingForm(BaseModel):
    """What the record card (or an import row) gives: whom, what, when, by whom, the proof."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")

    person: str = Field(min_length=3, max_length=EMAIL_MAX)
    activity: str = Field(min_length=3, max_length=ACTIVITY_MAX)
    kind: TrainingKind
    given_on: date
    given_by: str = Field(min_length=2, max_length=GIVEN_BY_MAX)
    proof: ProofLink = None
    lone_work: bool = False

    @field_validator("lone_work", mode="before")
    @classmethod
    def _toggle(cls, value: Any) -> bool:
        return _flag(value)

    @field_validator("person")
    @classmethod
    def _email(cls, value: str) -> str:
        if not _EMAIL.match(value):
            raise ValueError("not an e-mail address")
        return value.lower()


def form_problems(form: TrainingForm, today: date) -> dict[str, str]:
    """Field id → catalogue key of what is wrong beyond the types."""
    if form.given_on > today:
        return {"given_on": "training.error.future"}
    return {}


@dataclass(frozen=True)
class TrainingView:
    """One record as the cards show it."""

    id: int
    unit_id: int
    unit: str
    person_id: int
    person: str
    activity: str
    kind: TrainingKind
    given_on: date
    given_by: str
    proof: str | None
    lone_work: bool
    proof_file_id: int | None = None
    """The proof sent as a file (`domain.proofs`), if there is one."""


def _words(text: str) -> str:
    return " ".join(text.casefold().split())


def matches_lone_work(record: TrainingView, task: str) -> bool:
    """Whether a record of the requester in the request's unit covers the lone-work task
    (the rule in this module's docstring)."""
    if record.lone_work:
        return True
    activity, wanted = _words(record.activity), _words(task)
    if any(word in activity for word in LONE_WORK_WORDS):
        return True
    return bool(activity) and bool(wanted) and (activity in wanted or wanted in activity)


@dataclass(frozen=True)
class TrainingCheck:
    """What the approver is told about the requester's training: the newest matching
    record, or none (`match` None)."""

    match: TrainingView | None


def check_lone_work(records: list[TrainingView], task: str) -> TrainingCheck:
    """The newest record that matches the task (`records` newest first)."""
    return TrainingCheck(next((r for r in records if matches_lone_work(r, task)), None))


@dataclass(frozen=True)
class UnitTrainingCounts:
    """A unit's instruction and training as counts (the secretariat's export and the digest:
    no record, no person)."""

    records: int = 0
    """Every record, also those past retention."""
    people: int = 0
    """People with a record kept."""
    lone_work: int = 0
    """Records marked as covering lone work."""
    last_year: int = 0
    """Records given in the last 12 months."""
    newest: date | None = None
    approvals: int = 0
    """Lone-work approvals in force or to come."""
    approvals_untrained: int = 0
    """Of those, approvals whose requester has no matching record in the unit."""
