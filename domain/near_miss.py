"""Near-miss reports (nærved-hændelser): the follow-up rules, views and figures (the form
and the follow-up inputs are in `domain.near_miss_forms`).

A near miss is an event that could have become an accident but hurt nobody. Anyone may
report one, also anonymously; the unit's work-environment coordinators (AMK) follow it up:
reported → acknowledged → under investigation → actions decided → closed.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Final

from domain.i18n import COPENHAGEN, Lang
from domain.numbering import local_year as local_year
from domain.numbering import yearly_number

NUMBER_PREFIX: Final = "NM"
ENTITY: Final = "near_miss"
MAX_AGE: Final = timedelta(days=366)
MAX_ACTION_AHEAD: Final = timedelta(days=5 * 365)
CLOCK_SKEW: Final = timedelta(minutes=10)
URL_PATTERN: Final = re.compile(r"^https://[^\s/$.?#][^\s]*$", re.IGNORECASE)
REMINDER_TIME: Final = time(8, 0)


class Category(StrEnum):
    """What kind of hazard the event involved."""

    SLIP_TRIP_FALL = "slip_trip_fall"
    HAZARDOUS_SUBSTANCE = "hazardous_substance"
    BIOLOGICAL = "biological"
    ELECTRICAL = "electrical"
    FIRE_EXPLOSION = "fire_explosion"
    MACHINERY_TOOLS = "machinery_tools"
    PRESSURE_GAS = "pressure_gas"
    LIFTING_ERGONOMICS = "lifting_ergonomics"
    TRAFFIC = "traffic"
    LASER_RADIATION = "laser_radiation"
    CRYOGENIC = "cryogenic"
    THREAT_VIOLENCE = "threat_violence"
    OTHER = "other"


class Severity(StrEnum):
    """The potential consequence: what could have happened (mildest first)."""

    MINOR = "minor"
    SERIOUS = "serious"
    VERY_SERIOUS = "very_serious"
    LIFE_THREATENING = "life_threatening"


class Status(StrEnum):
    """Where the follow-up is (in the order it normally moves)."""

    REPORTED = "reported"
    ACKNOWLEDGED = "acknowledged"
    UNDER_INVESTIGATION = "under_investigation"
    ACTIONS_DECIDED = "actions_decided"
    CLOSED = "closed"

    @property
    def is_open(self) -> bool:
        return self is not Status.CLOSED


class ActionStatus(StrEnum):
    """A corrective action (tiltag) is open until its owner marks it done."""

    OPEN = "open"
    DONE = "done"


class Event(StrEnum):
    """What someone does to a report."""

    ACKNOWLEDGE = "acknowledge"
    ASSIGN = "assign"
    ADD_ACTION = "add_action"
    COMPLETE_ACTION = "complete_action"
    CLOSE = "close"


_ORDER: Final = list(Status)
_ALLOWED_FROM: Final[dict[Event, frozenset[Status]]] = {
    Event.ACKNOWLEDGE: frozenset({Status.REPORTED}),
    Event.ASSIGN: frozenset(
        {
            Status.REPORTED,
            Status.ACKNOWLEDGED,
            Status.UNDER_INVESTIGATION,
            Status.ACTIONS_DECIDED,
        }
    ),
    Event.ADD_ACTION: frozenset(
        {Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION, Status.ACTIONS_DECIDED}
    ),
    Event.COMPLETE_ACTION: frozenset({Status.ACTIONS_DECIDED}),
    Event.CLOSE: frozenset(
        {Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION, Status.ACTIONS_DECIDED}
    ),
}
_MOVES_TO: Final[dict[Event, Status]] = {
    Event.ACKNOWLEDGE: Status.ACKNOWLEDGED,
    Event.ASSIGN: Status.UNDER_INVESTIGATION,
    Event.ADD_ACTION: Status.ACTIONS_DECIDED,
    Event.CLOSE: Status.CLOSED,
}


class TransitionError(ValueError):
    """The event is not possible in the report's current status."""

    def __init__(self, status: Status, event: Event) -> None:
        super().__init__(f"{event.value} is not possible when the report is {status.value}")
        self.status = status
        self.event = event


def allowed(status: Status, event: Event) -> bool:
    return status in _ALLOWED_FROM[event]


def transition(status: Status, event: Event) -> Status:
    """The status after `event`; a report never moves backwards (assigning a new
    investigator after actions were decided keeps "actions decided")."""
    if not allowed(status, event):
        raise TransitionError(status, event)
    target = _MOVES_TO.get(event, status)
    return target if _ORDER.index(target) > _ORDER.index(status) else status


class CloseProblem(StrEnum):
    """Why a report cannot be closed yet."""

    NO_CONCLUSION = "no_conclusion"
    OPEN_ACTIONS = "open_actions"


MIN_CONCLUSION: Final = 10
MAX_CONCLUSION: Final = 2000


def close_problem(conclusion: str | None, open_actions: int) -> CloseProblem | None:
    """Closing needs a short conclusion and no corrective action left open."""
    if open_actions > 0:
        return CloseProblem.OPEN_ACTIONS
    if not conclusion or len(conclusion.strip()) < MIN_CONCLUSION:
        return CloseProblem.NO_CONCLUSION
    return None


def format_number(year: int, sequence: int) -> str:
    """The number a reporter can quote: NM-2026-0042 (sequential per year)."""
    return yearly_number(NUMBER_PREFIX, year, sequence)


# -- who may do what ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    """A person as seen from one report: their language and what they are to it."""

    person_id: int
    name: str
    lang: Lang
    teams_id: str | None = None
    is_amk: bool = False
    is_secretariat: bool = False
    is_investigator: bool = False
    owned_actions: frozenset[int] = frozenset()

    @property
    def manages(self) -> bool:
        """AMK of the report's unit, or the secretariat: may do all of the follow-up."""
        return self.is_amk or self.is_secretariat

    @property
    def may_view(self) -> bool:
        return self.manages or self.is_investigator or bool(self.owned_actions)

    def may(self, event: Event, action_id: int | None = None) -> bool:
        if event is Event.ADD_ACTION:
            return self.manages or self.is_investigator
        if event is Event.COMPLETE_ACTION:
            return self.manages or (action_id is not None and action_id in self.owned_actions)
        return self.manages


def reminder_due_at(due: date) -> datetime:
    """Owners are reminded once, at 08:00 Copenhagen time on the due date."""
    return datetime.combine(due, REMINDER_TIME, tzinfo=COPENHAGEN).astimezone(UTC)


# -- what cards and reports show ---------------------------------------------------------------


@dataclass(frozen=True)
class ActionView:
    """A corrective action as shown on cards and in the export."""

    id: int
    description: str
    owner_id: int
    owner_name: str
    due_date: date
    status: ActionStatus
    done_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status is ActionStatus.OPEN


@dataclass(frozen=True)
class ReportFacts:
    """What a report says and where its follow-up stands, with its unit's name: what every
    reading of it shares (`ReportView`, and the report as just stored)."""

    id: int
    number: str
    unit_id: int
    unit_name: str
    anonymous: bool
    occurred_at: datetime
    campus: str
    building: str | None
    room: str | None
    description: str
    category: Category
    severity: Severity
    injury: bool
    immediate_action: str | None
    prevention: str | None
    photo_url: str | None
    status: Status
    created_at: datetime


@dataclass(frozen=True)
class ReportView(ReportFacts):
    """One report with everything a card or the register shows. `reporter_name` is None for
    anonymous reports (and there is nothing else to show)."""

    reporter_name: str | None
    investigator_name: str | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    conclusion: str | None = None
    actions: tuple[ActionView, ...] = ()
    # photos stored with the report (sent in the chat, metadata removed)
    photos: int = 0

    @property
    def open_actions(self) -> int:
        return sum(1 for action in self.actions if action.is_open)

    @property
    def location(self) -> str:
        return ", ".join(part for part in (self.campus, self.building, self.room) if part)


@dataclass(frozen=True)
class ReportSummary:
    """A line in the AMK's list of open reports (never the reporter)."""

    id: int
    number: str
    unit_name: str
    category: Category
    severity: Severity
    status: Status
    created_at: datetime
    open_actions: int


class NoticeKind(StrEnum):
    """Messages a follow-up step sends to other people."""

    NEW_REPORT = "amk"
    INVESTIGATOR = "investigator"
    ACTION_OWNER = "owner"
    REMINDER = "reminder"
    REPORTER_ACKNOWLEDGED = "reporter_acknowledged"
    REPORTER_CLOSED = "reporter_closed"


@dataclass(frozen=True)
class Notice:
    """One message to one person about one report (or one of its actions)."""

    kind: NoticeKind
    person_id: int
    action_id: int | None = None

    def key(self, report_id: int) -> str:
        """Dedupe key of the message: a report's message to a person is sent once. The
        reporter's notices name no one: only a named reporter ever gets them."""
        base = f"{ENTITY}:{report_id}"
        if self.kind is NoticeKind.NEW_REPORT:
            return f"{base}:amk:{self.person_id}"
        if self.kind is NoticeKind.INVESTIGATOR:
            return f"{base}:investigator:{self.person_id}"
        if self.kind is NoticeKind.ACTION_OWNER:
            return f"{base}:action:{self.action_id}:owner"
        if self.kind is NoticeKind.REMINDER:
            return f"{base}:action:{self.action_id}:reminder"
        if self.kind is NoticeKind.REPORTER_ACKNOWLEDGED:
            return f"{base}:reporter:acknowledged"
        return f"{base}:reporter:closed"


def parse_key(key: str) -> tuple[int, str, int | None] | None:
    """`(report_id, kind, person or action id)` of a dedupe key made by `Notice.key`."""
    parts = key.split(":")
    if len(parts) < 3 or parts[0] != ENTITY or not parts[1].isdigit():
        return None
    report_id = int(parts[1])
    if parts[2] in ("amk", "investigator") and len(parts) == 4 and parts[3].isdigit():
        return report_id, parts[2], int(parts[3])
    if parts[2] == "action" and len(parts) == 5 and parts[3].isdigit():
        return report_id, parts[4], int(parts[3])
    if parts[2] == "reporter" and len(parts) == 4:
        return report_id, f"reporter_{parts[3]}", None
    return None


@dataclass(frozen=True)
class FollowUpContext:
    """A report and everyone who has (or had) a part in it, for rendering their cards."""

    report: ReportView
    people: dict[int, Participant]


# -- figures -----------------------------------------------------------------------------------


def quarter_of(moment: datetime) -> tuple[int, int]:
    """(year, quarter) of a moment in Copenhagen time."""
    local = moment.astimezone(COPENHAGEN)
    return local.year, (local.month - 1) // 3 + 1


def median_duration(durations: list[timedelta]) -> timedelta | None:
    if not durations:
        return None
    return timedelta(seconds=statistics.median(d.total_seconds() for d in durations))


@dataclass(frozen=True)
class NearMissStatistics:
    """Counts and times of the reports made in [start, end), for KAMU and the digest."""

    start: datetime
    end: datetime
    total: int
    anonymous: int
    injuries: int
    by_unit: dict[str, int]
    by_category: dict[Category, int]
    by_severity: dict[Severity, int]
    by_status: dict[Status, int]
    by_quarter: dict[tuple[int, int], int]
    acknowledged: int
    closed: int
    median_to_acknowledge: timedelta | None
    median_to_close: timedelta | None
    open_actions: int
    overdue_actions: int
