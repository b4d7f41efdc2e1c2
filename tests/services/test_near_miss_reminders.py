"""Action owners are reminded once, at 08:00 Copenhagen time on the due date, however often
and from however many processes the job runs; a failed send is retried, nothing doubled."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from domain.i18n import COPENHAGEN
from services.near_miss import NearMissReminders
from storage import jobs
from storage.near_miss_models import NearMissAction
from tests.support.databases import orm_session
from tests.support.near_miss import AMK, OWNER, REPORTER, report, reports, setup, to
from tests.support.teams import BotUnderTest

DUE = datetime.now(COPENHAGEN).date() + timedelta(days=2)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=COPENHAGEN)


async def _with_action(bot: BotUnderTest, owner: str = OWNER.upn, due: date = DUE) -> int:
    """A report with one corrective action for `owner`, due on `due`; its id."""
    kemi = await setup(bot)
    await report(bot, REPORTER, kemi)
    report_id = (await reports(bot))[0].id
    await bot.invoke(AMK, "near_miss.acknowledge", {"report_id": report_id})
    reply = await bot.invoke(
        AMK,
        "near_miss.action.add",
        {
            "report_id": report_id,
            "action_description": "Sæt spejl op ved rampen",
            "action_owner": owner,
            "action_due": due.isoformat(),
        },
    )
    assert reply.status == 200
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    bot.connector.clear()
    async with orm_session(bot.runtime.db) as session:
        return int((await session.execute(select(NearMissAction.id))).scalar_one())


def _job(bot: BotUnderTest) -> NearMissReminders:
    assert bot.runtime is not None
    return NearMissReminders(bot.runtime.db, bot.runtime.notifier)


def _reminders(bot: BotUnderTest) -> list[str]:
    return [
        m.card_text()
        for m in to(bot.connector.messages(), OWNER)
        if "Reminder: this corrective action is due today" in m.card_text()
    ]


async def test_the_owner_is_reminded_once_on_the_due_date(bot: BotUnderTest) -> None:
    action_id = await _with_action(bot)
    job = _job(bot)
    await job.run(_at(DUE - timedelta(days=1), 12))
    await job.run(_at(DUE, 7, 59))
    assert _reminders(bot) == []
    await job.run(_at(DUE, 8, 0))
    await job.run(_at(DUE, 8, 1))
    await _job(bot).run(_at(DUE, 9))  # another process
    await job.run(_at(DUE + timedelta(days=4), 9))
    reminders = _reminders(bot)
    assert len(reminders) == 1
    assert "Sæt spejl op ved rampen" in reminders[0]
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        action = await session.get(NearMissAction, action_id)
    assert action is not None and action.reminded_at is not None
    claim = await jobs.status_of(bot.runtime.db, f"near_miss:reminder:action:{action_id}")
    assert claim is not None and claim.status == "done" and claim.result == {"delivered": True}


async def test_an_action_done_in_time_is_not_reminded(bot: BotUnderTest) -> None:
    action_id = await _with_action(bot)
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        report_id = (await session.get(NearMissAction, action_id)).report_id  # type: ignore[union-attr]
    done = await bot.invoke(
        OWNER, "near_miss.action.done", {"report_id": report_id, "action_id": action_id}
    )
    assert done.status == 200
    await _job(bot).run(_at(DUE, 9))
    assert _reminders(bot) == []


async def test_a_late_start_reminds_with_the_date_that_passed(bot: BotUnderTest) -> None:
    await _with_action(bot)
    await _job(bot).run(_at(DUE + timedelta(days=3), 10))
    late = [
        m.card_text() for m in to(bot.connector.messages(), OWNER) if "was due" in m.card_text()
    ]
    assert len(late) == 1 and DUE.strftime("%d %b %Y") in late[0]


async def test_a_failed_send_is_retried_on_the_next_tick_and_sent_once(bot: BotUnderTest) -> None:
    action_id = await _with_action(bot)
    bot.connector.fail_next.append((400, {}))
    job = _job(bot)
    await job.run(_at(DUE, 8, 0))
    assert _reminders(bot) == []
    assert bot.runtime is not None
    claim = await jobs.status_of(bot.runtime.db, f"near_miss:reminder:action:{action_id}")
    assert claim is not None and claim.status == "failed"
    await job.run(_at(DUE, 8, 1))
    await job.run(_at(DUE, 8, 2))
    assert len(_reminders(bot)) == 1


async def test_an_owner_without_a_chat_is_not_retried_forever(bot: BotUnderTest) -> None:
    action_id = await _with_action(bot, owner="ny.ejer@uni.dk")
    job = _job(bot)
    await job.run(_at(DUE, 8))
    await job.run(_at(DUE, 9))
    assert bot.runtime is not None
    claim = await jobs.status_of(bot.runtime.db, f"near_miss:reminder:action:{action_id}")
    assert claim is not None and claim.status == "done" and claim.result == {"delivered": False}
    assert [m for m in bot.connector.messages() if m.card] == []
