"""A unit's written duties under the Work Environment Act: which duty is met, which is due,
and the proof. The duties are data (`storage/seed/duties.yaml`); the rules here are pure."""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from domain.links import ProofLink

DUE_SOON_DAYS = 60
SUBJECT_MAX = 150


class Source(StrEnum):
    """Where the date a duty was last met comes from."""

    RECORDED = "recorded"  # recorded in the overview itself
    WELLBEING = "wellbeing"  # the unit's well-being dialogues (the psychological APV)
    ANNUAL_DISCUSSION = "annual_discussion"  # the annual discussion recorded in "trivsel"


class Status(StrEnum):
    """A duty's standing on a given day, worst first."""

    OVERDUE = "overdue"
    NOT_RECORDED = "not_recorded"
    REVIEW = "review"  # met, but what it rests on has changed (the AMO's roles)
    DUE_SOON = "due_soon"
    MET = "met"


class Duty(BaseModel):
    """One written duty: its names, how often it must be met, and the rule behind it."""

    model_config = ConfigDict(frozen=True)

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_da: str
    name_en: str
    source: Source
    interval_months: int | None = Field(default=None, ge=1, le=120)
    per_subject: bool = False
    legal_source: str

    def name(self, danish: bool) -> str:
        return self.name_da if danish else self.name_en

    @property
    def recordable(self) -> bool:
        return self.source is Source.RECORDED


class DutyCatalogue(BaseModel):
    """A version of the list of duties; keys are stable and never reused."""

    model_config = ConfigDict(frozen=True)

    version: str
    duties: tuple[Duty, ...]

    @field_validator("duties")
    @classmethod
    def _keys_unique(cls, duties: tuple[Duty, ...]) -> tuple[Duty, ...]:
        keys = [duty.key for duty in duties]
        if len(keys) != len(set(keys)):
            raise ValueError("a duty key is listed twice")
        return duties

    def get(self, key: str) -> Duty | None:
        return next((duty for duty in self.duties if duty.key == key), None)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (31 January + 1 month: the last day of February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Standing(BaseModel):
    """One duty (or one subject of it) for one unit on one day."""

    model_config = ConfigDict(frozen=True)

    duty: Duty
    subject: str | None = None
    last_met: date | None = None
    proof: str | None = None
    due_on: date | None = None
    status: Status


def standing(
    duty: Duty,
    last_met: date | None,
    today: date,
    *,
    subject: str | None = None,
    proof: str | None = None,
    review: bool = False,
) -> Standing:
    """Met, due within 60 days, overdue, or never recorded. A duty without an interval (met
    once and on changes) is met once it is recorded; `review`: recorded, but the change it
    must be updated after has happened, so it is due for review."""
    if last_met is None:
        return Standing(duty=duty, subject=subject, status=Status.NOT_RECORDED)
    due_on = add_months(last_met, duty.interval_months) if duty.interval_months else None
    if review:
        status = Status.REVIEW
    elif due_on is None:
        status = Status.MET
    elif due_on < today:
        status = Status.OVERDUE
    elif (due_on - today).days <= DUE_SOON_DAYS:
        status = Status.DUE_SOON
    else:
        status = Status.MET
    return Standing(
        duty=duty, subject=subject, last_met=last_met, proof=proof, due_on=due_on, status=status
    )


def worst_first(standings: list[Standing]) -> list[Standing]:
    """Most urgent first, then the catalogue's order (the sort is stable)."""
    order = list(Status)
    return sorted(standings, key=lambda item: order.index(item.status))


REMINDER_DAYS = (60, 14)


def reminder_stage(item: Standing, today: date) -> str | None:
    """Which reminder a duty with a due day is owed today: "60" and "14" days before (the
    nearer one if both have passed unsent), "overdue" after; None for the rest."""
    if item.due_on is None:
        return None
    days_left = (item.due_on - today).days
    if days_left < 0:
        return "overdue"
    for days in sorted(REMINDER_DAYS):
        if days_left <= days:
            return str(days)
    return None


class RecordForm(BaseModel):
    """What the record card submits: the day the duty was met, the proof, the subject."""

    model_config = ConfigDict(str_strip_whitespace=True)

    met_on: date
    proof: ProofLink = None
    subject: str | None = Field(default=None, max_length=SUBJECT_MAX)

    @field_validator("subject", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value


def form_problems(form: RecordForm, duty: Duty, today: date) -> dict[str, str]:
    """Field id → catalogue key of what is wrong beyond the types."""
    problems: dict[str, str] = {}
    if form.met_on > today:
        problems["met_on"] = "documentation.error.future"
    if duty.per_subject and not form.subject:
        problems["subject"] = "documentation.error.subject"
    return problems
