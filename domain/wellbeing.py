"""Well-being dialogues (trivselsdialog), the unit's written action plan and the annual
work-environment discussion (arbejdsmiljødrøftelse): forms, access rules, dates, and the
check for text that looks like personal data.

The APV asks for four things: a risk assessment, the inclusion of sickness absence, a
written action plan (what, how, when, who) and follow-up on whether the measures are
adequate and effective. A dialogue record covers the first two, its action-plan items the
last two. Free text of the notes is special: only the unit's leaders and AMKs and the person
who recorded it may read it, and it is deleted after the retention period.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from domain.i18n import COPENHAGEN, local_date
from domain.ids import RowId

MAX_TEXT: Final = 4000
MAX_ITEM_TEXT: Final = 500
MAX_NOTE: Final = 500
MAX_PARTICIPANTS: Final = 2000
MAX_ITEM_ROWS: Final = 6
ITEM_ROWS_STEP: Final = 3
DEFAULT_FOLLOW_UP_DAYS: Final = 30
# Dates in a plan lie within this far ahead, and a dialogue was held within this far back.
DATE_RANGE: Final = timedelta(days=5 * 365)
REOPEN_DEADLINE_DAYS: Final = 30
CLOSED_ITEMS_SHOWN_DAYS: Final = 365
DEFAULT_RETENTION_YEARS: Final = 5
DEFAULT_DIALOGUE_INTERVAL_YEARS: Final = 2
LEGAL_MAX_INTERVAL_YEARS: Final = 3


class Theme(StrEnum):
    """Themes a dialogue can take up (DTU's dialogue themes and AT's psychosocial factors)."""

    DIALOGUE_COOPERATION = "dialogue_cooperation"
    STRESS = "stress"
    SEXISM = "sexism"
    CONFLICTS = "conflicts"
    INCLUSIVE_CULTURE = "inclusive_culture"
    NEURODIVERSITY = "neurodiversity"
    WORKLOAD = "workload"
    COLLABORATION = "collaboration"
    MANAGEMENT = "management"
    PHYSICAL = "physical"
    OTHER = "other"


class ItemStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def is_open(self) -> bool:
        return self in (ItemStatus.OPEN, ItemStatus.IN_PROGRESS)


class Effect(StrEnum):
    """The follow-up answer: was the solution adequate and effective?"""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class AmdRole(StrEnum):
    """Who took part in the annual work-environment discussion (roles, never names)."""

    LEADER = "leader"
    WORK_ENV_REP = "work_env_rep"
    AMK = "amk"
    UNION_REP = "union_rep"
    EMPLOYEES = "employees"
    HR = "hr"
    OTHER = "other"


class GoalsMet(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    NO_GOALS = "no_goals"


# -- settings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WellbeingSettings:
    """How long note text is kept, and how often each unit must hold a dialogue."""

    retention_years: int = DEFAULT_RETENTION_YEARS
    dialogue_interval_years: int = DEFAULT_DIALOGUE_INTERVAL_YEARS

    @classmethod
    def from_mapping(cls, env: Mapping[str, str]) -> WellbeingSettings:
        """`WELLBEING_RETENTION_YEARS` (1–30) and `WELLBEING_DIALOGUE_INTERVAL_YEARS` (1–3)."""

        def number(name: str, default: int, low: int, high: int) -> int:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            if not raw.isdigit() or not low <= int(raw) <= high:
                raise ValueError(f"{name} must be a whole number from {low} to {high}, not {raw!r}")
            return int(raw)

        return cls(
            retention_years=number("WELLBEING_RETENTION_YEARS", DEFAULT_RETENTION_YEARS, 1, 30),
            dialogue_interval_years=number(
                "WELLBEING_DIALOGUE_INTERVAL_YEARS",
                DEFAULT_DIALOGUE_INTERVAL_YEARS,
                1,
                LEGAL_MAX_INTERVAL_YEARS,
            ),
        )


# -- dates ------------------------------------------------------------------------------------


def local_today(now: datetime) -> date:
    """The date in Copenhagen at the UTC moment `now`."""
    return local_date(now)


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def group_key(name: str) -> str:
    """Which group a dialogue belongs to: its group name without case or extra spaces, so
    "Lab  2" and "lab 2" are one group."""
    return " ".join(name.split()).casefold()


class GroupStatus(BaseModel):
    """One group of a unit: its latest dialogue and when the next is due."""

    model_config = ConfigDict(frozen=True)

    group: str
    last_held: date
    due_on: date

    def due(self, today: date) -> bool:
        return self.due_on <= today


def group_statuses(latest: Iterable[tuple[str, date]], interval_years: int) -> list[GroupStatus]:
    """Each group's latest dialogue and due day from (group name as written, latest day held)
    pairs; names that differ only in case or spacing are one group, shown as last written.
    The group due first comes first."""
    groups: dict[str, tuple[date, str]] = {}
    for name, held in latest:
        key = group_key(name)
        shown = " ".join(name.split())
        if key not in groups or (held, shown) > groups[key]:
            groups[key] = (held, shown)
    statuses = [
        GroupStatus(group=shown, last_held=held, due_on=add_years(held, interval_years))
        for held, shown in groups.values()
    ]
    return sorted(statuses, key=lambda status: (status.due_on, status.group.casefold()))


def unit_dialogue_due(groups: Iterable[GroupStatus], today: date) -> date:
    """A unit is due when its first group is: the least recent group's latest dialogue plus
    the interval; a unit that never held a dialogue is due today."""
    return min((group.due_on for group in groups), default=today)


def notes_cutoff(now: datetime, retention_years: int) -> date:
    """Notes of dialogues held before this date are past the retention period."""
    return add_years(local_today(now), -retention_years)


def is_overdue(status: ItemStatus, deadline: date, today: date) -> bool:
    return status.is_open and deadline < today


def shown_in_plan(status: ItemStatus, closed_at: datetime | None, now: datetime) -> bool:
    """The current plan: open items, and items closed within the last year."""
    if status.is_open or closed_at is None:
        return True
    return closed_at >= now - timedelta(days=CLOSED_ITEMS_SHOWN_DAYS)


# -- input helpers ----------------------------------------------------------------------------


def split_multi(value: Any) -> list[str]:
    """Adaptive Card multi-selects arrive as "a,b,c"; lists are accepted too."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _yes_no(value: Any) -> bool | None:
    text = str(value or "").strip().lower()
    if text in ("yes", "true", "ja"):
        return True
    if text in ("no", "false", "nej"):
        return False
    return None


# -- the dialogue form --------------------------------------------------------------------


class DialogueForm(BaseModel):
    """The dialogue card's inputs (field rules; the date rule is in `parse_dialogue`)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    unit_id: RowId
    group_name: str = Field(min_length=1, max_length=200)
    held_on: date
    facilitator: str = Field(min_length=1, max_length=200)
    participants: int = Field(ge=1, le=MAX_PARTICIPANTS)
    themes: list[Theme] = Field(min_length=1)
    theme_other: str | None = Field(default=None, max_length=300)
    works_well: str | None = Field(default=None, max_length=MAX_TEXT)
    challenges: str | None = Field(default=None, max_length=MAX_TEXT)
    absence_considered: bool
    absence_note: str | None = Field(default=None, max_length=MAX_NOTE)

    @field_validator("themes", mode="before")
    @classmethod
    def _multi(cls, value: Any) -> list[str]:
        return split_multi(value)

    @field_validator("participants", mode="before")
    @classmethod
    def _whole_number(cls, value: Any) -> Any:
        """Numbers only: "12" or 12.0, never "12 people" or 12.5."""
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"\s*\d+(\.0+)?\s*", value):
            return int(float(value))
        return value

    @field_validator("absence_considered", mode="before")
    @classmethod
    def _absence(cls, value: Any) -> Any:
        answer = _yes_no(value)
        return value if answer is None else answer

    @field_validator("theme_other", "works_well", "challenges", "absence_note", mode="before")
    @classmethod
    def _optional(cls, value: Any) -> Any:
        return _blank_to_none(value)

    @field_validator("held_on", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        return _blank_to_none(value)

    def texts(self) -> dict[str, str]:
        """The free-text fields that must not name people (checked before saving)."""
        found = {
            "theme_other": self.theme_other,
            "works_well": self.works_well,
            "challenges": self.challenges,
            "absence_note": self.absence_note,
        }
        return {name: text for name, text in found.items() if text}


DIALOGUE_ERRORS: Final[dict[str, str]] = {
    "unit_id": "wellbeing.error.unit",
    "group_name": "wellbeing.error.group",
    "held_on": "wellbeing.error.held_on",
    "facilitator": "wellbeing.error.facilitator",
    "participants": "wellbeing.error.participants",
    "themes": "wellbeing.error.themes",
    "theme_other": "wellbeing.error.too_long",
    "works_well": "wellbeing.error.too_long",
    "challenges": "wellbeing.error.too_long",
    "absence_considered": "wellbeing.error.absence",
    "absence_note": "wellbeing.error.too_long",
}


def parse_dialogue(
    value: Mapping[str, Any], *, today: date
) -> tuple[DialogueForm | None, dict[str, str]]:
    """Validate a dialogue card submit: the form, or `{field: message key}`."""
    try:
        form = DialogueForm.model_validate(dict(value))
    except ValidationError as error:
        errors: dict[str, str] = {}
        for issue in error.errors():
            name = str(issue["loc"][0]) if issue["loc"] else "form"
            errors.setdefault(name, DIALOGUE_ERRORS.get(name, "wellbeing.error.invalid"))
        return None, errors
    errors = {}
    if form.held_on > today:
        errors["held_on"] = "wellbeing.error.future"
    elif form.held_on < today - DATE_RANGE:
        errors["held_on"] = "wellbeing.error.too_old"
    if Theme.OTHER in form.themes and not form.theme_other:
        errors["theme_other"] = "wellbeing.error.theme_other"
    if not form.works_well and not form.challenges:
        errors["challenges"] = "wellbeing.error.no_notes"
    return (None, errors) if errors else (form, {})


# -- text that looks like personal data ----------------------------------------------------

FlagKind = Literal["name", "email", "cpr"]


# -- the annual work-environment discussion ----------------------------------------------------


class AmdForm(BaseModel):
    """A unit's annual work-environment discussion (arbejdsmiljødrøftelse) for one year."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    unit_id: RowId
    year: int = Field(ge=2000, le=2100)
    held_on: date
    participant_roles: list[AmdRole] = Field(min_length=1)
    goals_met: GoalsMet
    goals_next_year: str = Field(min_length=3, max_length=2000)
    cooperation: str = Field(min_length=3, max_length=2000)
    competence_needs: str = Field(min_length=2, max_length=2000)

    @field_validator("participant_roles", mode="before")
    @classmethod
    def _multi(cls, value: Any) -> list[str]:
        return split_multi(value)

    @field_validator("held_on", "goals_met", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return _blank_to_none(value)


AMD_ERRORS: Final[dict[str, str]] = {
    "unit_id": "wellbeing.error.unit",
    "year": "wellbeing.error.year",
    "held_on": "wellbeing.error.held_on",
    "participant_roles": "wellbeing.error.roles",
    "goals_met": "wellbeing.error.goals_met",
    "goals_next_year": "wellbeing.error.required",
    "cooperation": "wellbeing.error.required",
    "competence_needs": "wellbeing.error.required",
}


def parse_amd(value: Mapping[str, Any], *, today: date) -> tuple[AmdForm | None, dict[str, str]]:
    try:
        form = AmdForm.model_validate(dict(value))
    except ValidationError as error:
        errors: dict[str, str] = {}
        for issue in error.errors():
            name = str(issue["loc"][0]) if issue["loc"] else "form"
            errors.setdefault(name, AMD_ERRORS.get(name, "wellbeing.error.invalid"))
        return None, errors
    errors = {}
    if form.held_on > today:
        errors["held_on"] = "wellbeing.error.future"
    if form.year > today.year or form.year < today.year - 1:
        errors["year"] = "wellbeing.error.year"
    elif form.held_on.year not in (form.year, form.year + 1):
        errors["held_on"] = "wellbeing.error.amd_date"
    return (None, errors) if errors else (form, {})


# -- who may do what ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """A person's standing towards well-being data, from their roles.

    - record a dialogue or the annual discussion, manage a unit's plan: the unit's leaders
      and AMKs, the secretariat and administrators;
    - read the notes of a dialogue: the unit's leaders and AMKs and the person who recorded
      it — never the secretariat or an administrator as such (they see counts);
    - change an item's status and answer its follow-up: its owner, and whoever manages the
      unit's plan;
    - see the plan itself: every employee.
    """

    person_id: int | None
    is_admin: bool = False
    secretariat: bool = False
    leader_of: frozenset[int] = frozenset()
    amk_of: frozenset[int] = frozenset()
    other_units: frozenset[int] = frozenset()
    # the unit the person last sent something for (`storage.org.remember_unit`)
    last_unit: int | None = None

    @property
    def university_wide(self) -> bool:
        return self.secretariat or self.is_admin

    @property
    def unit_ids(self) -> frozenset[int]:
        """Units where the person holds any role."""
        return self.leader_of | self.amk_of | self.other_units

    def home_unit(self) -> int | None:
        """The one unit the person holds a role in, else their unit in Entra ID or the one
        they last used (`last_unit`)."""
        units = self.unit_ids
        return next(iter(units)) if len(units) == 1 else self.last_unit

    def leads_or_coordinates(self, unit_id: int) -> bool:
        return unit_id in self.leader_of or unit_id in self.amk_of

    def may_record(self, unit_id: int) -> bool:
        return self.person_id is not None and (
            self.university_wide or self.leads_or_coordinates(unit_id)
        )

    def may_record_any(self) -> bool:
        return self.person_id is not None and (
            self.university_wide or bool(self.leader_of or self.amk_of)
        )

    def recordable(self, unit_ids: Iterable[int]) -> list[int]:
        return [unit_id for unit_id in unit_ids if self.may_record(unit_id)]

    def may_manage_plan(self, unit_id: int) -> bool:
        return self.may_record(unit_id)

    def may_read_notes(self, unit_id: int, recorded_by_id: int | None) -> bool:
        if self.person_id is None:
            return False
        return self.leads_or_coordinates(unit_id) or (
            recorded_by_id is not None and recorded_by_id == self.person_id
        )

    def may_see_counts(self, unit_id: int) -> bool:
        return self.person_id is not None and (
            self.university_wide or self.leads_or_coordinates(unit_id)
        )

    def may_update_item(self, unit_id: int, owner_id: int) -> bool:
        return self.person_id is not None and (
            owner_id == self.person_id or self.may_manage_plan(unit_id)
        )


# -- what cards show ---------------------------------------------------------------------------


class ItemView(BaseModel):
    """An action-plan item with names resolved (never any dialogue notes)."""

    model_config = ConfigDict(frozen=True)

    id: int
    unit_id: int
    unit: str
    problem: str
    action: str
    owner_id: int
    owner: str
    owner_teams_id: str | None = None
    deadline: date
    follow_up_on: date
    status: ItemStatus
    status_note: str | None = None
    status_by: str | None = None
    status_at: datetime | None = None
    effect: Effect | None = None
    effect_note: str | None = None
    dialogue_held_on: date | None = None
    screening_held_on: date | None = None  # a finding of the screening held that day
    reopened_from_id: int | None = None
    created_at: datetime | None = None

    def overdue(self, today: date) -> bool:
        return is_overdue(self.status, self.deadline, today)

    @property
    def reference(self) -> str:
        return f"#{self.id}"


class DialogueNotes(BaseModel):
    """A dialogue with its notes: only for those `Access.may_read_notes` allows."""

    model_config = ConfigDict(frozen=True)

    id: int
    unit: str
    group_name: str
    held_on: date
    facilitator: str | None
    participants: int
    themes: list[Theme]
    theme_other: str | None = None
    works_well: str | None = None
    challenges: str | None = None
    absence_considered: bool
    absence_note: str | None = None
    recorded_by: str
    notes_deleted_at: datetime | None = None
    items: int = 0


class UnitStatus(BaseModel):
    """Counts about one unit (what the secretariat and the digest see)."""

    model_config = ConfigDict(frozen=True)

    unit_id: int
    unit: str
    dialogues: int
    last_held: date | None
    due_on: date
    open_items: int
    overdue_items: int
    amd_held_on: date | None
    groups: list[GroupStatus] = Field(default_factory=list)

    def due(self, today: date) -> bool:
        return self.due_on <= today


class PlanView(BaseModel):
    """A unit's current action plan as everyone may see it."""

    model_config = ConfigDict(frozen=True)

    unit_id: int
    unit: str
    items: list[ItemView]
    last_held: date | None
    due_on: date
    amd_held_on: date | None
    year: int
    groups: list[GroupStatus] = Field(default_factory=list)


def utc(day: date) -> datetime:
    """Midnight of `day` in Copenhagen as a UTC moment."""
    return datetime(day.year, day.month, day.day, tzinfo=COPENHAGEN).astimezone(UTC)
