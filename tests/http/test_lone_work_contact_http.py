"""The lone-work emergency contact picked as a colleague in Teams' people picker, over HTTP:
the request stores the colleague's Entra object id, the approval card names them, and a
check-in alarm reaches them in Teams (the fake Graph installs the app for a colleague who
never opened it). Local mode keeps the typed name and phone."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conftest import DatabaseTarget
from tests.http.test_checkins_http import T0, Clock, _approved, _cards, _session, _wire
from tests.http.test_lone_work_http import LISE, MAJA, _only_request, _request, _setup, _to, form
from tests.support.card_nodes import walk
from tests.support.fake_connector import FakeConnector
from tests.support.fake_graph import FakeGraph
from tests.support.teams import BotUnderTest, make_user

# A colleague the bot has never seen: no person row, no chat.
ERIK = make_user("Erik Kollega", "erik@uni.dk", "da-DK")
PEOPLE = {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}
PICKED = {"emergency_person": ERIK.aad, "emergency_name": ""}


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


@pytest.fixture
async def teams_bot(
    database_target: DatabaseTarget, connector: FakeConnector, graph: FakeGraph
) -> AsyncIterator[BotUnderTest]:
    """The bot as in Teams: people picker on, Graph configured, Erik in the directory."""
    graph.profiles[ERIK.aad] = {
        "id": ERIK.aad,
        "displayName": ERIK.name,
        "userPrincipalName": ERIK.upn,
    }
    under_test = BotUnderTest(
        database_target,
        connector,
        admin_upns={"admin@uni.dk"},
        graph=graph.settings(),
        people_picker=True,
    )
    await under_test.start()
    try:
        yield under_test
    finally:
        await under_test.stop()


def _inputs(card: Any) -> dict[str, dict[str, Any]]:
    return {node["id"]: node for node in walk(card) if node.get("id")}


async def test_a_picked_colleague_is_stored_and_named_on_the_approval_card(
    teams_bot: BotUnderTest,
) -> None:
    bot = teams_bot
    kemi = await _setup(bot)
    [request_form] = await bot.say(MAJA, "alenearbejde")
    inputs = _inputs(request_form.card)
    assert inputs["emergency_person"]["choices.data"] == PEOPLE
    assert inputs["emergency_person"].get("isRequired") is not True
    assert inputs["emergency_name"].get("isRequired") is not True  # a picked colleague is named
    assert inputs["emergency_phone"]["isRequired"] is True
    assert "kollega" in request_form.card_text()

    await _request(bot, kemi, **PICKED)
    request = await _only_request(bot)
    assert request.emergency_aad_object_id == ERIK.aad
    assert (request.emergency_name, request.emergency_phone) == (ERIK.name, "+45 4525 1234")
    [approval] = [m for m in _to(bot.connector.messages(), LISE) if m.card]
    assert "Erik Kollega, +45 4525 1234 (kollega, får alarmen i Teams)" in approval.card_text()


async def test_a_typed_name_and_an_unknown_colleague(
    teams_bot: BotUnderTest, graph: FakeGraph
) -> None:
    bot = teams_bot
    kemi = await _setup(bot)
    await bot.say(MAJA, "alenearbejde")
    [empty] = await bot.submit(MAJA, form(kemi, emergency_name=""))
    assert "Skriv nødkontaktens navn." in empty.card_text()
    [bad] = await bot.submit(MAJA, form(kemi, emergency_person="erik@uni.dk"))
    assert "Vælg en kollega på listen" in bad.card_text()

    del graph.profiles[ERIK.aad]  # the directory does not answer for him
    [unnamed] = await bot.submit(MAJA, form(kemi, **PICKED))
    assert "Jeg kan ikke slå kollegaens navn op lige nu" in unnamed.card_text()
    assert _inputs(unnamed.card)["emergency_person"]["value"] == ERIK.aad  # kept
    # A name typed beside the picked colleague is the one shown
    [summary] = await bot.submit(MAJA, form(kemi, emergency_person=ERIK.aad))
    assert "Vagten, +45 4525 1234 (kollega, får alarmen i Teams)" in summary.card_text()


async def test_the_picked_colleague_gets_the_alarm_once_installed(
    teams_bot: BotUnderTest, graph: FakeGraph
) -> None:
    bot = teams_bot
    await _approved(bot, **PICKED)
    graph.users[ERIK.aad] = ERIK.chat_id
    _wire(bot, Clock(T0))
    await bot.say(MAJA, "start alenearbejde")
    checkin = await _session(bot)
    await bot.invoke(MAJA, "checkin.help", {"session_id": checkin.id})
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    assert [call.path for call in graph.installations()] == [
        f"/v1.0/users/{ERIK.aad}/teamwork/installedApps"
    ]
    assert len(_cards(bot.connector.messages(), LISE)) == 1  # alarmed as before
    await bot.install_personal(ERIK)  # what Teams sends after the installation
    await bot.runtime.background.drain()
    [alarm] = [m for m in _cards(bot.connector.messages(), ERIK) if "Alarm:" in m.card_text()]
    # in English: the bot knows no language of someone who has never written to it
    assert "Maja Kemiker needs help" in alarm.card_text()
    assert "Erik Kollega, +45 4525 1234" in alarm.card_text()
    reply = await bot.invoke(ERIK, "checkin.handle", {"session_id": checkin.id, "alarm": 1})
    assert "Erik Kollega tager sig af det" in json.dumps(reply.body, ensure_ascii=False)


async def test_local_mode_keeps_name_and_phone(bot: BotUnderTest) -> None:
    kemi = await _setup(bot)
    [request_form] = await bot.say(MAJA, "alenearbejde")
    inputs = _inputs(request_form.card)
    assert "emergency_person" not in inputs
    assert not [node for node in walk(request_form.card) if "choices.data" in node]
    assert inputs["emergency_name"]["isRequired"] is True
    await _request(bot, kemi)
    request = await _only_request(bot)
    assert (request.emergency_name, request.emergency_aad_object_id) == ("Vagten", None)
    [approval] = [m for m in _to(bot.connector.messages(), LISE) if m.card]
    assert "Vagten, +45 4525 1234" in approval.card_text()
    assert "kollega" not in approval.card_text()
