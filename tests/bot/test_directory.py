"""A picked person's name from the (fake) Graph directory, and when cards offer the people
picker at all."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.directory import LOOKUP_RETRY, GraphDirectory
from bot.graph import msal_token
from services.ports import DirectoryEntry
from tests.support.fake_graph import FakeGraph

PICKED = "5f0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


@pytest.fixture
async def directory(graph: FakeGraph) -> AsyncIterator[tuple[GraphDirectory, list[float]]]:
    settings = graph.settings()
    built = GraphDirectory.on(settings.base_url, msal_token(settings), ca_bundle=settings.ca_bundle)
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    built.graph.sleep = record
    try:
        yield built, waits
    finally:
        await built.close()


async def test_a_picked_person_is_named_by_the_directory(
    graph: FakeGraph, directory: tuple[GraphDirectory, list[float]]
) -> None:
    found, _ = directory
    graph.profiles[PICKED] = {
        "id": PICKED,
        "displayName": "Pia Plukket",
        "userPrincipalName": "Pia@Uni.dk",
        "mail": "pia.plukket@uni.dk",
    }
    assert await found.person(PICKED) == DirectoryEntry(name="Pia Plukket", upn="pia@uni.dk")
    [call] = graph.graph_calls("GET")
    assert call.path == f"/v1.0/users/{PICKED}"
    assert call.query["$select"] == "id,displayName,userPrincipalName,mail"


async def test_no_answer_is_no_name_and_the_card_action_does_not_wait_long(
    graph: FakeGraph, directory: tuple[GraphDirectory, list[float]]
) -> None:
    found, waits = directory
    assert await found.person(PICKED) is None  # 404: not in the directory
    graph.profiles[PICKED] = {"id": PICKED, "displayName": "Pia Plukket"}
    graph.throttle(10, "30")
    assert await found.person(PICKED) is None
    assert len(waits) == LOOKUP_RETRY.attempts - 1 and max(waits) <= 1.0


def test_the_people_picker_is_on_in_teams_and_off_in_local_mode() -> None:
    teams = {"MicrosoftAppId": "a", "MicrosoftAppPassword": "p", "MicrosoftAppTenantId": "t"}
    assert Settings.from_env(teams, dotenv=None).people_picker_on
    assert not Settings.from_env({}, dotenv=None).people_picker_on
    off = Settings.from_env({**teams, "PEOPLE_PICKER": "false"}, dotenv=None)
    assert not off.people_picker_on
    assert Settings.from_env({"PEOPLE_PICKER": "true"}, dotenv=None).people_picker_on
