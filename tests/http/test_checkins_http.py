"""Lone-work check-ins over HTTP, with the scheduler's clock in the test's hands."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from dialogs.checkins import CheckinModule
from domain.i18n import Lang, format_datetime
from services.checkin_jobs import CheckinJob
from services.lone_work_jobs import LoneWorkExpiry
from storage.checkin_models import CheckinEvent, CheckinSession
from storage.lone_work_models import LoneWorkRequest
from storage.models import AuditEvent
from tests.conftest import DatabaseTarget
from tests.http.test_lone_work_http import LISE, MAJA, OLE, _only_request, _request, _setup, _to
from tests.support.databases import orm_session, orm_transaction
from tests.support.fake_connector import FakeConnector, Sent
from tests.support.teams import BotUnderTest, User, make_user

CARD = "application/vnd.microsoft.card.adaptive"
T0 = datetime.now(UTC).replace(microsecond=0)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _wire(bot: BotUnderTest, clock: Clock) -> CheckinJob:
    """Give the check-in services the test's clock; the scheduler's check-in job."""
    assert bot.runtime is not None
    module = next(m for m in bot.runtime.bot.router.modules if isinstance(m, CheckinModule))
    module.services.clock = clock  # type: ignore[attr-defined]
    return next(j for j in bot.runtime.scheduler.jobs if isinstance(j, CheckinJob))


async def _approved(
    bot: BotUnderTest, *, amk: User | None = None, at: datetime = T0, **changes: str
) -> int:
    """An approved request of Maja's, valid from an hour before `at` for five hours (30-min
    check-ins)."""
    kemi = await _setup(bot, amk=amk)
    await _request(bot, kemi, **changes)
    request = await _only_request(bot)
    reply = await bot.invoke(LISE, "lone_work.approve", {"request_id": request.id})
    assert reply.status == 200
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    async with orm_transaction(bot.runtime.db) as session:
        await session.execute(
            update(LoneWorkRequest)
            .where(LoneWorkRequest.id == request.id)
            .values(starts_at=at - timedelta(hours=1), expires_at=at + timedelta(hours=5))
        )
    bot.connector.clear()
    return request.id


async def _session(bot: BotUnderTest) -> CheckinSession:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return (await session.execute(select(CheckinSession))).scalar_one()


async def _timeline(bot: BotUnderTest) -> list[str]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        rows = await session.scalars(select(CheckinEvent).order_by(CheckinEvent.id))
        return [row.kind for row in rows]


def _cards(sent: list[Sent], user: User) -> list[Sent]:
    return [item for item in _to(sent, user) if item.card]


def _card_reply(reply: Any) -> dict[str, Any]:
    assert reply.status == 200
    assert reply.body["statusCode"] == 200
    assert reply.body["type"] == CARD
    card: dict[str, Any] = reply.body["value"]
    return card


async def test_start_prompt_ok_and_the_next_checkin(bot: BotUnderTest) -> None:
    await _approved(bot)
    clock = Clock(T0)
    job = _wire(bot, clock)
    started = await bot.say(MAJA, "start alenearbejde")
    text = started[0].card_text()
    assert (
        "Alenearbejde i gang" in text and "erstatter aldrig enhedens egne alarmprocedurer" in text
    )
    checkin = await _session(bot)
    assert checkin.interval_minutes == 30 and checkin.due_at == T0 + timedelta(minutes=30)
    again = await bot.say(MAJA, "start alenearbejde")
    assert "allerede alenearbejde i gang" in again[0].card_text()
    bot.connector.clear()

    await job.run(T0 + timedelta(minutes=20))
    assert _cards(bot.connector.messages(), MAJA) == []
    at = T0 + timedelta(minutes=26)
    await asyncio.gather(job.run(at), job.run(at))
    await job.run(at + timedelta(minutes=1))
    prompts = _cards(bot.connector.messages(), MAJA)
    assert len(prompts) == 1 and "Alt OK?" in prompts[0].card_text()

    clock.now = T0 + timedelta(minutes=28)
    card = _card_reply(await bot.invoke(MAJA, "checkin.ok", {"session_id": checkin.id}))
    assert "Tak. Næste tjek senest" in json.dumps(card, ensure_ascii=False)
    checkin = await _session(bot)
    assert checkin.due_at == clock.now + timedelta(minutes=30) and checkin.round == 2
    bot.connector.clear()
    await job.run(T0 + timedelta(minutes=50))
    assert bot.connector.messages() == []
    await job.run(T0 + timedelta(minutes=54))
    assert len(_cards(bot.connector.messages(), MAJA)) == 1
    assert _cards(bot.connector.messages(), LISE) == []
    assert await _timeline(bot) == ["started", "prompt", "ok", "prompt"]


async def test_shorter_interval_is_kept_and_a_longer_one_refused(bot: BotUnderTest) -> None:
    await _approved(bot)
    clock = Clock(T0)
    _wire(bot, clock)
    await bot.say(MAJA, "start lone work")
    checkin = await _session(bot)
    await bot.invoke(MAJA, "checkin.ok", {"session_id": checkin.id, "interval": "15"})
    assert (await _session(bot)).due_at == T0 + timedelta(minutes=15)
    await bot.invoke(MAJA, "checkin.ok", {"session_id": checkin.id, "interval": "240"})
    checkin = await _session(bot)
    assert checkin.interval_minutes == 30 and checkin.due_at == T0 + timedelta(minutes=30)


async def test_start_button_on_the_approved_request(bot: BotUnderTest) -> None:
    request_id = await _approved(bot)
    _wire(bot, Clock(T0))
    mine = _card_reply(await bot.invoke(MAJA, "lone_work.open", {"request_id": request_id}))
    assert '"checkin.start"' in json.dumps(mine)
    card = _card_reply(await bot.invoke(MAJA, "checkin.start", {"request_id": request_id}))
    assert "Alenearbejde i gang" in json.dumps(card, ensure_ascii=False)
    outsider = await bot.invoke(OLE, "checkin.start", {"request_id": request_id})
    assert outsider.status == 200 and "no approved lone work" in json.dumps(outsider.body)


async def test_extend_within_the_approval_then_finish(bot: BotUnderTest) -> None:
    await _approved(bot)
    clock = Clock(T0)
    job = _wire(bot, clock)
    await bot.say(MAJA, "start alenearbejde")
    checkin = await _session(bot)
    ends = checkin.ends_at
    card = _card_reply(
        await bot.invoke(MAJA, "checkin.extend", {"session_id": checkin.id, "extend_minutes": "60"})
    )
    assert "ud over godkendelsens slut" in json.dumps(card, ensure_ascii=False)
    # The request ends at T0 + 5 h, and the session with it: nothing to extend.
    assert ends == T0 + timedelta(hours=5) and (await _session(bot)).ends_at == ends
    bot.connector.clear()
    await job.run(T0 + timedelta(minutes=26))
    assert len(_cards(bot.connector.messages(), MAJA)) == 1
    clock.now = T0 + timedelta(minutes=40)
    card = _card_reply(await bot.invoke(MAJA, "checkin.finish", {"session_id": checkin.id}))
    assert "Alenearbejde afsluttet" in json.dumps(card, ensure_ascii=False)
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    puts = [m for m in bot.connector.sent if m.method == "PUT"]
    assert puts and all("Alenearbejde afsluttet" in m.card_text() for m in puts)
    bot.connector.clear()
    await job.run(T0 + timedelta(hours=2))
    assert bot.connector.messages() == []
    assert (await _session(bot)).open_worker_id is None
    assert await _timeline(bot) == ["started", "prompt", "finished"]
    late = await bot.invoke(MAJA, "checkin.ok", {"session_id": checkin.id})
    assert "Alenearbejde afsluttet" in json.dumps(late.body, ensure_ascii=False)


async def test_extend_moves_the_end_up_to_the_approval(bot: BotUnderTest) -> None:
    await _approved(bot)
    clock = Clock(T0)
    _wire(bot, clock)
    await bot.say(MAJA, "start alenearbejde")
    checkin = await _session(bot)
    assert bot.runtime is not None
    async with orm_transaction(bot.runtime.db) as session:
        await session.execute(
            update(CheckinSession).values(ends_at=T0 + timedelta(hours=4, minutes=30))
        )
    data = {"session_id": checkin.id, "extend_minutes": "120"}
    first = _card_reply(await bot.invoke(MAJA, "checkin.extend", data))
    assert "Forventet slut er nu" in json.dumps(first, ensure_ascii=False)
    assert (await _session(bot)).ends_at == T0 + timedelta(hours=5)
    second = _card_reply(await bot.invoke(MAJA, "checkin.extend", data))
    assert "ud over godkendelsens slut" in json.dumps(second, ensure_ascii=False)


async def test_missed_checkin_escalates_until_someone_handles_it(bot: BotUnderTest) -> None:
    amk = make_user("Anders AMK", "anders@uni.dk")
    await _approved(bot, amk=amk)
    clock = Clock(T0)
    job = _wire(bot, clock)
    await bot.say(MAJA, "start alenearbejde")
    checkin = await _session(bot)
    due = checkin.due_at
    bot.connector.clear()
    await job.run(due - timedelta(minutes=5))
    await job.run(due + timedelta(minutes=5))
    second = due + timedelta(minutes=10)
    await asyncio.gather(job.run(second), job.run(second))
    worker = _cards(bot.connector.messages(), MAJA)
    assert [("Du har ikke svaret" in m.card_text()) for m in worker] == [False, True]
    assert _cards(bot.connector.messages(), LISE) == []

    alarm_at = due + timedelta(minutes=20)
    await asyncio.gather(job.run(alarm_at), job.run(alarm_at))
    await job.run(alarm_at + timedelta(minutes=5))
    for person in (LISE, amk):
        cards = _cards(bot.connector.messages(), person)
        assert len(cards) == 1, person
        text = cards[0].card_text()
        for expected in ("har ikke tjekket ind", "Lyngby, 207, 112", "Destillation", "Vagten"):
            assert expected in text
    await job.run(alarm_at + timedelta(minutes=10))
    assert len(_cards(bot.connector.messages(), LISE)) == 2
    assert len(_cards(bot.connector.messages(), amk)) == 2
    assert len(_cards(bot.connector.messages(), MAJA)) == 2

    refused = await bot.invoke(OLE, "checkin.handle", {"session_id": checkin.id, "alarm": 1})
    assert "Only the approver" in json.dumps(refused.body)
    bot.connector.clear()
    clock.now = alarm_at + timedelta(minutes=12)
    card = _card_reply(
        await bot.invoke(LISE, "checkin.handle", {"session_id": checkin.id, "alarm": 1})
    )
    assert "Lise Leder tager sig af det" in json.dumps(card, ensure_ascii=False)
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    puts = [m for m in bot.connector.sent if m.method == "PUT"]
    assert len(puts) == 4 and all("Lise Leder tager sig af det" in m.card_text() for m in puts)
    told = _cards(bot.connector.messages(), MAJA)
    assert len(told) == 1 and "Lise Leder har set alarmen" in told[0].card_text()
    late = await bot.invoke(amk, "checkin.handle", {"session_id": checkin.id, "alarm": 1})
    assert late.status == 200 and "tager sig allerede af det" in json.dumps(
        late.body, ensure_ascii=False
    )
    bot.connector.clear()
    await job.run(alarm_at + timedelta(minutes=30))
    assert bot.connector.messages() == []
    assert await _timeline(bot) == [
        "started",
        "prompt",
        "reminder",
        "missed",
        "escalated",
        "escalated",
        "handled",
    ]
    async with orm_session(bot.runtime.db) as session:
        audited = list(
            await session.scalars(
                select(AuditEvent.action).where(AuditEvent.action.like("checkin.%"))
            )
        )
    # the timeline's seven steps, and Ole's refused click
    assert len(audited) == 8 and audited.count("checkin.handle.refused") == 1

    # The worker checks in again: the session goes on, the alarm cards say so.
    clock.now = alarm_at + timedelta(minutes=35)
    await bot.invoke(MAJA, "checkin.ok", {"session_id": checkin.id})
    await bot.runtime.background.drain()
    assert (await _session(bot)).status == "active"
    puts = [m for m in bot.connector.sent if m.method == "PUT"]
    assert len(puts) == 4 and all("Alarmen er afblæst" in m.card_text() for m in puts)


async def test_need_help_escalates_at_once(bot: BotUnderTest) -> None:
    await _approved(bot)
    clock = Clock(T0 + timedelta(minutes=3))
    job = _wire(bot, clock)
    await bot.say(MAJA, "start alenearbejde")
    checkin = await _session(bot)
    bot.connector.clear()
    card = _card_reply(await bot.invoke(MAJA, "checkin.help", {"session_id": checkin.id}))
    assert "får besked nu" in json.dumps(card, ensure_ascii=False)
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    alarms = _cards(bot.connector.messages(), LISE)
    assert len(alarms) == 1 and "har bedt om hjælp" in alarms[0].card_text()
    await job.run(clock.now + timedelta(minutes=1))
    assert len(_cards(bot.connector.messages(), LISE)) == 1
    await job.run(clock.now + timedelta(minutes=10))
    assert len(_cards(bot.connector.messages(), LISE)) == 2
    assert await _timeline(bot) == ["started", "help", "escalated", "escalated"]
    other = await bot.invoke(OLE, "checkin.ok", {"session_id": checkin.id})
    assert "someone else's lone work" in json.dumps(other.body)


async def test_no_approved_request_no_session(bot: BotUnderTest) -> None:
    await _setup(bot)
    replies = await bot.say(MAJA, "start alenearbejde")
    assert "intet godkendt alenearbejde" in replies[0].text


async def test_restart_during_an_open_session_sends_each_step_once(
    bot: BotUnderTest,
) -> None:
    await _approved(bot)
    clock = Clock(T0)
    job = _wire(bot, clock)
    await bot.say(MAJA, "start alenearbejde")
    checkin = await _session(bot)
    await job.run(checkin.due_at - timedelta(minutes=4))
    await bot.restart()
    job = _wire(bot, clock)
    await job.run(checkin.due_at - timedelta(minutes=2))
    assert len(_cards(bot.connector.messages(), MAJA)) == 2  # the start card and one prompt
    # Down past the second prompt and the alarm: the second prompt goes out first, and the
    # alarm ten minutes after it.
    back = checkin.due_at + timedelta(minutes=45)
    await job.run(back)
    worker = _cards(bot.connector.messages(), MAJA)
    assert len(worker) == 3 and "Du har ikke svaret" in worker[-1].card_text()
    alarm_at = back + timedelta(minutes=10)
    assert f"inden {format_datetime(Lang.DA, alarm_at)}" in worker[-1].card_text()
    await job.run(alarm_at - timedelta(seconds=1))
    assert _cards(bot.connector.messages(), LISE) == []
    await job.run(alarm_at)
    assert len(_cards(bot.connector.messages(), LISE)) == 1
    assert await _timeline(bot) == ["started", "prompt", "reminder", "missed", "escalated"]
    assert (await _session(bot)).alarm_started_at == alarm_at


async def test_a_bot_down_over_a_whole_checkin_asks_before_it_alarms(bot: BotUnderTest) -> None:
    """Nothing ran from the start until two hours after the check-in was due: the first
    tick back asks the worker (not the leader), with five minutes to answer; the second
    prompt and the alarm follow ten and twenty minutes after that, in that order."""
    await _approved(bot)
    clock = Clock(T0)
    job = _wire(bot, clock)
    await bot.say(MAJA, "start alenearbejde")
    checkin = await _session(bot)
    bot.connector.clear()
    back = checkin.due_at + timedelta(hours=2)
    await job.run(back)
    [prompt] = _cards(bot.connector.messages(), MAJA)
    assert "Alt OK?" in prompt.card_text() and "Du har ikke svaret" not in prompt.card_text()
    answer_by = back + timedelta(minutes=5)
    assert f"senest {format_datetime(Lang.DA, answer_by)}" in prompt.card_text()
    assert _cards(bot.connector.messages(), LISE) == []

    await job.run(answer_by + timedelta(minutes=10) - timedelta(seconds=1))
    assert len(_cards(bot.connector.messages(), MAJA)) == 1
    await job.run(answer_by + timedelta(minutes=10))
    worker = _cards(bot.connector.messages(), MAJA)
    alarm_at = answer_by + timedelta(minutes=20)
    assert len(worker) == 2 and "Du har ikke svaret" in worker[-1].card_text()
    assert f"inden {format_datetime(Lang.DA, alarm_at)}" in worker[-1].card_text()
    assert _cards(bot.connector.messages(), LISE) == []

    await job.run(alarm_at - timedelta(seconds=1))
    assert _cards(bot.connector.messages(), LISE) == []
    await job.run(alarm_at)
    alarms = _cards(bot.connector.messages(), LISE)
    assert len(alarms) == 1 and "har ikke tjekket ind" in alarms[0].card_text()
    assert await _timeline(bot) == ["started", "prompt", "reminder", "missed", "escalated"]
    assert (await _session(bot)).alarm_started_at == alarm_at


async def test_a_late_prompt_answered_in_time_raises_no_alarm(bot: BotUnderTest) -> None:
    """After the bot was down, the worker answers the late prompt: no second prompt and no
    alarm, and the next check-in is one interval from the answer."""
    await _approved(bot)
    clock = Clock(T0)
    job = _wire(bot, clock)
    await bot.say(MAJA, "start alenearbejde")
    checkin = await _session(bot)
    back = checkin.due_at + timedelta(minutes=40)
    await job.run(back)
    clock.now = back + timedelta(minutes=3)
    await bot.invoke(MAJA, "checkin.ok", {"session_id": checkin.id})
    bot.connector.clear()
    await job.run(back + timedelta(minutes=25))
    assert bot.connector.messages() == []
    assert (await _session(bot)).due_at == clock.now + timedelta(minutes=30)
    assert await _timeline(bot) == ["started", "prompt", "ok"]


async def test_two_instances_send_each_step_once(
    bot: BotUnderTest, database_target: DatabaseTarget, connector: FakeConnector
) -> None:
    await _approved(bot)
    clock = Clock(T0)
    job = _wire(bot, clock)
    await bot.say(MAJA, "start alenearbejde")
    checkin = await _session(bot)
    other = BotUnderTest(database_target, connector, admin_upns={"admin@uni.dk"})
    await other.start()
    try:
        other_job = _wire(other, clock)
        connector.clear()
        for minutes in (-5, 10, 20, 30, 40):
            at = checkin.due_at + timedelta(minutes=minutes)
            await asyncio.gather(job.run(at), other_job.run(at), job.run(at))
        assert len(_cards(connector.messages(), MAJA)) == 2
        assert len(_cards(connector.messages(), LISE)) == 3
    finally:
        await other.stop()


@pytest.mark.parametrize("verb", ["checkin.ok", "checkin.help", "checkin.extend", "checkin.finish"])
async def test_card_actions_answer_with_a_card(bot: BotUnderTest, verb: str) -> None:
    await _approved(bot)
    _wire(bot, Clock(T0))
    await bot.say(MAJA, "start alenearbejde")
    checkin = await _session(bot)
    card = _card_reply(await bot.invoke(MAJA, verb, {"session_id": checkin.id}))
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    bad = await bot.invoke(MAJA, verb, {"session_id": "x"})
    assert bad.status == 200


async def test_english_worker_gets_english_cards(bot: BotUnderTest) -> None:
    await _approved(bot)
    clock = Clock(T0)
    job = _wire(bot, clock)
    assert bot.runtime is not None
    await bot.say(MAJA, "language")
    await bot.say(MAJA, "start lone work")
    checkin = await _session(bot)
    bot.connector.clear()
    await job.run(checkin.due_at)
    texts = [m.card_text() for m in _cards(bot.connector.messages(), MAJA)]
    assert texts and ("All OK?" in texts[0] or "Alt OK?" in texts[0])


async def test_emergency_contact_known_on_teams_gets_the_alarm(bot: BotUnderTest) -> None:
    erik = make_user("Erik Nødkontakt", "erik@uni.dk")
    await bot.install_personal(erik)
    await _approved(bot, emergency_name="Erik Nødkontakt")
    clock = Clock(T0)
    _wire(bot, clock)
    await bot.say(MAJA, "start alenearbejde")
    checkin = await _session(bot)
    await bot.invoke(MAJA, "checkin.help", {"session_id": checkin.id})
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    alarms = _cards(bot.connector.messages(), erik)
    assert len(alarms) == 1 and "+45 4525 1234" in alarms[0].card_text()
    card = _card_reply(await bot.invoke(erik, "checkin.handle", {"session_id": checkin.id}))
    assert "Erik Nødkontakt tager sig af det" in json.dumps(card, ensure_ascii=False)


async def test_two_clicks_at_once_change_the_session_once(bot: BotUnderTest) -> None:
    amk = make_user("Anders AMK", "anders@uni.dk")
    request_id = await _approved(bot, amk=amk)
    _wire(bot, Clock(T0))
    starts = await asyncio.gather(
        bot.invoke(MAJA, "checkin.start", {"request_id": request_id}),
        bot.invoke(MAJA, "checkin.start", {"request_id": request_id}),
    )
    assert all(reply.status == 200 for reply in starts)
    checkin = await _session(bot)
    await bot.invoke(MAJA, "checkin.help", {"session_id": checkin.id})
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    data = {"session_id": checkin.id, "alarm": 1}
    replies = await asyncio.gather(
        bot.invoke(LISE, "checkin.handle", data), bot.invoke(amk, "checkin.handle", data)
    )
    shown = [json.dumps(reply.body, ensure_ascii=False) for reply in replies]
    assert sum("tager sig allerede af det" in text for text in shown) == 1
    assert (await _timeline(bot)).count("handled") == 1
    assert (await _timeline(bot)).count("started") == 1


# -- the session ends with its approval -----------------------------------------------------------


async def _timeline_details(bot: BotUnderTest) -> list[tuple[str, dict[str, Any]]]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        rows = await session.scalars(select(CheckinEvent).order_by(CheckinEvent.id))
        return [(row.kind, dict(row.detail)) for row in rows]


async def test_revoking_the_approval_ends_the_session_and_tells_the_worker(
    bot: BotUnderTest,
) -> None:
    request_id = await _approved(bot)
    clock = Clock(T0)
    job = _wire(bot, clock)
    await bot.say(MAJA, "start alenearbejde")
    checkin = await _session(bot)
    await job.run(checkin.due_at - timedelta(minutes=6))  # nothing is asked yet
    bot.connector.clear()

    await bot.invoke(LISE, "lone_work.revoke", {"request_id": request_id, "note": "Ny APV"})
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    told = [m.card_text() for m in _cards(bot.connector.messages(), MAJA)]
    stopped = [text for text in told if "er tilbagekaldt, så jeg har stoppet dine tjek" in text]
    assert len(stopped) == 1 and "Alenearbejde afsluttet" in stopped[0]
    assert '"checkin.ok"' not in json.dumps([m.body for m in _to(bot.connector.sent, MAJA)])
    puts = [m for m in bot.connector.sent if m.method == "PUT" and m.card_text()]
    session_puts = [m for m in puts if "Alenearbejde afsluttet" in m.card_text()]
    assert session_puts  # the start card no longer has buttons
    closed = await _session(bot)
    assert closed.status == "finished" and closed.open_worker_id is None
    assert (await _timeline_details(bot))[-1] == ("finished", {"reason": "revoked"})

    # No alarm for a check-in nobody is asked about any more; the old buttons say it is over.
    bot.connector.clear()
    await job.run(checkin.due_at + timedelta(minutes=30))
    assert bot.connector.messages() == []
    late = await bot.invoke(MAJA, "checkin.ok", {"session_id": checkin.id})
    assert "Alenearbejde afsluttet" in json.dumps(late.body, ensure_ascii=False)
    assert await _timeline(bot) == ["started", "finished"]
    again = await bot.say(MAJA, "start alenearbejde")
    assert "intet godkendt alenearbejde" in again[0].text


async def test_an_expired_approval_ends_the_session_in_the_workers_language(
    bot: BotUnderTest,
) -> None:
    request_id = await _approved(bot)
    clock = Clock(T0)
    job = _wire(bot, clock)
    await bot.say(MAJA, "language")
    await bot.say(MAJA, "start lone work")
    checkin = await _session(bot)
    end = T0 + timedelta(minutes=15)
    assert bot.runtime is not None
    async with orm_transaction(bot.runtime.db) as session:
        await session.execute(
            update(LoneWorkRequest).where(LoneWorkRequest.id == request_id).values(expires_at=end)
        )
    expiry = next(j for j in bot.runtime.scheduler.jobs if isinstance(j, LoneWorkExpiry))
    bot.connector.clear()
    await expiry.run(end - timedelta(seconds=1))
    await job.run(end - timedelta(seconds=1))
    assert _cards(bot.connector.messages(), MAJA) == []
    await expiry.run(end)
    await job.run(end)
    stopped = [
        m.card_text()
        for m in _cards(bot.connector.messages(), MAJA)
        if "has expired, so I have stopped your check-ins" in m.card_text()
    ]
    assert len(stopped) == 1 and "Lone work finished" in stopped[0]
    assert (await _session(bot)).status == "finished"
    assert (await _timeline_details(bot))[-1] == ("finished", {"reason": "expired"})
    bot.connector.clear()
    await job.run(checkin.due_at + timedelta(minutes=30))
    assert _cards(bot.connector.messages(), LISE) == []


async def test_an_approval_ending_during_a_check_in_waits_for_the_answer(
    bot: BotUnderTest,
) -> None:
    """The approval ends while the worker is being asked: the session stays until they
    answer, so an unanswered last check-in still gets its second prompt (and alarm); the
    answer closes it and the worker is told."""
    request_id = await _approved(bot)
    clock = Clock(T0)
    job = _wire(bot, clock)
    await bot.say(MAJA, "start alenearbejde")
    checkin = await _session(bot)
    due = checkin.due_at
    assert bot.runtime is not None
    async with orm_transaction(bot.runtime.db) as session:
        await session.execute(
            update(LoneWorkRequest).where(LoneWorkRequest.id == request_id).values(expires_at=due)
        )
    expiry = next(j for j in bot.runtime.scheduler.jobs if isinstance(j, LoneWorkExpiry))
    await job.run(due - timedelta(minutes=5))  # the prompt
    bot.connector.clear()
    await expiry.run(due)
    await job.run(due)
    assert (await _session(bot)).status == "active"
    await job.run(due + timedelta(minutes=10))
    [reminder] = _cards(bot.connector.messages(), MAJA)
    assert "Du har ikke svaret" in reminder.card_text()

    clock.now = due + timedelta(minutes=12)
    await bot.invoke(MAJA, "checkin.ok", {"session_id": checkin.id})
    bot.connector.clear()
    await job.run(clock.now + timedelta(seconds=30))
    told = [m.card_text() for m in _cards(bot.connector.messages(), MAJA)]
    assert len(told) == 1 and "er udløbet, så jeg har stoppet dine tjek" in told[0]
    assert _cards(bot.connector.messages(), LISE) == []
    assert await _timeline(bot) == ["started", "prompt", "reminder", "ok", "finished"]


async def test_an_alarm_outlives_the_revocation_and_the_session_ends_once_handled(
    bot: BotUnderTest,
) -> None:
    """Revoking an approval never silences a running alarm: the responders still get it; once
    someone handles it, the session ends and the worker is told."""
    request_id = await _approved(bot)
    clock = Clock(T0 + timedelta(minutes=3))
    job = _wire(bot, clock)
    await bot.say(MAJA, "start alenearbejde")
    checkin = await _session(bot)
    await bot.invoke(MAJA, "checkin.help", {"session_id": checkin.id})
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    await bot.invoke(LISE, "lone_work.revoke", {"request_id": request_id, "note": "Ny APV"})
    await bot.runtime.background.drain()
    await job.run(clock.now + timedelta(minutes=10))
    assert (await _session(bot)).status == "alarm"
    assert len(_cards(bot.connector.messages(), LISE)) == 2  # the alarm goes on
    assert not any("tilbagekaldt, så" in m.card_text() for m in bot.connector.messages())

    clock.now += timedelta(minutes=12)
    await bot.invoke(LISE, "checkin.handle", {"session_id": checkin.id, "alarm": 1})
    await bot.runtime.background.drain()
    await job.run(clock.now + timedelta(minutes=1))
    assert (await _session(bot)).status == "finished"
    told = [m.card_text() for m in _cards(bot.connector.messages(), MAJA)]
    assert sum("er tilbagekaldt, så jeg har stoppet dine tjek" in text for text in told) == 1
    assert await _timeline(bot) == [
        "started",
        "help",
        "escalated",
        "escalated",
        "handled",
        "finished",
    ]
