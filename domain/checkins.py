"""Lone-work check-ins (the bot as a digital buddy): session states, due times, escalation.

A session belongs to one approved lone-work request. The worker is asked "All OK?" shortly
before each check-in is due; a check-in not answered within the grace period gets a second
prompt, and one grace period later the session is in alarm: the approver, the unit's AMKs
(and the emergency contact when the bot knows them) get a card every `REPEAT` until someone
presses "I am handling it". "Need help" starts the alarm at once. The bot supplements, never
replaces, the unit's own alarm arrangements.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Final

from pydantic import BaseModel, ConfigDict

from domain.i18n import COPENHAGEN

DEFAULT_INTERVAL_MINUTES: Final = 60
MIN_INTERVAL_MINUTES: Final = 5
PROMPT_LEAD: Final = timedelta(minutes=5)
GRACE: Final = timedelta(minutes=10)
REPEAT: Final = timedelta(minutes=10)
# An alarm card not delivered this long into its round passes its reader over.
UNREACHED_AFTER: Final = timedelta(minutes=1)
EXTEND_CHOICES: Final = (30, 60, 120)
INTERVAL_CHOICES: Final = (5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240)
FALLBACK_LENGTH: Final = timedelta(hours=4)


class SessionStatus(StrEnum):
    ACTIVE = "active"
    ALARM = "alarm"
    HANDLED = "handled"
    FINISHED = "finished"

    @property
    def is_open(self) -> bool:
        return self is not SessionStatus.FINISHED


class AlarmReason(StrEnum):
    MISSED = "missed"
    HELP = "help"


class Step(StrEnum):
    """What the scheduler owes a session at a given moment."""

    NOTHING = "nothing"
    PROMPT = "prompt"
    REMINDER = "reminder"
    ALARM = "alarm"


class EventKind(StrEnum):
    """Entries of a session's timeline."""

    STARTED = "started"
    PROMPT = "prompt"
    REMINDER = "reminder"
    OK = "ok"
    EXTENDED = "extended"
    MISSED = "missed"
    HELP = "help"
    ESCALATED = "escalated"
    HANDLED = "handled"
    FINISHED = "finished"


def allowed_interval(approved: int | None, wanted: int | None = None) -> int:
    """The check-in interval: the approval's (or the default), shorter if the worker wants."""
    ceiling = approved or DEFAULT_INTERVAL_MINUTES
    if wanted is None:
        return ceiling
    return max(MIN_INTERVAL_MINUTES, min(ceiling, wanted))


def interval_choices(approved: int | None) -> list[int]:
    ceiling = approved or DEFAULT_INTERVAL_MINUTES
    choices = [minutes for minutes in INTERVAL_CHOICES if minutes <= ceiling]
    if ceiling not in choices:
        choices.append(ceiling)
    return sorted(choices)


def next_due(now: datetime, interval_minutes: int, ends_at: datetime) -> datetime:
    """The next check-in: one interval from now, but no later than the expected end."""
    candidate = now + timedelta(minutes=interval_minutes)
    if ends_at > now:
        return min(candidate, ends_at)
    return candidate


def expected_end(
    *,
    now: datetime,
    expires_at: datetime,
    window_end: str | None,
) -> datetime:
    """When a session started now is expected to end: today's window end for a recurring
    arrangement (else `FALLBACK_LENGTH` from now), never after the approval expires."""
    end = expires_at
    if window_end:
        hours, minutes = (int(part) for part in window_end.split(":"))
        today: date = now.astimezone(COPENHAGEN).date()
        local_end = datetime.combine(today, time(hours, minutes), tzinfo=COPENHAGEN)
        candidate = local_end.astimezone(UTC)
        if candidate <= now:
            candidate = now + FALLBACK_LENGTH
        end = min(end, candidate)
    return end


def answer_by(due_at: datetime, prompted_at: datetime) -> datetime:
    """When the worker must answer a prompt: the check-in's due time, or, for a prompt sent
    late (the bot was down), `PROMPT_LEAD` after it was sent, the time an on-time prompt
    gives."""
    return max(due_at, prompted_at + PROMPT_LEAD)


def alarm_due(due_at: datetime, prompted_at: datetime, reminded_at: datetime) -> datetime:
    """When an unanswered check-in raises the alarm: `GRACE` after the answer-by time's
    second prompt, and never sooner than `GRACE` after the second prompt was really sent."""
    return max(answer_by(due_at, prompted_at) + 2 * GRACE, reminded_at + GRACE)


def step_due(
    *,
    status: SessionStatus,
    due_at: datetime,
    now: datetime,
    prompted_at: datetime | None = None,
    reminded_at: datetime | None = None,
) -> tuple[Step, datetime | None]:
    """The next step owed to an active session at `now`, with the moment it became owed.

    The steps go out in order, each timed from the one before as it was really sent: the
    prompt `PROMPT_LEAD` before the check-in is due, the second prompt `GRACE` after the
    answer-by time (`answer_by`), the alarm `GRACE` after that (`alarm_due`). On time, that
    is due - 5 min, due + 10 min and due + 20 min. A bot that was down sends the first step
    it missed at its first tick back and the rest follow on the same schedule, so a worker
    is never alarmed about a question they were not asked, and the alarm comes at the
    latest `PROMPT_LEAD + 2 * GRACE` (25 minutes) after the bot is back."""
    if status is not SessionStatus.ACTIVE:
        return Step.NOTHING, None
    if prompted_at is None and reminded_at is None:
        at = due_at - PROMPT_LEAD
        return (Step.PROMPT, at) if now >= at else (Step.NOTHING, None)
    asked = prompted_at or reminded_at
    assert asked is not None
    if reminded_at is None:
        at = answer_by(due_at, asked) + GRACE
        return (Step.REMINDER, at) if now >= at else (Step.NOTHING, None)
    at = alarm_due(due_at, asked, reminded_at)
    return (Step.ALARM, at) if now >= at else (Step.NOTHING, None)


def check_underway(due_at: datetime, now: datetime) -> bool:
    """Whether the worker is being asked (or is about to be): from the prompt's time on, until
    they answer. A session whose approval ends closes only when no check-in is underway, so a
    worker who stops answering in the last minutes still raises the alarm."""
    return now >= due_at - PROMPT_LEAD


def alarm_round(*, started_at: datetime, now: datetime) -> int:
    """Escalation round due now (1 at the start, one more every `REPEAT`)."""
    if now < started_at:
        return 1
    return int((now - started_at) / REPEAT) + 1


def round_started(*, started_at: datetime, round: int) -> datetime:
    """When escalation round `round` of an alarm that started at `started_at` began."""
    return started_at + (round - 1) * REPEAT


class SessionView(BaseModel):
    """Everything a check-in card shows about one session (names resolved, no ORM)."""

    model_config = ConfigDict(frozen=True)

    id: int
    request_id: int
    number: str
    worker: str
    worker_id: int
    unit: str
    unit_id: int
    task: str
    location: str
    emergency_name: str
    emergency_phone: str
    interval_minutes: int
    max_interval_minutes: int
    started_at: datetime
    ends_at: datetime
    limit_at: datetime
    due_at: datetime
    round: int
    status: SessionStatus
    alarm_seq: int = 0
    alarm_reason: AlarmReason | None = None
    alarm_started_at: datetime | None = None
    last_ok_at: datetime | None = None
    handled_by: str | None = None
    handled_at: datetime | None = None
    finished_at: datetime | None = None
    # What the worker's prompt and second prompt show (a late prompt moves them).
    answer_by: datetime | None = None
    alarm_at: datetime | None = None
