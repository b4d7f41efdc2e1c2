"""The near-miss report form and the follow-up inputs (investigator, action, conclusion):
what a card submits, validated into models, with the keys of the messages to show."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any, Final

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from domain.i18n import COPENHAGEN
from domain.ids import RowId
from domain.near_miss import (
    CLOCK_SKEW,
    MAX_ACTION_AHEAD,
    MAX_AGE,
    URL_PATTERN,
    Category,
    Severity,
)
from domain.people import PersonInput

# -- the report form ---------------------------------------------------------------------------


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _flag(value: Any) -> Any:
    """Card inputs arrive as strings: Toggle `true`/`false`, the injury choice `yes`/`no`."""
    if isinstance(value, str):
        folded = value.strip().lower()
        if folded in ("true", "yes", "ja", "1", "on"):
            return True
        if folded in ("false", "no", "nej", "0", "off"):
            return False
    return value


class NearMissForm(BaseModel):
    """The reporting card's inputs. Validate with `context={"now": <aware datetime>}`."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)

    unit_id: RowId
    occurred_date: date
    occurred_time: time
    campus: str = Field(min_length=2, max_length=100)
    building: str | None = Field(default=None, max_length=50)
    room: str | None = Field(default=None, max_length=50)
    description: str = Field(min_length=10, max_length=4000)
    category: Category
    severity: Severity
    injured: bool
    immediate_action: str | None = Field(default=None, max_length=2000)
    prevention: str | None = Field(default=None, max_length=2000)
    photo_url: str | None = Field(default=None, max_length=500)
    anonymous: bool = False

    @field_validator(
        "building",
        "room",
        "immediate_action",
        "prevention",
        "photo_url",
        "unit_id",
        "category",
        "severity",
        "occurred_date",
        "occurred_time",
        mode="before",
    )
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return _blank_to_none(value)

    @field_validator("injured", "anonymous", mode="before")
    @classmethod
    def _flags(cls, value: Any) -> Any:
        return _flag(_blank_to_none(value))

    @field_validator("photo_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not URL_PATTERN.match(value):
            raise PydanticCustomError("url", "not a web address")
        return value

    @model_validator(mode="after")
    def _when(self, info: ValidationInfo) -> NearMissForm:
        context = info.context if isinstance(info.context, dict) else {}
        now = context.get("now")
        if isinstance(now, datetime):
            if self.occurred_at > now + CLOCK_SKEW:
                raise PydanticCustomError("future", "the event lies in the future")
            if self.occurred_at < now - MAX_AGE:
                raise PydanticCustomError("too_old", "the event is more than a year ago")
        return self

    @property
    def occurred_at(self) -> datetime:
        """Date and time were given in Copenhagen time; stored as UTC."""
        local = datetime.combine(self.occurred_date, self.occurred_time, tzinfo=COPENHAGEN)
        return local.astimezone(UTC)


FORM_FIELDS: Final = (
    "unit_id",
    "occurred_date",
    "occurred_time",
    "campus",
    "building",
    "room",
    "description",
    "category",
    "severity",
    "injured",
    "immediate_action",
    "prevention",
    "photo_url",
    "anonymous",
)


def validate_form(
    value: dict[str, Any], now: datetime
) -> tuple[NearMissForm | None, dict[str, str]]:
    """The form, or the problems as `{field: catalogue key}` for the card to show."""
    try:
        return NearMissForm.model_validate(value, context={"now": now}), {}
    except ValidationError as error:
        problems = _when_problem(value, now)
        for issue in error.errors():
            kind = str(issue["type"])
            if kind in ("future", "too_old"):
                problems.setdefault("occurred_date", f"near_miss.error.{kind}")
                continue
            where = str(issue["loc"][0]) if issue["loc"] else "form"
            if where in FORM_FIELDS:
                problems.setdefault(where, f"near_miss.error.{where}")
        return None, problems or {"form": "card.invalid_input"}


class _When(BaseModel):
    occurred_date: date
    occurred_time: time


def _when_problem(value: dict[str, Any], now: datetime) -> dict[str, str]:
    """The time check on its own, so it is reported together with other mistakes."""
    try:
        when = _When.model_validate(value)
    except ValidationError:
        return {}
    moment = datetime.combine(when.occurred_date, when.occurred_time, tzinfo=COPENHAGEN)
    if moment > now + CLOCK_SKEW:
        return {"occurred_date": "near_miss.error.future"}
    if moment < now - MAX_AGE:
        return {"occurred_date": "near_miss.error.too_old"}
    return {}


def kept_values(value: dict[str, Any]) -> dict[str, str]:
    """What the user typed, as strings, to put back into the card after an error."""
    return {
        name: str(value[name])
        for name in FORM_FIELDS
        if value.get(name) is not None and str(value[name]) != ""
    }


# -- follow-up inputs --------------------------------------------------------------------------


class AssignForm(BaseModel):
    """Assign the investigation to a person: picked (Entra object id) or by e-mail/UPN."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    investigator: PersonInput


class ActionForm(BaseModel):
    """A corrective action: what, who (picked, or by e-mail/UPN) and by when. Validate with
    `now`."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    action_description: str = Field(min_length=5, max_length=1000)
    action_owner: PersonInput
    action_due: date

    @field_validator("action_due", mode="before")
    @classmethod
    def _blank_due(cls, value: Any) -> Any:
        return _blank_to_none(value)

    @model_validator(mode="after")
    def _due_within_range(self, info: ValidationInfo) -> ActionForm:
        context = info.context if isinstance(info.context, dict) else {}
        now = context.get("now")
        if isinstance(now, datetime):
            today = now.astimezone(COPENHAGEN).date()
            if self.action_due < today:
                raise PydanticCustomError("past", "the due date has passed")
            if self.action_due > today + MAX_ACTION_AHEAD:
                raise PydanticCustomError("far", "the due date is more than five years ahead")
        return self


def action_form_problems(
    value: dict[str, Any], now: datetime
) -> tuple[ActionForm | None, list[str]]:
    """The action, or catalogue keys of what is wrong with it."""
    try:
        return ActionForm.model_validate(value, context={"now": now}), []
    except ValidationError as error:
        keys: list[str] = []
        for issue in error.errors():
            if issue["type"] in ("past", "far"):
                key = f"near_miss.error.action_due_{issue['type']}"
            elif issue["loc"]:
                key = f"near_miss.error.{issue['loc'][0]}"
            else:
                key = "card.invalid_input"
            if key not in keys:
                keys.append(key)
        return None, keys
