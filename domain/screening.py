"""Sister screenings (item 7 of the documentation overview): one unit asks another to screen
its work environment with it; the other unit's AMK (or, with none, its leader) accepts and
proposes a day, or declines. Both units' overviews show the request.

Who may do what: the asking unit's leaders and AMKs ask (the secretariat and administrators
may ask for any unit); the asked unit's leaders and AMKs answer (and the secretariat and
administrators). A request nobody answers is reminded once after `REMIND_AFTER_DAYS`, and the
asking unit is told after `TELL_AFTER_DAYS` (Copenhagen days).

Any screening, internal, sister or by the central secretariat, is recorded by the unit's
leader or AMK as planned (a day ahead) or held (a day passed); a held one meets the
"screening" duty, and its findings become items of the unit's action plan
(**handlingsplan**)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, field_validator

from domain.links import ProofLink

SCREENING_DUTY: Final = "screening"
REMIND_AFTER_DAYS: Final = 7
TELL_AFTER_DAYS: Final = 14
FINDING_ROWS: Final = 3
FINDING_DEADLINE_DAYS: Final = 90  # a finding's deadline when none is given


class ScreeningStatus(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"


@dataclass(frozen=True)
class ScreeningView:
    """One sister-screening request as the cards show it."""

    id: int
    unit_id: int
    unit: str
    partner_id: int
    partner: str
    status: ScreeningStatus
    requested_on: date
    planned_on: date | None


class AnswerForm(BaseModel):
    """The asked unit's answer: the day it proposes."""

    model_config = ConfigDict(extra="ignore")

    planned_on: date


def answer_problems(form: AnswerForm, today: date) -> dict[str, str]:
    """Field id → catalogue key of what is wrong beyond the types."""
    if form.planned_on < today:
        return {"planned_on": "screening.error.past"}
    return {}


def open_request_stage(requested_on: date, today: date) -> str | None:
    """What an unanswered request is owed today: "told" (the asking unit hears nobody
    answered) from `TELL_AFTER_DAYS`, "reminder" (the asked unit is reminded) from
    `REMIND_AFTER_DAYS`, otherwise nothing. Each is sent once; "told" implies the reminder."""
    days = (today - requested_on).days
    if days >= TELL_AFTER_DAYS:
        return "told"
    if days >= REMIND_AFTER_DAYS:
        return "reminder"
    return None


# -- held and planned screenings ----------------------------------------------------------


class ScreeningKind(StrEnum):
    INTERNAL = "internal"
    SISTER = "sister"  # with another unit, on an accepted request
    SECRETARIAT = "secretariat"  # by the central work-environment secretariat


class ScreeningState(StrEnum):
    PLANNED = "planned"
    HELD = "held"


@dataclass(frozen=True)
class HeldView:
    """One recorded screening as the overview shows it (`partner`: the other unit of a
    sister screening)."""

    id: int
    unit_id: int
    unit: str
    kind: ScreeningKind
    state: ScreeningState
    day: date
    partner_id: int | None = None
    partner: str | None = None
    proof: str | None = None
    findings: int = 0


class RecordForm(BaseModel):
    """What the screening card submits (the findings are item rows, parsed on their own)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    kind: ScreeningKind
    state: ScreeningState
    day: date
    request_id: int | None = None
    proof: ProofLink = None

    @field_validator("request_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value


def record_problems(form: RecordForm, today: date, requests: set[int]) -> dict[str, str]:
    """Field id → catalogue key of what is wrong beyond the types: a held screening lies
    today or before, a planned one today or after; a sister screening names one of the
    unit's accepted requests (`requests`)."""
    problems: dict[str, str] = {}
    if form.state is ScreeningState.HELD and form.day > today:
        problems["day"] = "screening.error.future"
    if form.state is ScreeningState.PLANNED and form.day < today:
        problems["day"] = "screening.error.past"
    if form.kind is ScreeningKind.SISTER and form.request_id not in requests:
        problems["request_id"] = "screening.error.request"
    return problems


def finding_defaults(
    value: Mapping[str, Any], row: int, *, action: str, owner: str, deadline: date
) -> dict[str, Any]:
    """A finding row with what was left out filled in, so it parses as an action-plan item:
    the action `action`, the owner `owner` (the recorder), the deadline `deadline`. A blank
    row stays blank (and is skipped); a row without its problem still lacks it."""
    filled = dict(value)
    names = ("problem", "action", "owner", "deadline", "follow_up")
    if not any(str(value.get(f"{name}_{row}") or "").strip() for name in names):
        return filled
    for name, default in (("action", action), ("owner", owner), ("deadline", deadline)):
        key = f"{name}_{row}"
        if not str(value.get(key) or "").strip():
            filled[key] = default.isoformat() if isinstance(default, date) else default
    return filled


def finding_deadline(today: date) -> date:
    return today + timedelta(days=FINDING_DEADLINE_DAYS)
