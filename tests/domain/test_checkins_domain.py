"""Check-in rules: intervals, due times, the steps owed, escalation rounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.checkins import (
    DEFAULT_INTERVAL_MINUTES,
    SessionStatus,
    Step,
    alarm_due,
    alarm_round,
    allowed_interval,
    answer_by,
    check_underway,
    expected_end,
    interval_choices,
    next_due,
    step_due,
)
from domain.i18n import COPENHAGEN, Lang, catalogue_keys, t

T0 = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)  # 17.00 in Copenhagen


def test_interval_comes_from_the_approval_and_only_goes_down() -> None:
    assert allowed_interval(None) == DEFAULT_INTERVAL_MINUTES == 60
    assert allowed_interval(30) == 30
    assert allowed_interval(30, 15) == 15
    assert allowed_interval(30, 90) == 30
    assert allowed_interval(30, 1) == 5
    assert interval_choices(45)[-1] == 45 and max(interval_choices(None)) == 60


def test_next_checkin_is_never_after_the_expected_end() -> None:
    assert next_due(T0, 30, T0 + timedelta(hours=2)) == T0 + timedelta(minutes=30)
    assert next_due(T0, 30, T0 + timedelta(minutes=10)) == T0 + timedelta(minutes=10)
    # Past the end (the worker stayed on): one interval from now.
    assert next_due(T0, 30, T0 - timedelta(minutes=1)) == T0 + timedelta(minutes=30)


def test_expected_end_of_single_and_recurring_arrangements() -> None:
    expires = T0 + timedelta(days=200)
    assert expected_end(now=T0, expires_at=T0 + timedelta(hours=3), window_end=None) == (
        T0 + timedelta(hours=3)
    )
    end = expected_end(now=T0, expires_at=expires, window_end="22:00")
    assert end.astimezone(COPENHAGEN).strftime("%Y-%m-%d %H:%M") == "2026-12-01 22:00"
    late = T0 + timedelta(hours=6)  # 23.00, after the window
    assert expected_end(now=late, expires_at=expires, window_end="22:00") == late + timedelta(
        hours=4
    )
    assert expected_end(now=T0, expires_at=T0 + timedelta(hours=1), window_end="22:00") == (
        T0 + timedelta(hours=1)
    )


def test_steps_on_time_follow_the_due_time() -> None:
    due = T0 + timedelta(minutes=30)

    def step(minutes: int, **sent: datetime) -> Step:
        return step_due(
            status=SessionStatus.ACTIVE, due_at=due, now=due + timedelta(minutes=minutes), **sent
        )[0]

    prompted = due - timedelta(minutes=5)
    reminded = due + timedelta(minutes=10)
    assert step(-6) is Step.NOTHING
    assert step(-5) is Step.PROMPT
    assert step(9, prompted_at=prompted) is Step.NOTHING
    assert step(10, prompted_at=prompted) is Step.REMINDER
    assert step(19, prompted_at=prompted, reminded_at=reminded) is Step.NOTHING
    assert step_due(
        status=SessionStatus.ACTIVE,
        due_at=due,
        now=due + timedelta(minutes=20),
        prompted_at=prompted,
        reminded_at=reminded,
    ) == (Step.ALARM, due + timedelta(minutes=20))
    assert step_due(status=SessionStatus.ALARM, due_at=due, now=due)[0] is Step.NOTHING
    assert step_due(status=SessionStatus.HANDLED, due_at=due, now=due)[0] is Step.NOTHING


def test_a_bot_that_was_down_asks_first_and_alarms_at_most_25_minutes_later() -> None:
    """Down from before the prompt until two hours after the check-in was due: the first
    tick sends the prompt (not the alarm), the worker has until five minutes later, the
    second prompt follows ten minutes after that and the alarm ten minutes later again."""
    due = T0 + timedelta(minutes=30)
    back = due + timedelta(hours=2)

    def owed(now: datetime, **sent: datetime) -> tuple[Step, datetime | None]:
        return step_due(status=SessionStatus.ACTIVE, due_at=due, now=now, **sent)

    assert owed(back) == (Step.PROMPT, due - timedelta(minutes=5))
    assert answer_by(due, back) == back + timedelta(minutes=5)
    assert owed(back + timedelta(minutes=14), prompted_at=back)[0] is Step.NOTHING
    reminder = back + timedelta(minutes=15)
    assert owed(reminder, prompted_at=back) == (Step.REMINDER, reminder)
    assert alarm_due(due, back, reminder) == back + timedelta(minutes=25)
    assert owed(back + timedelta(minutes=24), prompted_at=back, reminded_at=reminder) == (
        Step.NOTHING,
        None,
    )
    assert owed(back + timedelta(minutes=25), prompted_at=back, reminded_at=reminder) == (
        Step.ALARM,
        back + timedelta(minutes=25),
    )


def test_a_missed_second_prompt_is_sent_before_the_alarm() -> None:
    """Prompted on time, down over the second prompt and the alarm: the second prompt goes
    out at the first tick back, the alarm ten minutes after it."""
    due = T0 + timedelta(minutes=30)
    prompted = due - timedelta(minutes=5)
    back = due + timedelta(minutes=45)
    owed = step_due(status=SessionStatus.ACTIVE, due_at=due, now=back, prompted_at=prompted)
    assert owed == (Step.REMINDER, due + timedelta(minutes=10))
    assert step_due(
        status=SessionStatus.ACTIVE,
        due_at=due,
        now=back + timedelta(minutes=10),
        prompted_at=prompted,
        reminded_at=back,
    ) == (Step.ALARM, back + timedelta(minutes=10))


def test_alarm_rounds_every_ten_minutes() -> None:
    assert alarm_round(started_at=T0, now=T0) == 1
    assert alarm_round(started_at=T0, now=T0 + timedelta(minutes=9, seconds=59)) == 1
    assert alarm_round(started_at=T0, now=T0 + timedelta(minutes=10)) == 2
    assert alarm_round(started_at=T0, now=T0 - timedelta(minutes=1)) == 1


def test_texts_exist_in_both_languages() -> None:
    keys = [key for key in catalogue_keys() if key.startswith("checkins.")]
    assert len(keys) > 40
    for key in keys:
        assert t(Lang.DA, key, **_blank(key)) != t(Lang.EN, key, **_blank(key)) or key in {
            "checkins.fact.interval",
            "checkins.title.prompt",
        }


def _blank(key: str) -> dict[str, str]:
    from domain.i18n import placeholders

    return {name: "x" for name in placeholders(key)[0]}


def test_a_check_in_is_underway_from_the_prompt_on() -> None:
    due = T0 + timedelta(minutes=30)
    assert not check_underway(due, due - timedelta(minutes=5, seconds=1))
    assert check_underway(due, due - timedelta(minutes=5))
    assert check_underway(due, due + timedelta(hours=1))
