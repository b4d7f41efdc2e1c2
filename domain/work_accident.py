"""Work accidents (arbejdsulykker): who was hurt and how, the EASY report the law asks for and
its deadline, the reminders before it, and who may record what was done about it.

The rules (Arbejdstilsynet, "Hvilke arbejdsulykker skal anmeldes?"; BEK om anmeldelse af
arbejdsulykker § 1): an employee's accident with absence beyond the injury day is reported to
Arbejdstilsynet and the insurer (AES) through EASY within 14 days of the first day of
absence; with no absence but a possible compensation claim, to the insurer (AES) within 14
days of the accident day; otherwise it is only recorded here. Students and guests are not
employees: their accidents are recorded for the university's own statistics. Days are
Copenhagen calendar days (a deadline on a Saturday stays on the Saturday).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Final

from domain.i18n import COPENHAGEN
from domain.near_miss import ActionView, CloseProblem, close_problem
from domain.numbering import yearly_number

NUMBER_PREFIX: Final = "AU"
REPORT_WITHIN: Final = timedelta(days=14)
REMINDER_TIME: Final = time(8, 0)
SMALL_NUMBERS: Final = 3
"""A unit's psychological accidents are counted in the digest only from this many accidents
in its year (no small-number disclosure)."""
FOLLOW_UP_WITHIN: Final = timedelta(days=7)
FOLLOW_UP_REMINDER_BEFORE: Final = timedelta(days=2)
ENTITY: Final = "work_accident"


class InjuredParty(StrEnum):
    """Who was hurt: only employees' accidents are reported in EASY."""

    EMPLOYEE = "employee"
    STUDENT = "student"
    GUEST = "guest"


class ReporterRole(StrEnum):
    """Who tells the bot: the injured person, their leader or the unit's AMK."""

    INJURED = "injured"
    LEADER = "leader"
    AMK = "amk"


class InjuryKind(StrEnum):
    PHYSICAL = "physical"
    PSYCHOLOGICAL = "psychological"
    BOTH = "both"

    @property
    def confidential(self) -> bool:
        """Psychological accidents (threats, violence, krænkende handlinger, traumatic
        events) take the confidential path."""
        return self is not InjuryKind.PHYSICAL


class Claim(StrEnum):
    """Whether a compensation claim is possible; "unsure" counts as possible."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


class EasyDuty(StrEnum):
    """What the law asks to be reported in EASY, and to whom."""

    AUTHORITY_AND_INSURER = "authority_and_insurer"
    INSURER = "insurer"
    NONE = "none"
    NOT_EMPLOYEE = "not_employee"

    @property
    def reported(self) -> bool:
        return self in (EasyDuty.AUTHORITY_AND_INSURER, EasyDuty.INSURER)


class EasyStatus(StrEnum):
    """Where the EASY report stands: owed, filed, judged not to be owed, or never owed."""

    PENDING = "pending"
    FILED = "filed"
    NOT_REQUIRED = "not_required"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True, slots=True)
class EasyDeadline:
    """The duty, the last day to report (None when nothing is reported) and the day the 14
    days are counted from."""

    duty: EasyDuty
    due: date | None = None
    counted_from: date | None = None

    @property
    def status(self) -> EasyStatus:
        return EasyStatus.PENDING if self.duty.reported else EasyStatus.NOT_APPLICABLE


def easy_deadline(
    injured: InjuredParty, accident_day: date, absence_from: date | None, claim: Claim
) -> EasyDeadline:
    """The EASY deadline of an accident on `accident_day` (a Copenhagen date): absence from
    `absence_from` (after the injury day) → 14 days after it, to Arbejdstilsynet and the
    insurer; no absence but a possible claim → 14 days after the accident day, to the
    insurer; otherwise no report (nor for students and guests)."""
    if injured is not InjuredParty.EMPLOYEE:
        return EasyDeadline(EasyDuty.NOT_EMPLOYEE)
    if absence_from is not None and absence_from > accident_day:
        return EasyDeadline(
            EasyDuty.AUTHORITY_AND_INSURER, absence_from + REPORT_WITHIN, absence_from
        )
    if claim is not Claim.NO:
        return EasyDeadline(EasyDuty.INSURER, accident_day + REPORT_WITHIN, accident_day)
    return EasyDeadline(EasyDuty.NONE)


class Reminder(StrEnum):
    """The messages before (and after) an EASY deadline, each sent once."""

    WEEK = "week"
    TWO_DAYS = "two_days"
    LAST_DAY = "last_day"
    OVERDUE = "overdue"


_DAYS_BEFORE: Final = (
    (Reminder.WEEK, 7),
    (Reminder.TWO_DAYS, 2),
    (Reminder.LAST_DAY, 0),
    (Reminder.OVERDUE, -1),
)


def reminder_moment(due: date, reminder: Reminder) -> datetime:
    """08:00 Copenhagen time 7 days, 2 days and 0 days before `due`, and the day after it
    (OVERDUE), as an aware moment."""
    days = dict(_DAYS_BEFORE)[reminder]
    return datetime.combine(due - timedelta(days=days), REMINDER_TIME, tzinfo=COPENHAGEN)


def reminder_owed(due: date, created_at: datetime, now: datetime) -> Reminder | None:
    """The latest reminder whose moment has come by `now` (a bot that was down sends only
    that one, not the stale ones before it). Reminders whose moment lay before the report
    was made are not owed (its first card said as much); a missed deadline always is."""
    owed: Reminder | None = None
    for reminder, _ in _DAYS_BEFORE:
        moment = reminder_moment(due, reminder)
        if moment <= now and (reminder is Reminder.OVERDUE or moment > created_at):
            owed = reminder
    return owed


def too_few_to_show(year_totals: dict[int, int]) -> set[int]:
    """The units whose psychological accidents the digest leaves out: fewer than
    `SMALL_NUMBERS` accidents of any kind in the year."""
    return {unit_id for unit_id, count in year_totals.items() if count < SMALL_NUMBERS}


def follow_up_by(reported_on: date) -> date:
    """The leader follows up with the person within a week of the report."""
    return reported_on + FOLLOW_UP_WITHIN


def follow_up_reminder_moment(by: date) -> datetime:
    """08:00 Copenhagen time two days before the follow-up's last day."""
    return datetime.combine(by - FOLLOW_UP_REMINDER_BEFORE, REMINDER_TIME, tzinfo=COPENHAGEN)


@dataclass(frozen=True, slots=True)
class SupportOffers:
    """The university's support offers after a psychological accident, as configured in
    Danish and English ("" = the catalogue's general text)."""

    da: str = ""
    en: str = ""


def format_number(year: int, sequence: int) -> str:
    """`AU-2026-0007`."""
    return yearly_number(NUMBER_PREFIX, year, sequence)


class Investigation(StrEnum):
    """Where the AMK's investigation stands: nothing recorded yet, causes or corrective
    actions recorded, closed with a conclusion."""

    NOT_STARTED = "not_started"
    UNDER_WAY = "under_way"
    CLOSED = "closed"


def closing_problem(accident: AccidentView, conclusion: str | None) -> CloseProblem | None:
    """Closing the investigation needs a conclusion and no corrective action left open (the
    near miss's rule)."""
    return close_problem(conclusion, accident.open_actions)


@dataclass(frozen=True, slots=True)
class AccidentView:
    """A stored accident as its cards show it (names already resolved)."""

    id: int
    number: str
    unit_id: int
    unit_name: str
    injured: InjuredParty
    reporter_role: ReporterRole
    reporter_name: str | None
    injured_name: str | None
    occurred_at: datetime
    place: str
    description: str
    injury_kind: InjuryKind
    absence_from: date | None
    claim: Claim
    immediate_action: str | None
    witnesses: str | None
    duty: EasyDuty
    easy_due: date | None
    easy_status: EasyStatus
    easy_reference: str | None = None
    easy_filed_on: date | None = None
    not_required_reason: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    name_withheld: bool = False
    follow_up_by: date | None = None
    followed_up_at: datetime | None = None
    followed_up_by: str | None = None
    near_miss_number: str | None = None
    created_at: datetime | None = None
    causes: str | None = None
    conclusion: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    outcome_wanted: bool | None = None
    injured_known: bool = False
    actions: tuple[ActionView, ...] = ()

    @property
    def easy_open(self) -> bool:
        return self.easy_status is EasyStatus.PENDING

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def open_actions(self) -> int:
        return sum(1 for action in self.actions if action.is_open)

    @property
    def investigation(self) -> Investigation:
        if self.closed:
            return Investigation.CLOSED
        if self.causes or self.actions:
            return Investigation.UNDER_WAY
        return Investigation.NOT_STARTED

    @property
    def confidential(self) -> bool:
        return self.injury_kind.confidential

    @property
    def follow_up_open(self) -> bool:
        return self.follow_up_by is not None and self.followed_up_at is None


@dataclass(frozen=True, slots=True)
class Reader:
    """A person reading an accident's card, and their part in it."""

    person_id: int
    is_leader: bool = False
    is_amk: bool = False
    is_secretariat: bool = False
    owned_actions: frozenset[int] = frozenset()

    @property
    def may_investigate(self) -> bool:
        """The unit's AMK investigates (the secretariat may too): causes, corrective actions,
        the conclusion."""
        return self.is_amk or self.is_secretariat

    @property
    def may_read(self) -> bool:
        """Whether the accident's card may be shown to this reader at all."""
        return self.is_leader or self.is_amk or self.is_secretariat

    def may_complete(self, action_id: int) -> bool:
        """An action's owner marks it done, or whoever investigates."""
        return self.may_investigate or action_id in self.owned_actions

    @property
    def may_record_easy(self) -> bool:
        """The unit's leaders and AMKs and the secretariat record what was done in EASY."""
        return self.is_leader or self.is_amk or self.is_secretariat

    @property
    def may_confirm_follow_up(self) -> bool:
        """The leader follows up with the person (the secretariat may record it too)."""
        return self.is_leader or self.is_secretariat

    def sees_name(self, accident: AccidentView) -> bool:
        """Whether the injured person's name is shown to this reader: not to an AMK (who is
        not also the leader or the secretariat) when the person asked to withhold it."""
        return not (
            accident.name_withheld and self.is_amk and not (self.is_leader or self.is_secretariat)
        )
