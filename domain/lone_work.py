"""Lone work (alenearbejde): the request form, the risk rules of BEK 1839/2023 § 11, states."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from domain.i18n import COPENHAGEN
from domain.ids import RowId
from domain.people import is_object_id
from domain.training import TrainingCheck

PHONE_PATTERN: Final = re.compile(r"^\+?[0-9][0-9 \-]{6,18}[0-9]$")
TIME_PATTERN: Final = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


class Hazard(StrEnum):
    CHEMICALS = "chemicals"
    GASES = "gases"
    CRYOGENICS = "cryogenics"
    ELECTRICAL = "electrical"
    LASERS = "lasers"
    MACHINERY = "machinery"
    HEIGHT = "height"
    BIOLOGICAL = "biological"
    LIFTING = "lifting"
    FIELD = "field"
    OTHER = "other"


class Mitigation(StrEnum):
    CHECK_IN = "check_in"
    ALARM = "alarm"
    CALLING_DISTANCE = "calling_distance"
    PHONE_COVERAGE = "phone_coverage"
    FIRST_AID = "first_aid"
    OTHER = "other"


class Affiliation(StrEnum):
    """Who the requester is to the university: § 11 protects employees; students come under
    the education-environment act (the university applies the employee rules to them as a
    minimum); guests follow the unit's rules for visitors."""

    EMPLOYEE = "employee"
    STUDENT = "student"
    GUEST = "guest"


class Schedule(StrEnum):
    SINGLE = "single"
    RECURRING = "recurring"


class Status(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    REVOKED = "revoked"
    EXPIRED = "expired"

    @property
    def is_open(self) -> bool:
        return self in (Status.PENDING, Status.APPROVED)


class Decision(StrEnum):
    APPROVE = "approve"
    APPROVE_WITH_CONDITIONS = "approve_conditions"
    REJECT = "reject"


# A pending request's approver is reminded after 2 working days and again after 3; after 4
# the unit's AMK and its other leaders are told.
REMINDERS_AFTER_WORKING_DAYS: Final = (2, 3)
ESCALATION_AFTER_WORKING_DAYS: Final = 4


def reminder_due(waited_working_days: int) -> int | None:
    """Which reminder (1 or 2) a request that waited this long is due, if any: only the
    latest, so a bot that was down does not send both at once."""
    due = [
        n for n, after in enumerate(REMINDERS_AFTER_WORKING_DAYS, 1) if waited_working_days >= after
    ]
    return due[-1] if due else None


WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _split(value: Any) -> list[str]:
    """Adaptive Card multi-selects arrive as "a,b,c"; lists are accepted too."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _flag(value: Any) -> bool:
    """Input.Toggle sends "true"/"false" strings."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes", "on")


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


class LoneWorkForm(BaseModel):
    """The request card's inputs, parsed (field rules only; cross-field rules in `check`)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    unit_id: RowId
    affiliation: Affiliation
    task: str = Field(min_length=3, max_length=2000)
    campus: str = Field(min_length=1, max_length=100)
    building: str = Field(min_length=1, max_length=50)
    room: str = Field(min_length=1, max_length=50)
    schedule: Schedule = Schedule.SINGLE
    start_date: date | None = None
    start_time: str | None = None
    end_date: date | None = None
    end_time: str | None = None
    weekdays: list[str] = Field(default_factory=list)
    window_start: str | None = None
    window_end: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    hazards: list[Hazard] = Field(default_factory=list)
    hazard_other: str | None = Field(default=None, max_length=300)
    mitigations: list[Mitigation] = Field(default_factory=list)
    checkin_person: str | None = Field(default=None, max_length=200)
    checkin_interval: int | None = Field(default=None, ge=5, le=240)
    mitigation_other: str | None = Field(default=None, max_length=300)
    emergency_person: str | None = None
    """A colleague picked as the emergency contact (Entra object id; Teams' people picker)."""
    emergency_name: str | None = Field(default=None, min_length=2, max_length=200)
    emergency_phone: str
    trained: bool = False
    adult: bool = False

    @field_validator("weekdays", "hazards", "mitigations", mode="before")
    @classmethod
    def _multi(cls, value: Any) -> list[str]:
        return _split(value)

    @field_validator("trained", "adult", mode="before")
    @classmethod
    def _toggle(cls, value: Any) -> bool:
        return _flag(value)

    @field_validator(
        "start_date",
        "end_date",
        "valid_from",
        "valid_to",
        "start_time",
        "end_time",
        "window_start",
        "window_end",
        "hazard_other",
        "checkin_person",
        "checkin_interval",
        "mitigation_other",
        "emergency_person",
        "emergency_name",
        mode="before",
    )
    @classmethod
    def _optional(cls, value: Any) -> Any:
        return _blank_to_none(value)

    @field_validator("start_time", "end_time", "window_start", "window_end")
    @classmethod
    def _clock(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value[:5]
        if not TIME_PATTERN.match(value):
            raise ValueError("time")
        return value

    @field_validator("weekdays")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        unknown = [day for day in value if day not in WEEKDAYS]
        if unknown:
            raise ValueError("weekday")
        return [day for day in WEEKDAYS if day in value]

    @field_validator("emergency_person")
    @classmethod
    def _colleague(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not is_object_id(value):
            raise ValueError("person")
        return value.lower()

    @field_validator("emergency_phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        if not PHONE_PATTERN.match(value.strip()):
            raise ValueError("phone")
        return value.strip()

    @property
    def risky(self) -> bool:
        """Any hazard makes the work risky (risikofyldt); none makes it not risky."""
        return bool(self.hazards)


def _local(day: date, clock: str) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=COPENHAGEN).astimezone(UTC)


class Period(BaseModel):
    """When the approval is valid: the first moment and the moment it expires (UTC)."""

    starts_at: datetime
    expires_at: datetime


def period_of(form: LoneWorkForm) -> Period | None:
    """The approval's validity; None while the schedule fields are incomplete."""
    if form.schedule is Schedule.SINGLE:
        if not (form.start_date and form.start_time and form.end_date and form.end_time):
            return None
        return Period(
            starts_at=_local(form.start_date, form.start_time),
            expires_at=_local(form.end_date, form.end_time),
        )
    if not (form.valid_from and form.valid_to and form.window_start and form.window_end):
        return None
    return Period(
        starts_at=_local(form.valid_from, form.window_start),
        expires_at=_local(form.valid_to + timedelta(days=1), "00:00"),
    )


def _calendar_problem(form: LoneWorkForm, today: date) -> str | None:
    """The period's days against the law's 12 months: it lasts at most 12 months and ends
    within 12 months from today (so no date far from today is ever stored)."""
    single = form.schedule is Schedule.SINGLE
    first, last = (form.start_date, form.end_date) if single else (form.valid_from, form.valid_to)
    if first is not None and last is not None and last > last_day_of_arrangement(first):
        return "lone_work.error.period_too_long" if single else "lone_work.error.too_long"
    if last is not None and last > last_day_of_arrangement(today):
        return "lone_work.error.too_far"
    if last is not None and last < today - timedelta(days=1):
        return "lone_work.error.in_past"
    return None


def check(form: LoneWorkForm, *, now: datetime) -> dict[str, str]:
    """Cross-field rules; returns `{field: message key}` (empty when the request may be sent)."""
    errors: dict[str, str] = {}
    if form.schedule is Schedule.SINGLE:
        for name in ("start_date", "start_time", "end_date", "end_time"):
            if getattr(form, name) is None:
                errors[name] = "lone_work.error.required"
    else:
        for name in ("valid_from", "valid_to", "window_start", "window_end"):
            if getattr(form, name) is None:
                errors[name] = "lone_work.error.required"
        if not form.weekdays:
            errors["weekdays"] = "lone_work.error.weekdays"
        if form.window_start and form.window_end and form.window_end <= form.window_start:
            errors["window_end"] = "lone_work.error.window"
        if form.valid_from and form.valid_to and form.valid_to < form.valid_from:
            errors["valid_to"] = "lone_work.error.end_before_start"
    last = "end_date" if form.schedule is Schedule.SINGLE else "valid_to"
    if last not in errors:
        problem = _calendar_problem(form, now.astimezone(COPENHAGEN).date())
        if problem is not None:
            errors[last] = problem
    period = period_of(form) if last not in errors else None
    if period is not None:
        if period.expires_at <= period.starts_at:
            errors["end_time" if form.schedule is Schedule.SINGLE else "valid_to"] = (
                "lone_work.error.end_before_start"
            )
        elif period.expires_at <= now:
            errors["end_date" if form.schedule is Schedule.SINGLE else "valid_to"] = (
                "lone_work.error.in_past"
            )
    if not form.emergency_name and not form.emergency_person:
        errors["emergency_name"] = "lone_work.error.emergency_name"
    if Hazard.OTHER in form.hazards and not form.hazard_other:
        errors["hazard_other"] = "lone_work.error.hazard_other"
    if Mitigation.CHECK_IN in form.mitigations and not (
        form.checkin_person and form.checkin_interval
    ):
        errors["checkin_person"] = "lone_work.error.checkin"
    if Mitigation.OTHER in form.mitigations and not form.mitigation_other:
        errors["mitigation_other"] = "lone_work.error.mitigation_other"
    if form.risky:
        if not form.mitigations:
            errors["mitigations"] = "lone_work.error.no_mitigation"
        if not form.adult:
            errors["adult"] = "lone_work.error.minor"
        if not form.trained:
            errors["trained"] = "lone_work.error.untrained"
    return errors


def parse(value: dict[str, Any], *, now: datetime) -> tuple[LoneWorkForm | None, dict[str, str]]:
    """Validate a card submit: the form, or `{field: message key}` for everything wrong."""
    try:
        form = LoneWorkForm.model_validate(value)
    except ValidationError as error:
        errors: dict[str, str] = {}
        for issue in error.errors():
            field = str(issue["loc"][0]) if issue["loc"] else "form"
            errors.setdefault(field, FIELD_ERRORS.get(field, "lone_work.error.invalid"))
        return None, errors
    return form, check(form, now=now)


FIELD_ERRORS: Final[dict[str, str]] = {
    "unit_id": "lone_work.error.unit",
    "affiliation": "lone_work.error.affiliation",
    "task": "lone_work.error.task",
    "campus": "lone_work.error.required",
    "building": "lone_work.error.required",
    "room": "lone_work.error.required",
    "emergency_person": "lone_work.error.emergency_person",
    "emergency_name": "lone_work.error.emergency_name",
    "emergency_phone": "lone_work.error.phone",
    "checkin_interval": "lone_work.error.checkin",
    "start_time": "lone_work.error.time",
    "end_time": "lone_work.error.time",
    "window_start": "lone_work.error.time",
    "window_end": "lone_work.error.time",
    "weekdays": "lone_work.error.weekdays",
    "hazards": "lone_work.error.invalid",
    "mitigations": "lone_work.error.invalid",
}


def last_day_of_arrangement(valid_from: date) -> date:
    """The last day a recurring arrangement from `valid_from` may run: 12 months, so the day
    before the same date a year later (from 29 February: 28 February, as 29 February is missing)."""
    if valid_from.year == date.max.year:
        return date.max
    try:
        anniversary = valid_from.replace(year=valid_from.year + 1)
    except ValueError:
        anniversary = date(valid_from.year + 1, 3, 1)
    return anniversary - timedelta(days=1)


@dataclass(frozen=True)
class NotSent:
    """Why a request was not stored: the approver picked is not one of the unit's, or the
    unit is not (or no longer) one to pick."""

    reason: Literal["approver", "unit"]


class RequestView(BaseModel):
    """Everything a lone-work card shows about one request (names resolved, no ORM)."""

    model_config = ConfigDict(frozen=True)

    id: int
    number: str
    requester: str
    requester_id: int
    unit: str
    unit_id: int
    task: str
    campus: str
    building: str
    room: str
    schedule: Schedule
    starts_at: datetime
    expires_at: datetime
    weekdays: list[str] = Field(default_factory=list)
    window_start: str | None = None
    window_end: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    hazards: list[Hazard] = Field(default_factory=list)
    hazard_other: str | None = None
    mitigations: list[Mitigation] = Field(default_factory=list)
    checkin_person: str | None = None
    checkin_interval: int | None = None
    mitigation_other: str | None = None
    emergency_name: str
    emergency_phone: str
    emergency_colleague: bool = False
    """The contact is a colleague picked in Teams (alarmed in Teams too)."""
    trained: bool
    adult: bool
    risky: bool
    status: Status
    affiliation: Affiliation | None = None
    """None on requests sent before the form asked."""
    approver: str | None = None
    approver_id: int | None = None
    approver_teams_id: str | None = None
    conditions: str | None = None
    decision_note: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    close_reason: str | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None
    created_at: datetime | None = None
    # the requester's training in the unit, for the approver (None: not looked up)
    training: TrainingCheck | None = None

    @property
    def status_key(self) -> str:
        if self.status is Status.APPROVED and self.conditions:
            return "lone_work.status.approved_conditions"
        return f"lone_work.status.{self.status.value}"


@dataclass(frozen=True)
class RegisterEvent:
    """One check-in event of a request, as the register's timeline lists it."""

    number: str
    """The request's number."""
    session_id: int
    at: datetime
    kind: str
    actor: str | None
    detail: dict[str, object] | None


@dataclass(frozen=True)
class LoneWorkRegister:
    """A unit's requests created in a year, their requesters' e-mails and check-in events."""

    unit: str
    year: int
    requests: list[RequestView]
    emails: dict[int, str]
    """Requester id → e-mail (UPN)."""
    events: list[RegisterEvent]


def preview(form: LoneWorkForm, *, requester: str, unit: str) -> RequestView:
    """How a not yet sent request looks on the summary card."""
    period = period_of(form)
    if period is None:
        raise ValueError("preview needs a complete period")
    recurring = form.schedule is Schedule.RECURRING
    return RequestView(
        id=0,
        number="",
        requester=requester,
        requester_id=0,
        unit=unit,
        unit_id=form.unit_id,
        task=form.task,
        campus=form.campus,
        building=form.building,
        room=form.room,
        schedule=form.schedule,
        starts_at=period.starts_at,
        expires_at=period.expires_at,
        weekdays=form.weekdays if recurring else [],
        window_start=form.window_start if recurring else None,
        window_end=form.window_end if recurring else None,
        valid_from=form.valid_from if recurring else None,
        valid_to=form.valid_to if recurring else None,
        hazards=form.hazards,
        hazard_other=form.hazard_other,
        mitigations=form.mitigations,
        checkin_person=form.checkin_person,
        checkin_interval=form.checkin_interval,
        mitigation_other=form.mitigation_other,
        emergency_name=form.emergency_name or "",
        emergency_phone=form.emergency_phone,
        emergency_colleague=form.emergency_person is not None,
        trained=form.trained,
        adult=form.adult,
        risky=form.risky,
        status=Status.PENDING,
        affiliation=form.affiliation,
    )
