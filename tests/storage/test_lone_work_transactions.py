"""What the lone-work flow costs the database: the reads of each step share one transaction,
lists and the expiry job read people and units once however many requests they show."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from services.lone_work_jobs import LoneWorkExpiry
from storage.lone_work_models import LoneWorkRequest
from tests.http.test_lone_work_http import LISE, MAJA, _request, _setup, form
from tests.support.databases import orm_session
from tests.support.teams import BotUnderTest, make_user
from tests.support.transaction_log import recorded

UNIT_OR_ROLES = r"\bFROM unit\b|\brole_assignment\b"
PEOPLE_BY_ID = r"FROM person WHERE person\.id IN"


async def _requests(bot: BotUnderTest) -> list[LoneWorkRequest]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list((await session.scalars(select(LoneWorkRequest))).all())


async def test_each_step_reads_units_and_approvers_in_one_transaction(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    assert bot.runtime is not None
    with recorded(bot.runtime.db) as log:
        shown = await bot.say(MAJA, "alenearbejde")
    assert "Kemi" in shown[0].card_text()
    assert len(log.touching(UNIT_OR_ROLES)) == 1

    with recorded(bot.runtime.db) as log:
        summary = await bot.submit(MAJA, form(kemi))
    assert "Tjek din anmodning" in summary[0].card_text()
    assert "Kemi" in summary[0].card_text()
    assert len(log.touching(UNIT_OR_ROLES)) == 1
    assert log.count(UNIT_OR_ROLES) == 1, "the unit and its approvers come in one query"

    with recorded(bot.runtime.db) as log:
        sent = await bot.submit(MAJA, {"action": "lone_work.form.send"})
        await bot.runtime.background.drain()
    assert any("er sendt til Lise Leder" in item.text for item in sent)
    (submitting,) = log.touching(r"INSERT INTO lone_work_request")
    assert submitting.touches(r"\brole_assignment\b"), "the approvers are read in the submit"
    assert log.touching(r"\brole_assignment\b") == [submitting]
    assert submitting.count(r"\bFROM unit\b") == 1, "the unit is read once, with the approvers"


async def test_a_wrong_approver_choice_stores_nothing_and_asks_again(bot: BotUnderTest) -> None:
    kemi = await _setup(bot, leaders=[LISE, make_user("Lars Leder", "lars@uni.dk")])
    await bot.say(MAJA, "alenearbejde")
    await bot.submit(MAJA, form(kemi))
    wrong = await bot.submit(MAJA, {"action": "lone_work.form.send", "approver_id": "999999"})
    assert "Vælg hvem der skal godkende." in wrong[0].card_text()
    assert await _requests(bot) == []
    assert not [m for m in bot.connector.messages() if m.conversation_id != MAJA.chat_id]


async def test_a_list_reads_people_and_units_once(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    for _ in range(3):
        await _request(bot, kemi)
    assert bot.runtime is not None
    with recorded(bot.runtime.db) as log:
        mine = await bot.say(MAJA, "mine")
    text = mine[0].card_text()
    assert all(request.number in text for request in await _requests(bot))
    assert log.count(PEOPLE_BY_ID) == 1
    assert log.count(r"\bFROM unit\b") == 1


async def test_expiry_reads_the_people_once(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    for _ in range(2):
        await _request(bot, kemi)
    requests = await _requests(bot)
    for request in requests:
        await bot.invoke(LISE, "lone_work.approve", {"request_id": request.id})
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    bot.connector.clear()
    job = next(j for j in bot.runtime.scheduler.jobs if isinstance(j, LoneWorkExpiry))
    with recorded(bot.runtime.db) as log:
        await job.run(max(r.expires_at for r in requests) + timedelta(minutes=1))
    assert {r.status for r in await _requests(bot)} == {"expired"}
    puts = [item for item in bot.connector.sent if item.method == "PUT"]
    assert len(puts) == 4 and all("Udløbet" in item.card_text() for item in puts)
    (expiring,) = log.touching(r"UPDATE lone_work_request")
    assert expiring.count(PEOPLE_BY_ID) == 1
    assert expiring.count(r"\bFROM unit\b") == 1
