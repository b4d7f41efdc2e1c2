"""A leader with no chat with the bot gets the approval card anyway: the bot installs itself
for them through the (fake) Graph, Teams reports the new chat, and the card goes out once,
over HTTP against the fake Bot Connector and the fake Graph."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.reach import WaitingForChats
from domain.i18n import COPENHAGEN
from domain.org import OrgFile
from storage import org
from storage.audit import audited
from storage.models import Unit, utcnow
from tests.conftest import DatabaseTarget
from tests.support import near_miss
from tests.support.fake_connector import FakeConnector, Sent
from tests.support.fake_graph import FakeGraph
from tests.support.teams import BotUnderTest, User, make_user

MAJA = make_user("Maja Kemiker", "maja@uni.dk")
LISE = make_user("Lise Leder", "lise@uni.dk")
OLE = make_user("Ole Amk", "ole@uni.dk")


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


def _bot(database: DatabaseTarget, connector: FakeConnector, graph: FakeGraph) -> BotUnderTest:
    return BotUnderTest(database, connector, admin_upns={"admin@uni.dk"}, graph=graph.settings())


@pytest.fixture
async def bot_with_graph(
    database_target: DatabaseTarget, connector: FakeConnector, graph: FakeGraph
) -> AsyncIterator[BotUnderTest]:
    under_test = _bot(database_target, connector, graph)
    await under_test.start()
    try:
        yield under_test
    finally:
        await under_test.stop()


def _waits(bot: BotUnderTest) -> list[float]:
    """Record the pauses the bot's Graph client asks for instead of sleeping them."""
    assert bot.runtime is not None and bot.runtime.notifier.opener is not None
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    bot.runtime.notifier.opener.installer.graph.sleep = record
    return waits


async def _setup(bot: BotUnderTest, graph: FakeGraph) -> int:
    """Kemi: Lise leads it and has never opened the bot; Maja and the AMK Ole have."""
    assert bot.runtime is not None
    unit: dict[str, Any] = {
        "name": "Kemi",
        "leader": [{"upn": LISE.upn, "aad_object_id": LISE.aad, "name": LISE.name}],
        "amk": [{"upn": OLE.upn, "aad_object_id": OLE.aad}],
    }
    async with audited(bot.runtime.db) as connection:
        await org.import_org(connection, OrgFile.model_validate({"units": [unit]}), actor="test")
        kemi = (await connection.execute(select(Unit.id).where(Unit.name == "Kemi"))).scalar_one()
    for user in (MAJA, OLE):
        await bot.install_personal(user)
    graph.users.update({user.aad: user.chat_id for user in (MAJA, LISE, OLE)})
    graph.installed.update({MAJA.aad, OLE.aad})
    bot.connector.clear()
    return int(kemi)


def _day(offset: int) -> str:
    return (datetime.now(COPENHAGEN).date() + timedelta(days=offset)).isoformat()


async def _request(bot: BotUnderTest, kemi: int) -> list[Sent]:
    await bot.say(MAJA, "alenearbejde")
    await bot.submit(
        MAJA,
        {
            "action": "lone_work.form.next",
            "unit_id": str(kemi),
            "task": "Destillation af opløsningsmidler",
            "campus": "Lyngby",
            "building": "207",
            "room": "112",
            "schedule": "single",
            "start_date": _day(3),
            "start_time": "18:00",
            "end_date": _day(3),
            "end_time": "22:00",
            "hazards": "chemicals",
            "mitigations": "check_in",
            "checkin_person": "Vagten",
            "checkin_interval": "30",
            "emergency_name": "Vagten",
            "emergency_phone": "+45 4525 1234",
            "trained": "true",
            "adult": "true",
            "affiliation": "employee",
        },
    )
    replies = await bot.submit(MAJA, {"action": "lone_work.form.send"})
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    return replies


def _approvals(connector: FakeConnector, user: User) -> list[Sent]:
    return [
        sent
        for sent in connector.messages()
        if sent.conversation_id == user.chat_id and "lone_work.approve" in sent.card_text()
    ]


async def _teams_reports_the_chat(bot: BotUnderTest, user: User) -> None:
    """What Teams sends after the installation: the bot added to the person's chat."""
    await bot.install_personal(user)
    assert bot.runtime is not None
    await bot.runtime.background.drain()


async def test_leader_without_chat_gets_the_card_after_the_bot_installs_itself(
    bot_with_graph: BotUnderTest, graph: FakeGraph
) -> None:
    bot = bot_with_graph
    kemi = await _setup(bot, graph)
    replies = await _request(bot, kemi)
    assert any("er sendt til Lise Leder" in reply.text for reply in replies)
    assert [call.path for call in graph.installations()] == [
        f"/v1.0/users/{LISE.aad}/teamwork/installedApps"
    ]
    assert _approvals(bot.connector, LISE) == []
    await _teams_reports_the_chat(bot, LISE)
    [approval] = _approvals(bot.connector, LISE)
    assert "Maja Kemiker" in approval.card_text()
    # the same event again (Teams repeats itself) sends nothing more
    await _teams_reports_the_chat(bot, LISE)
    assert len(_approvals(bot.connector, LISE)) == 1


async def test_two_instances_and_a_restart_deliver_the_waiting_card_once(
    database_target: DatabaseTarget,
    connector: FakeConnector,
    graph: FakeGraph,
    bot_with_graph: BotUnderTest,
) -> None:
    first = bot_with_graph
    kemi = await _setup(first, graph)
    await _request(first, kemi)
    await first.restart()
    second = _bot(database_target, connector, graph)
    await second.start()
    try:
        assert first.runtime is not None
        later = utcnow() + timedelta(minutes=5)
        await asyncio.gather(
            _teams_reports_the_chat(second, LISE),
            WaitingForChats(first.runtime.notifier.opener).run(later),  # type: ignore[arg-type]
        )
        assert second.runtime is not None
        await WaitingForChats(second.runtime.notifier.opener).run(later)  # type: ignore[arg-type]
        assert len(_approvals(connector, LISE)) == 1
    finally:
        await second.stop()


async def test_without_the_event_a_scheduler_round_finds_the_chat_through_graph(
    bot_with_graph: BotUnderTest, graph: FakeGraph
) -> None:
    bot = bot_with_graph
    kemi = await _setup(bot, graph)
    graph.installed.add(LISE.aad)  # installed before: Graph answers 409 and Teams sends nothing
    await _request(bot, kemi)
    assert graph.installations() == []
    [approval] = _approvals(bot.connector, LISE)
    assert graph.graph_calls("GET", f"/installation-{LISE.aad}/chat")
    assert "Maja Kemiker" in approval.card_text()


async def test_a_graph_throttling_storm_is_waited_out(
    bot_with_graph: BotUnderTest, graph: FakeGraph
) -> None:
    bot = bot_with_graph
    waits = _waits(bot)
    kemi = await _setup(bot, graph)
    graph.throttle(5, "30")
    await _request(bot, kemi)
    assert waits == [30.0] * 5
    assert len(graph.installations()) == 1
    await _teams_reports_the_chat(bot, LISE)
    assert len(_approvals(bot.connector, LISE)) == 1


async def test_a_person_the_bot_cannot_be_installed_for_is_reported(
    bot_with_graph: BotUnderTest, graph: FakeGraph
) -> None:
    bot = bot_with_graph
    kemi = await _setup(bot, graph)
    del graph.users[LISE.aad]  # not in Entra (or no Teams licence): Graph answers 404
    await _request(bot, kemi)
    told = [s for s in bot.connector.messages() if s.conversation_id == MAJA.chat_id]
    assert any("kunne ikke levere den til Lise Leder" in s.card_text() for s in told)
    amk = [s for s in bot.connector.messages() if s.conversation_id == OLE.chat_id]
    assert any("Maja Kemiker" in s.card_text() for s in amk)
    assert _approvals(bot.connector, LISE) == []


async def test_an_investigator_named_by_email_gets_the_card_once_installed(
    bot_with_graph: BotUnderTest, graph: FakeGraph
) -> None:
    bot = bot_with_graph
    kemi = await near_miss.setup(bot, chats=(near_miss.REPORTER,))
    await near_miss.report(bot, near_miss.REPORTER, kemi)
    report_id = (await near_miss.reports(bot))[0].id
    investigator = near_miss.INVESTIGATOR
    graph.users[investigator.upn] = investigator.chat_id
    reply = await bot.invoke(
        near_miss.AMK,
        "near_miss.assign",
        {"report_id": report_id, "investigator": investigator.upn},
    )
    assert reply.status == 200
    told = near_miss.text_of(reply.body["value"])
    assert "undersøger nu hændelsen" in told and "ikke skrevet med AMK-bot" not in told
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    assert [call.path for call in graph.installations()] == [
        f"/v1.0/users/{investigator.upn}/teamwork/installedApps"
    ]
    await _teams_reports_the_chat(bot, investigator)
    cards = [s for s in near_miss.to(bot.connector.messages(), investigator) if s.card]
    assert len(cards) == 2  # the welcome, then the report to investigate
    assert "near_miss." in cards[1].card_text()
