"""People picked in Teams' people picker, over HTTP: the picker submits the person's Entra
object id; the bot stores it, and the person gets their card, through the fake Bot Connector
(and, with no chat yet, after the fake Graph installs the app for them). Local mode and the
Playground get e-mail fields instead."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from domain.i18n import COPENHAGEN
from storage.models import Person, RoleAssignment, Unit
from storage.near_miss_models import NearMissAction
from tests.conftest import DatabaseTarget
from tests.support import near_miss, wellbeing
from tests.support.card_nodes import walk
from tests.support.databases import orm_session
from tests.support.fake_connector import FakeConnector, Sent
from tests.support.fake_graph import FakeGraph
from tests.support.teams import BotUnderTest, make_user

# Someone the bot has never seen: no person row, no chat.
PIA = make_user("Pia Plukket", "pia@uni.dk", "da-DK")
ADMIN = make_user("Anne Admin", "admin@uni.dk", "da-DK")
PEOPLE = {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


async def _started(bot: BotUnderTest) -> AsyncIterator[BotUnderTest]:
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


@pytest.fixture
async def teams_bot(
    database_target: DatabaseTarget, connector: FakeConnector, graph: FakeGraph
) -> AsyncIterator[BotUnderTest]:
    """The bot as in Teams: people picker on, Graph configured."""
    under_test = BotUnderTest(
        database_target,
        connector,
        admin_upns={"admin@uni.dk"},
        graph=graph.settings(),
        people_picker=True,
    )
    async for started in _started(under_test):
        yield started


async def _person(bot: BotUnderTest, aad: str) -> Person | None:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return (await session.scalars(select(Person).where(Person.aad_object_id == aad))).first()


def _people_inputs(card: Any) -> dict[str, dict[str, Any]]:
    return {node["id"]: node for node in walk(card) if node.get("choices.data") == PEOPLE}


async def _drain(bot: BotUnderTest) -> None:
    assert bot.runtime is not None
    await bot.runtime.background.drain()


async def _reported(bot: BotUnderTest) -> tuple[int, list[Sent]]:
    kemi = await near_miss.setup(bot)
    await near_miss.report(bot, near_miss.REPORTER, kemi)
    to_amk = [sent for sent in near_miss.to(bot.connector.messages(), near_miss.AMK) if sent.card]
    return (await near_miss.reports(bot))[0].id, to_amk


async def test_a_picked_investigator_the_bot_never_saw_gets_the_card_once_installed(
    teams_bot: BotUnderTest, graph: FakeGraph
) -> None:
    bot = teams_bot
    report_id, [announcement] = await _reported(bot)
    assert set(_people_inputs(announcement.card)) == {"investigator"}
    graph.users[PIA.aad] = PIA.chat_id
    reply = await bot.invoke(
        near_miss.AMK,
        "near_miss.assign",
        {"report_id": report_id, "investigator": PIA.aad.upper()},  # as Teams may spell it
    )
    assert reply.status == 200
    assert "undersøger nu hændelsen" in near_miss.text_of(reply.body["value"])
    asked = [call for call in graph.graph_calls("GET") if call.path == f"/v1.0/users/{PIA.aad}"]
    assert [call.status for call in asked] == [404]  # the directory did not know her
    pia = await _person(bot, PIA.aad)
    assert pia is not None and pia.upn is None  # known by object id only, until she writes
    [report] = await near_miss.reports(bot)
    assert report.investigator_id == pia.id
    await _drain(bot)
    assert [call.path for call in graph.installations()] == [
        f"/v1.0/users/{PIA.aad}/teamwork/installedApps"
    ]
    await bot.install_personal(PIA)  # what Teams sends after the installation
    await _drain(bot)
    cards = [sent for sent in near_miss.to(bot.connector.messages(), PIA) if sent.card]
    assert "NM-" in cards[-1].card_text() and "acetone" in cards[-1].card_text()
    pia = await _person(bot, PIA.aad)
    assert pia is not None and pia.upn == PIA.upn  # the same row, now with her address


async def test_a_picked_action_owner_with_a_chat_gets_their_card(bot: BotUnderTest) -> None:
    report_id, _ = await _reported(bot)
    owner = near_miss.OWNER
    await bot.invoke(
        near_miss.AMK, "near_miss.assign", {"report_id": report_id, "investigator": owner.aad}
    )
    bot.connector.clear()
    reply = await bot.invoke(
        near_miss.AMK,
        "near_miss.action.add",
        {
            "report_id": report_id,
            "action_description": "Sæt en hylde op ved stinkskabet",
            "action_owner": owner.aad,
            "action_due": (datetime.now(COPENHAGEN).date() + timedelta(days=30)).isoformat(),
        },
    )
    told = near_miss.text_of(reply.body["value"])
    assert "Otto Værkfører" in told and "Sæt en hylde op" in told
    await _drain(bot)
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        action = (await session.execute(select(NearMissAction))).scalar_one()
        person = await session.get(Person, action.owner_id)
    assert person is not None and person.aad_object_id == owner.aad
    cards = [sent for sent in near_miss.to(bot.connector.messages(), owner) if sent.card]
    assert any("Sæt en hylde op" in sent.card_text() for sent in cards)


async def test_neither_an_object_id_nor_an_email_is_refused(bot: BotUnderTest) -> None:
    report_id, _ = await _reported(bot)
    reply = await bot.invoke(
        near_miss.AMK,
        "near_miss.assign",
        {"report_id": report_id, "investigator": "5f0b1c2d-nope"},
    )
    told = near_miss.text_of(reply.body["value"])
    assert "Vælg den, der skal undersøge hændelsen, eller skriv en gyldig e-mailadresse" in told
    [report] = await near_miss.reports(bot)
    assert report.investigator_id is None


async def test_local_mode_asks_for_email_addresses(bot: BotUnderTest) -> None:
    _, [announcement] = await _reported(bot)
    assert _people_inputs(announcement.card) == {}
    fields = {node.get("id"): node for node in walk(announcement.card)}
    assert fields["investigator"]["style"] == "Email"


async def _kemi(bot: BotUnderTest) -> int:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return int((await session.execute(select(Unit.id).where(Unit.name == "Kemi"))).scalar_one())


async def test_an_admin_gives_a_picked_person_a_role(
    teams_bot: BotUnderTest, graph: FakeGraph
) -> None:
    bot = teams_bot
    graph.profiles[PIA.aad] = {
        "id": PIA.aad,
        "displayName": PIA.name,
        "userPrincipalName": PIA.upn.upper(),
    }
    await bot.say(ADMIN, "admin")
    kemi = await _kemi(bot)
    [roles] = await bot.submit(ADMIN, {"action": "admin.unit", "unit_id": str(kemi)})
    assert set(_people_inputs(roles.card)) == {"upn"}
    assert "name" not in {node.get("id") for node in walk(roles.card)}
    [wrong] = await bot.submit(
        ADMIN, {"action": "admin.assign", "unit_id": kemi, "upn": "Pia", "role": "amk"}
    )
    assert "Vælg en person." in wrong.card_text()
    [done] = await bot.submit(
        ADMIN, {"action": "admin.assign", "unit_id": kemi, "upn": PIA.aad, "role": "amk"}
    )
    assert f"{PIA.name} er nu" in done.card_text()  # named by the directory
    pia = await _person(bot, PIA.aad)
    assert bot.runtime is not None and pia is not None
    assert (pia.name, pia.upn) == (PIA.name, PIA.upn)
    async with orm_session(bot.runtime.db) as session:
        [assignment] = (await session.scalars(select(RoleAssignment))).all()
    assert (assignment.person_id, assignment.unit_id, assignment.role) == (pia.id, kemi, "amk")


async def test_a_picked_item_owner_gets_the_item(bot: BotUnderTest) -> None:
    kemi, _ = await wellbeing.setup(bot)
    await bot.install_personal(wellbeing.OWNER)
    await wellbeing.record(bot, wellbeing.LEADER, kemi)
    [stored] = await wellbeing.dialogues(bot)
    bot.connector.clear()
    reply = await bot.invoke(
        wellbeing.LEADER,
        "wellbeing.items.save",
        wellbeing.items(kemi, stored.id, wellbeing.row(owner=wellbeing.OWNER.aad)),
    )
    assert "Punkter gemt: 1" in wellbeing.text(wellbeing.card_of(reply))
    await _drain(bot)
    [item] = await wellbeing.action_items(bot)
    owner = await _person(bot, wellbeing.OWNER.aad)
    assert owner is not None and item.owner_id == owner.id
    delivered = [m for m in wellbeing.to(bot.connector.messages(), wellbeing.OWNER) if m.card]
    assert len(delivered) == 1 and "Mange afbrydelser" in delivered[0].card_text()
