"""The EASY deadline's reminders: the leader and the AMK at 08:00 Copenhagen time 7 days and
2 days before and on the last day, the secretariat after a missed deadline; each once however
often and from however many processes the job runs, none once the report is recorded, and a
bot that was down sends only the latest one owed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from domain.i18n import COPENHAGEN
from services.work_accident_jobs import WorkAccidentReminders
from storage import jobs
from tests.support.teams import BotUnderTest
from tests.support.work_accident import (
    AMK,
    INJURED,
    LEADER,
    SECRETARIAT,
    accidents,
    cards_to,
    report,
    setup,
    today,
)

FIRST_DAY = today() + timedelta(days=1)
DUE = FIRST_DAY + timedelta(days=14)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=COPENHAGEN)


async def _reported(bot: BotUnderTest) -> int:
    kemi = await setup(bot)
    await report(bot, INJURED, kemi, absence_from=FIRST_DAY.isoformat())
    bot.connector.clear()
    (stored,) = await accidents(bot)
    assert stored.easy_due == DUE
    return stored.id


def _job(bot: BotUnderTest) -> WorkAccidentReminders:
    assert bot.runtime is not None
    return WorkAccidentReminders(bot.runtime.db, bot.runtime.notifier)


def _seen(bot: BotUnderTest) -> dict[str, list[str]]:
    """Which reminder texts each person received, in order."""
    marks = {
        "week": ("om en uge", "in a week"),
        "two_days": ("om to dage", "in two days"),
        "last_day": ("Sidste frist i dag", "Last day today"),
        "overdue": ("er ikke registreret som anmeldt", "is not recorded as reported"),
    }
    seen: dict[str, list[str]] = {}
    for user in (LEADER, AMK, SECRETARIAT, INJURED):
        texts = [message.card_text() for message in cards_to(bot, user)]
        seen[user.name] = [
            name for text in texts for name, words in marks.items() if any(w in text for w in words)
        ]
    return seen


async def test_each_reminder_once_to_the_leader_and_amk_then_the_secretariat(
    bot: BotUnderTest,
) -> None:
    accident_id = await _reported(bot)
    job, other_process = _job(bot), _job(bot)
    week = DUE - timedelta(days=7)
    await job.run(_at(week, 7, 59))
    assert bot.connector.messages() == []
    for moment in (
        _at(week, 8),
        _at(week, 8, 1),
        _at(week + timedelta(days=1), 12),
        _at(DUE - timedelta(days=2), 8),
        _at(DUE - timedelta(days=1), 8),
        _at(DUE, 8),
        _at(DUE, 23, 59),
        _at(DUE + timedelta(days=1), 8),
        _at(DUE + timedelta(days=3), 8),
    ):
        await job.run(moment)
        await other_process.run(moment)
    seen = _seen(bot)
    assert seen[LEADER.name] == ["week", "two_days", "last_day"]
    assert seen[AMK.name] == ["week", "two_days", "last_day"]
    assert seen[SECRETARIAT.name] == ["overdue"]
    assert seen[INJURED.name] == []
    reminder = cards_to(bot, LEADER)[0].card_text()
    assert f"senest {DUE.strftime('%d.%m.%Y')} – om en uge" in reminder
    assert "Anmeldt i EASY" in reminder
    assert bot.runtime is not None
    claim = await jobs.status_of(bot.runtime.db, f"work_accident:{accident_id}:overdue:{DUE}")
    assert claim is not None and claim.status == "done" and claim.result == {"delivered": 1}


async def test_no_reminder_once_the_report_is_recorded(bot: BotUnderTest) -> None:
    accident_id = await _reported(bot)
    job = _job(bot)
    await job.run(_at(DUE - timedelta(days=7), 8))
    assert _seen(bot)[LEADER.name] == ["week"]
    reply = await bot.invoke(
        LEADER,
        "work_accident.filed",
        {
            "accident_id": accident_id,
            "easy_reference": "EASY-42",
            "filed_on": today().isoformat(),
        },
    )
    assert reply.status == 200
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    for moment in (
        _at(DUE - timedelta(days=2), 8),
        _at(DUE, 8),
        _at(DUE + timedelta(days=1), 8),
    ):
        await job.run(moment)
    seen = _seen(bot)
    assert seen[LEADER.name] == ["week"] and seen[SECRETARIAT.name] == []


async def test_a_bot_that_was_down_sends_only_the_latest_reminder_owed(
    bot: BotUnderTest,
) -> None:
    await _reported(bot)
    await _job(bot).run(_at(DUE, 9))
    seen = _seen(bot)
    assert seen[LEADER.name] == ["last_day"] and seen[AMK.name] == ["last_day"]


async def test_the_leader_is_reminded_once_to_follow_up_after_a_psychological_accident(
    bot: BotUnderTest,
) -> None:
    kemi = await setup(bot)
    await report(bot, INJURED, kemi, injury_kind="psychological", absence="no", absence_from="")
    bot.connector.clear()
    (stored,) = await accidents(bot)
    by = today() + timedelta(days=7)
    assert stored.follow_up_by == by
    job = _job(bot)
    await job.run(_at(by - timedelta(days=2), 7, 59))
    assert bot.connector.messages() == []
    for moment in (_at(by - timedelta(days=2), 8), _at(by - timedelta(days=1), 8), _at(by, 8)):
        await job.run(moment)
        await _job(bot).run(moment)
    (reminder,) = cards_to(bot, LEADER)
    assert f"Følg op med den, der kom til skade, senest {by.strftime('%d.%m.%Y')}" in (
        reminder.card_text()
    )
    assert cards_to(bot, AMK) == [] and cards_to(bot, SECRETARIAT) == []


async def test_no_follow_up_reminder_once_the_leader_has_followed_up(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    await report(bot, INJURED, kemi, injury_kind="both", absence="no", absence_from="")
    (stored,) = await accidents(bot)
    reply = await bot.invoke(LEADER, "work_accident.followed_up", {"accident_id": stored.id})
    assert reply.status == 200
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    bot.connector.clear()
    by = today() + timedelta(days=7)
    await _job(bot).run(_at(by - timedelta(days=2), 8))
    assert bot.connector.messages() == []
