"""The work-accident report form and the leader's EASY inputs: what a card submits, validated
into models, with the catalogue keys of the messages to show under each field."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from domain.i18n import COPENHAGEN, local_date
from domain.ids import RowId
from domain.org import is_email, normalise_upn
from domain.work_accident import Claim, InjuredParty, InjuryKind, ReporterRole

CLOCK_SKEW: Final = timedelta(minutes=10)
MAX_AGE: Final = timedelta(days=366)
MAX_ABSENCE_AFTER: Final = timedelta(days=366)
_ERROR: Final = "work_accident.error."


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _yes_no(value: Any) -> Any:
    """The absence choice arrives as `yes`/`no`."""
    if isinstance(value, str):
        folded = value.strip().lower()
        if folded in ("yes", "true", "ja"):
            return True
        if folded in ("no", "false", "nej"):
            return False
    return value


def _email(value: str | None) -> str | None:
    if value is None:
        return None
    if not is_email(value):
        raise PydanticCustomError("email", "not an e-mail address")
    return normalise_upn(value)


class WorkAccidentForm(BaseModel):
    """The report card's inputs. Validate with `context={"now": <aware datetime>}`."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)

    injured_party: InjuredParty
    reporter_role: ReporterRole
    injured_email: str | None = Field(default=None, max_length=320)
    unit_id: RowId
    occurred_date: date
    occurred_time: time
    place: str = Field(min_length=2, max_length=200)
    description: str = Field(min_length=10, max_length=4000)
    injury_kind: InjuryKind
    absence: bool
    absence_from: date | None = None
    claim: Claim
    immediate_action: str | None = Field(default=None, max_length=2000)
    witnesses: str | None = Field(default=None, max_length=1000)
    withhold_name: bool = False
    wants_outcome: bool = False

    @field_validator(
        "injured_party",
        "reporter_role",
        "injured_email",
        "unit_id",
        "occurred_date",
        "occurred_time",
        "injury_kind",
        "absence_from",
        "claim",
        "immediate_action",
        "witnesses",
        mode="before",
    )
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return _blank_to_none(value)

    @field_validator("absence", mode="before")
    @classmethod
    def _absence(cls, value: Any) -> Any:
        return _yes_no(_blank_to_none(value))

    @field_validator("withhold_name", "wants_outcome", mode="before")
    @classmethod
    def _withhold(cls, value: Any) -> Any:
        value = _blank_to_none(value)
        return False if value is None else _yes_no(value)

    @field_validator("injured_email")
    @classmethod
    def _injured_email(cls, value: str | None) -> str | None:
        return _email(value)

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> WorkAccidentForm:
        context = info.context if isinstance(info.context, dict) else {}
        now = context.get("now")
        problems = cross_problems(
            occurred_date=self.occurred_date,
            occurred_time=self.occurred_time,
            absence=self.absence,
            absence_from=self.absence_from,
            reporter_role=self.reporter_role,
            injured_party=self.injured_party,
            injured_email=self.injured_email,
            now=now if isinstance(now, datetime) else None,
        )
        if problems:
            raise PydanticCustomError("inconsistent", "fields disagree", {"problems": problems})
        return self

    @property
    def occurred_at(self) -> datetime:
        """Date and time were given in Copenhagen time; stored as UTC."""
        local = datetime.combine(self.occurred_date, self.occurred_time, tzinfo=COPENHAGEN)
        return local.astimezone(UTC)

    @property
    def accident_day(self) -> date:
        return self.occurred_date

    @property
    def first_absence_day(self) -> date | None:
        return self.absence_from if self.absence else None

    @property
    def name_withheld(self) -> bool:
        """The injured person's name kept from the AMK: only asked of psychological ones."""
        return self.withhold_name and self.injury_kind.confidential


FORM_FIELDS: Final = tuple(WorkAccidentForm.model_fields)


def cross_problems(
    *,
    occurred_date: date | None,
    occurred_time: time | None,
    absence: bool | None,
    absence_from: date | None,
    reporter_role: ReporterRole | None,
    injured_party: InjuredParty | None,
    injured_email: str | None,
    now: datetime | None,
) -> dict[str, str]:
    """What the fields say wrong together (field → catalogue key): the accident in the future
    or over a year ago; absence without its first day, or a first day that is not after the
    injury day; an employee reported by someone else without their e-mail."""
    problems: dict[str, str] = {}
    if occurred_date is not None and occurred_time is not None and now is not None:
        moment = datetime.combine(occurred_date, occurred_time, tzinfo=COPENHAGEN)
        if moment > now + CLOCK_SKEW:
            problems["occurred_date"] = _ERROR + "future"
        elif moment < now - MAX_AGE:
            problems["occurred_date"] = _ERROR + "too_old"
    if absence:
        if absence_from is None:
            problems["absence_from"] = _ERROR + "absence_from"
        elif occurred_date is not None and absence_from <= occurred_date:
            problems["absence_from"] = _ERROR + "absence_from_order"
        elif occurred_date is not None and absence_from > occurred_date + MAX_ABSENCE_AFTER:
            problems["absence_from"] = _ERROR + "absence_from_far"
    if (
        reporter_role not in (None, ReporterRole.INJURED)
        and injured_party is InjuredParty.EMPLOYEE
        and not injured_email
    ):
        problems["injured_email"] = _ERROR + "injured_email_missing"
    return problems


def _lenient(annotation: Any, value: Any, before: Any = _blank_to_none) -> Any:
    """`value` parsed as `annotation`, or None if it does not parse."""
    try:
        return TypeAdapter(annotation).validate_python(before(value))
    except (ValidationError, ValueError):
        return None


def validate_form(
    value: dict[str, Any], now: datetime
) -> tuple[WorkAccidentForm | None, dict[str, str]]:
    """The form, or the problems as `{field: catalogue key}` for the card to show (mistakes
    in single fields and between fields, together)."""
    try:
        return WorkAccidentForm.model_validate(value, context={"now": now}), {}
    except ValidationError as error:
        problems: dict[str, str] = {}
        for issue in error.errors():
            if issue["type"] == "inconsistent":
                continue
            where = str(issue["loc"][0]) if issue["loc"] else "form"
            if where in FORM_FIELDS:
                problems.setdefault(where, _ERROR + where)
        email = _blank_to_none(value.get("injured_email"))
        crossed = cross_problems(
            occurred_date=_lenient(date, value.get("occurred_date")),
            occurred_time=_lenient(time, value.get("occurred_time")),
            absence=_lenient(bool, value.get("absence"), lambda v: _yes_no(_blank_to_none(v))),
            absence_from=_lenient(date, value.get("absence_from")),
            reporter_role=_lenient(ReporterRole, value.get("reporter_role")),
            injured_party=_lenient(InjuredParty, value.get("injured_party")),
            injured_email=email if isinstance(email, str) else None,
            now=now,
        )
        for where, key in crossed.items():
            problems.setdefault(where, key)
        return None, problems or {"form": "card.invalid_input"}


def values_from_near_miss(
    *,
    unit_id: int,
    occurred_at: datetime,
    location: str,
    description: str,
    immediate_action: str | None,
) -> dict[str, str]:
    """A near miss that turned out to be an accident, as the accident form's values (what
    the two forms share: unit, when, where, what happened, what was done)."""
    local = occurred_at.astimezone(COPENHAGEN)
    values = {
        "unit_id": str(unit_id),
        "occurred_date": local.date().isoformat(),
        "occurred_time": local.strftime("%H:%M"),
        "place": location[:200],
        "description": description,
    }
    if immediate_action:
        values["immediate_action"] = immediate_action
    return values


def values_from_near_miss_form(typed: dict[str, Any]) -> dict[str, str]:
    """The near-miss form's typed values (not yet stored) as the accident form's values."""
    place = ", ".join(
        str(typed[name]).strip()
        for name in ("campus", "building", "room")
        if str(typed.get(name) or "").strip()
    )
    shared = {
        "unit_id": typed.get("unit_id"),
        "occurred_date": typed.get("occurred_date"),
        "occurred_time": typed.get("occurred_time"),
        "place": place[:200] or None,
        "description": typed.get("description"),
        "immediate_action": typed.get("immediate_action"),
    }
    return {name: str(value) for name, value in shared.items() if value}


def kept_values(value: dict[str, Any]) -> dict[str, str]:
    """What the user typed, as strings, to put back into the card after an error."""
    return {
        name: str(value[name])
        for name in FORM_FIELDS
        if value.get(name) is not None and str(value[name]) != ""
    }


# -- what the leader records about EASY --------------------------------------------------------


class FiledForm(BaseModel):
    """Reported in EASY: its reference and the day it was filed (not after today, not before
    the accident). Validate with `context={"today": date, "accident_day": date}`."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    easy_reference: str = Field(min_length=3, max_length=40)
    filed_on: date

    @field_validator("filed_on", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return _blank_to_none(value)

    @model_validator(mode="after")
    def _in_range(self, info: ValidationInfo) -> FiledForm:
        context = info.context if isinstance(info.context, dict) else {}
        today, accident_day = context.get("today"), context.get("accident_day")
        if isinstance(today, date) and self.filed_on > today:
            raise PydanticCustomError("filed_future", "filed after today")
        if isinstance(accident_day, date) and self.filed_on < accident_day:
            raise PydanticCustomError("filed_early", "filed before the accident")
        return self


class NotRequiredForm(BaseModel):
    """Not to be reported in EASY, and why."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    not_required_reason: str = Field(min_length=5, max_length=1000)


def filed_problems(
    value: dict[str, Any], *, now: datetime, accident_day: date
) -> tuple[FiledForm | None, list[str]]:
    """The filing, or the catalogue keys of what is wrong with it."""
    context = {"today": local_date(now), "accident_day": accident_day}
    try:
        return FiledForm.model_validate(value, context=context), []
    except ValidationError as error:
        keys: list[str] = []
        for issue in error.errors():
            kind = str(issue["type"])
            if kind in ("filed_future", "filed_early"):
                key = _ERROR + kind
            elif issue["loc"]:
                key = _ERROR + str(issue["loc"][0])
            else:
                key = "card.invalid_input"
            if key not in keys:
                keys.append(key)
        return None, keys


def not_required_problems(value: dict[str, Any]) -> tuple[NotRequiredForm | None, list[str]]:
    try:
        return NotRequiredForm.model_validate(value), []
    except ValidationError:
        return None, [_ERROR + "not_required_reason"]


# -- the investigation -------------------------------------------------------------------------


def _toggle(value: Any) -> Any:
    value = _blank_to_none(value)
    return False if value is None else _yes_no(value)


class CausesForm(BaseModel):
    """What the investigation found caused the accident."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    causes: str = Field(min_length=10, max_length=2000)


class CloseForm(BaseModel):
    """The conclusion, and whether the injured person hears it (the toggle on the closing
    card, which starts at what the report said)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    conclusion: str = Field(min_length=10, max_length=2000)
    tell_injured: bool = False

    @field_validator("tell_injured", mode="before")
    @classmethod
    def _tell(cls, value: Any) -> Any:
        return _toggle(value)


def causes_problems(value: dict[str, Any]) -> tuple[CausesForm | None, list[str]]:
    try:
        return CausesForm.model_validate(value), []
    except ValidationError:
        return None, [_ERROR + "causes"]


def close_problems(value: dict[str, Any]) -> tuple[CloseForm | None, list[str]]:
    try:
        return CloseForm.model_validate(value), []
    except ValidationError:
        return None, [_ERROR + "conclusion"]
