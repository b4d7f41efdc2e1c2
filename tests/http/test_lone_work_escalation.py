"""An approver who does not answer, on real Danish dates: reminded after 2 and 3 working days,
then the unit's AMK and its other leader are told; weekends and holidays do not count."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from sqlalchemy import select

from domain.i18n import COPENHAGEN
from services.lone_work_jobs import LoneWorkReminders
from storage.lone_work_models import LoneWorkRequest
from storage.models import Person
from tests.http.test_lone_work_http import LISE, MAJA, _only_request, _setup, _to, form
from tests.support.databases import orm_session
from tests.support.fake_connector import Sent
from tests.support.teams import BotUnderTest, make_user

PER = make_user("Per Leder", "per.leder@uni.dk", "en-GB")
ANNA = make_user("Anna Koordinator", "anna.amk@uni.dk", "da-DK")


def _at(day: str, clock: str = "10:30") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=COPENHAGEN)


async def _ask_lise(bot: BotUnderTest, kemi: int) -> LoneWorkRequest:
    """Maja asks, picking Lise of the unit's two leaders."""
    assert bot.runtime is not None
    await bot.say(MAJA, "alenearbejde")
    await bot.submit(MAJA, form(kemi))
    async with orm_session(bot.runtime.db) as session:
        lise = (await session.execute(select(Person.id).where(Person.upn == LISE.upn))).scalar_one()
    await bot.submit(MAJA, {"action": "lone_work.form.send", "approver_id": str(lise)})
    await bot.runtime.background.drain()
    bot.connector.clear()
    request = await _only_request(bot)
    assert request.approver_id == lise
    return request


async def _run(bot: BotUnderTest, moment: datetime) -> list[Sent]:
    assert bot.runtime is not None
    job = next(j for j in bot.runtime.scheduler.jobs if isinstance(j, LoneWorkReminders))
    bot.connector.clear()
    await asyncio.gather(job.run(moment), job.run(moment))
    await bot.runtime.background.drain()
    return bot.connector.messages()


@pytest.mark.now("2027-03-24T10:00+01:00")
async def test_easter_2027_delays_every_step(bot: BotUnderTest) -> None:
    """Asked Wednesday 24 March 2027: Maundy Thursday, Good Friday, the weekend and Easter
    Monday are no working days, so Tuesday 30 March is the first."""
    kemi = await _setup(bot, leaders=[LISE, PER], amk=ANNA)
    await _ask_lise(bot, kemi)

    for quiet in ("2027-03-26", "2027-03-29", "2027-03-30"):
        assert await _run(bot, _at(quiet, "23:00")) == [], quiet

    first = await _run(bot, _at("2027-03-31", "08:00"))
    assert [m.conversation_id for m in first] == [LISE.chat_id]
    assert "Påmindelse: Maja Kemiker har ventet" in first[0].card_text()
    assert await _run(bot, _at("2027-03-31", "16:00")) == []

    second = await _run(bot, _at("2027-04-01", "08:00"))
    assert [m.conversation_id for m in second] == [LISE.chat_id]
    assert "Anden påmindelse" in second[0].card_text()

    told = await _run(bot, _at("2027-04-02", "08:00"))
    assert _to(told, LISE) == [] and _to(told, MAJA) == []
    assert "is waiting for an answer" in _to(told, PER)[0].card_text()
    notice = _to(told, ANNA)[0].card_text()
    assert "har ventet på svar fra Lise Leder" in notice and "to gange" in notice
    assert len(told) == 2
    assert await _run(bot, _at("2027-04-05", "08:00")) == []


@pytest.mark.now("2026-12-23T09:00+01:00")
async def test_christmas_and_new_year_are_not_working_days(bot: BotUnderTest) -> None:
    """Asked Wednesday 23 December 2026: 24, 25 December and the weekend do not count, so the
    first reminder comes Tuesday 29 December; 31 December and 1 January do not count either,
    so the AMK hears on Monday 4 January."""
    kemi = await _setup(bot, leaders=[LISE, PER], amk=ANNA)
    await _ask_lise(bot, kemi)
    assert await _run(bot, _at("2026-12-28", "23:00")) == []
    assert len(await _run(bot, _at("2026-12-29"))) == 1
    assert "Anden påmindelse" in (await _run(bot, _at("2026-12-30")))[0].card_text()
    assert await _run(bot, _at("2027-01-03", "23:00")) == []
    assert {m.conversation_id for m in await _run(bot, _at("2027-01-04"))} == {
        PER.chat_id,
        ANNA.chat_id,
    }


@pytest.mark.now("2026-06-04T10:00+02:00")
async def test_constitution_day_is_not_a_working_day(bot: BotUnderTest) -> None:
    """Asked Thursday 4 June 2026: Grundlovsdag (Friday) and the weekend do not count."""
    kemi = await _setup(bot, leaders=[LISE, PER])
    await _ask_lise(bot, kemi)
    assert await _run(bot, _at("2026-06-08", "23:00")) == []
    assert len(await _run(bot, _at("2026-06-09"))) == 1


@pytest.mark.now("2027-03-24T10:00+01:00")
async def test_a_bot_that_was_down_sends_only_the_latest_reminder(bot: BotUnderTest) -> None:
    kemi = await _setup(bot, leaders=[LISE, PER])
    await _ask_lise(bot, kemi)
    late = await _run(bot, _at("2027-04-01", "12:00"))
    assert len(late) == 1 and "Anden påmindelse" in late[0].card_text()
