"""Sister screenings (item 7 of the documentation overview): one unit asks another to screen
its work environment with it; the other unit's AMK (or, with none, its leader) accepts and
proposes a day, or declines. Both units' overviews show the request.

Who may do what: the asking unit's leaders and AMKs ask (the secretariat and administrators
may ask for any unit); the asked unit's leaders and AMKs answer (and the secretariat and
administrators). A screening that was held is recorded as the "screening" duty, and its
findings go into the unit's action plan (**handlingsplan**)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


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
