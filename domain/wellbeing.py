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
from dataclasses import dataclass, field
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


def dialogue_due(last_held: date | None, interval_years: int, today: date) -> date:
    """When the unit's next dialogue is due; a unit that never held one is due today."""
    return today if last_held is None else add_years(last_held, interval_years)


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

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CPR = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[- ]?\d{4}(?!\d)")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SENTENCE_END = frozenset(".!?:;\n•*–—-")
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "da", "del", "la", "le", "af", "ter"})
# Capitalised in English although they are not names.
_NOT_NAMES = frozenset(
    {
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "danish",
        "english",
        "teams",
        "microsoft",
        "outlook",
    }
)


@dataclass(frozen=True)
class Flag:
    """A piece of a field that looks like personal data: `kind` and what was found."""

    field: str
    kind: FlagKind
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "kind": self.kind, "text": self.text}

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Flag | None:
        kind = value.get("kind")
        if kind not in ("name", "email", "cpr"):
            return None
        return cls(field=str(value.get("field", "")), kind=kind, text=str(value.get("text", "")))


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int
    sentence_start: bool

    @property
    def capitalised(self) -> bool:
        """ "Anne", "Anne-Marie", "McDonald" — but not acronyms such as "AMK" or "I"."""
        return self.text[0].isupper() and not self.text.isupper()


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    previous_end = 0
    for match in _WORD.finditer(text):
        gap = text[previous_end : match.start()]
        stripped = gap.strip(" \t\"'“”«»()[]")
        first = not tokens and not text[: match.start()].strip(" \t\"'“”«»()[]-•*")
        at_start = first or any(char in _SENTENCE_END for char in stripped) or "\n" in gap
        tokens.append(_Token(match.group(), match.start(), match.end(), bool(at_start)))
        previous_end = match.end()
    return tokens


def _joined(text: str, left: _Token, right: _Token) -> bool:
    """Two tokens belong to one phrase when only spaces separate them."""
    return text[left.end : right.start] in (" ", "  ", "\t")


@dataclass
class NameIndex:
    """Names of people the organisation knows, for matching in free text."""

    full_names: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    parts: set[str] = field(default_factory=set)
    ignored: set[tuple[str, ...]] = field(default_factory=set)

    @classmethod
    def build(cls, names: Iterable[str], ignore: Iterable[str] = ()) -> NameIndex:
        index = cls()
        for name in names:
            words = tuple(word.casefold() for word in _WORD.findall(name))
            if len(words) >= 2:
                index.full_names.setdefault(words[0], []).append(words)
            index.parts.update(word for word in words if len(word) >= 3)
        index.parts -= _PARTICLES | _NOT_NAMES
        for phrase in ignore:
            words = tuple(word.casefold() for word in _WORD.findall(phrase))
            if words:
                index.ignored.add(words)
        return index


def _ignored_spans(tokens: list[_Token], index: NameIndex) -> set[int]:
    """Token positions inside a phrase that is never a person (e.g. a unit's name)."""
    spans: set[int] = set()
    folded = [token.text.casefold() for token in tokens]
    for phrase in index.ignored:
        size = len(phrase)
        for start in range(len(tokens) - size + 1):
            if tuple(folded[start : start + size]) == phrase:
                spans.update(range(start, start + size))
    return spans


def find_personal_data(field_name: str, text: str, index: NameIndex | None = None) -> list[Flag]:
    """Pieces of `text` that look like an e-mail address, a CPR number or a person's name.

    A name is two or more capitalised words in a row that do not merely start a sentence
    (Danish writes nouns in lower case, so such a run is rarely anything else), or a name
    of someone the organisation knows.
    """
    index = index or NameIndex()
    flags: list[Flag] = []
    seen: set[tuple[FlagKind, str]] = set()

    def add(kind: FlagKind, found: str) -> None:
        if (kind, found) not in seen:
            seen.add((kind, found))
            flags.append(Flag(field_name, kind, found))

    for match in _EMAIL.finditer(text):
        add("email", match.group())
    without_email = _EMAIL.sub(lambda m: " " * len(m.group()), text)
    if _CPR.search(without_email):
        add("cpr", "••••••-••••")
    tokens = _tokens(without_email)
    ignored = _ignored_spans(tokens, index)
    folded = [token.text.casefold() for token in tokens]
    flagged: set[int] = set()
    # Names the organisation knows, written in full (any case).
    for position, word in enumerate(folded):
        for name in index.full_names.get(word, []):
            if tuple(folded[position : position + len(name)]) == name:
                last = tokens[position + len(name) - 1]
                add("name", without_email[tokens[position].start : last.end])
                flagged.update(range(position, position + len(name)))
    # Runs of capitalised words (particles such as "van der" may sit inside a run).
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if position in ignored or not token.capitalised or folded[position] in _NOT_NAMES:
            position += 1
            continue
        run = [position]
        cursor = position + 1
        while cursor < len(tokens) and _joined(without_email, tokens[cursor - 1], tokens[cursor]):
            candidate = tokens[cursor]
            if cursor in ignored or folded[cursor] in _NOT_NAMES:
                break
            if candidate.capitalised:
                run.append(cursor)
            elif folded[cursor] not in _PARTICLES:
                break
            cursor += 1
        if tokens[run[0]].sentence_start:
            run = run[1:]
        if len(run) >= 2 and not set(run) <= flagged:
            add("name", without_email[tokens[run[0]].start : tokens[run[-1]].end])
            flagged.update(run)
        elif (
            len(run) == 1
            and run[0] not in flagged
            and folded[run[0]] in index.parts
            and not tokens[run[0]].sentence_start
        ):
            add("name", tokens[run[0]].text)
            flagged.add(run[0])
        position = max(cursor, position + 1)
    return flags


def check_texts(texts: Mapping[str, str], index: NameIndex | None = None) -> list[Flag]:
    """`find_personal_data` over several fields."""
    return [flag for name, text in texts.items() for flag in find_personal_data(name, text, index)]


# -- action-plan items ----------------------------------------------------------------------


class ItemDraft(BaseModel):
    """One action-plan item as entered: what (problem), how (action), who, when."""

    model_config = ConfigDict(frozen=True)

    problem: str
    action: str
    owner_upn: str
    deadline: date
    follow_up_on: date


_ITEM_FIELDS: Final = ("problem", "action", "owner", "deadline", "follow_up")
_EMAIL_ONLY = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def item_field(name: str, row: int | None) -> str:
    """The input id of a field: `problem_2` on a multi-row card, `problem` on a single item."""
    return name if row is None else f"{name}_{row}"


def _parse_date(value: Any) -> date | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse_item(
    value: Mapping[str, Any],
    row: int | None,
    *,
    today: date,
    old_deadline: date | None = None,
) -> tuple[ItemDraft | None, dict[str, str]]:
    """One item of a card: the draft, `{input id: message key}`, or (None, {}) if blank.

    New deadlines may not lie in the past; an unchanged deadline of an edited item may.
    """
    raw = {name: str(value.get(item_field(name, row)) or "").strip() for name in _ITEM_FIELDS}
    if not any(raw.values()):
        return None, {}
    errors: dict[str, str] = {}

    def error(name: str, key: str) -> None:
        errors.setdefault(item_field(name, row), key)

    for name in ("problem", "action"):
        if not raw[name]:
            error(name, f"wellbeing.error.item_{name}")
        elif len(raw[name]) > MAX_ITEM_TEXT:
            error(name, "wellbeing.error.too_long")
    owner = raw["owner"].lower()
    if not _EMAIL_ONLY.match(owner) or len(owner) > 320:
        error("owner", "wellbeing.error.owner")
    deadline = _parse_date(raw["deadline"])
    if deadline is None:
        error("deadline", "wellbeing.error.deadline")
    elif deadline < today and deadline != old_deadline:
        error("deadline", "wellbeing.error.deadline_past")
    elif deadline > today + DATE_RANGE:
        error("deadline", "wellbeing.error.too_far")
        deadline = None
    follow_up = _parse_date(raw["follow_up"]) if raw["follow_up"] else None
    if raw["follow_up"] and follow_up is None:
        error("follow_up", "wellbeing.error.follow_up")
    elif follow_up is not None and follow_up > today + DATE_RANGE:
        error("follow_up", "wellbeing.error.too_far")
    if deadline is not None and follow_up is None and not raw["follow_up"]:
        follow_up = deadline + timedelta(days=DEFAULT_FOLLOW_UP_DAYS)
    if deadline is not None and follow_up is not None and follow_up < deadline:
        error("follow_up", "wellbeing.error.follow_up_before")
    if errors or deadline is None or follow_up is None:
        return None, errors
    return (
        ItemDraft(
            problem=raw["problem"],
            action=raw["action"],
            owner_upn=owner,
            deadline=deadline,
            follow_up_on=follow_up,
        ),
        {},
    )


def parse_items(
    value: Mapping[str, Any], rows: int, *, today: date
) -> tuple[list[ItemDraft], dict[str, str]]:
    """Every filled row of a multi-row items card; blank rows are skipped."""
    drafts: list[ItemDraft] = []
    errors: dict[str, str] = {}
    for row in range(1, rows + 1):
        draft, problems = parse_item(value, row, today=today)
        errors.update(problems)
        if draft is not None:
            drafts.append(draft)
    return drafts, errors


def item_values(value: Mapping[str, Any], rows: int) -> dict[str, str]:
    """The rows' inputs as submitted, to keep them on a card shown again."""
    limits = {"problem": MAX_ITEM_TEXT, "action": MAX_ITEM_TEXT, "owner": 320}
    kept: dict[str, str] = {}
    for row in range(1, rows + 1):
        for name in _ITEM_FIELDS:
            key = item_field(name, row)
            if value.get(key):
                kept[key] = str(value[key])[: limits.get(name, 10)]
    return kept


def item_texts(drafts: Iterable[tuple[int | None, ItemDraft]]) -> dict[str, str]:
    """The items' free text keyed by input id, for `check_texts`."""
    texts: dict[str, str] = {}
    for row, draft in drafts:
        texts[item_field("problem", row)] = draft.problem
        texts[item_field("action", row)] = draft.action
    return texts


def rows_of(value: Any) -> int:
    """How many item rows a card had (ITEM_ROWS_STEP by default, at most MAX_ITEM_ROWS)."""
    try:
        rows = int(str(value))
    except (TypeError, ValueError):
        return ITEM_ROWS_STEP
    return max(1, min(MAX_ITEM_ROWS, rows))


def parse_effect(value: Any) -> Effect | None:
    try:
        return Effect(str(value or "").strip())
    except ValueError:
        return None


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

    @property
    def university_wide(self) -> bool:
        return self.secretariat or self.is_admin

    @property
    def unit_ids(self) -> frozenset[int]:
        """Units where the person holds any role."""
        return self.leader_of | self.amk_of | self.other_units

    def home_unit(self) -> int | None:
        units = self.unit_ids
        return next(iter(units)) if len(units) == 1 else None

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


def utc(day: date) -> datetime:
    """Midnight of `day` in Copenhagen as a UTC moment."""
    return datetime(day.year, day.month, day.day, tzinfo=COPENHAGEN).astimezone(UTC)
