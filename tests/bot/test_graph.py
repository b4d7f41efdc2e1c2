"""The Graph client against the fake Graph over HTTPS: the app's token from MSAL, pages,
waits on throttling, and the installer's answers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.graph import GraphClient, GraphError, NotInstallable, TeamsAppInstaller, installer
from tests.support.fake_graph import FakeGraph


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


@pytest.fixture
async def teams_app(graph: FakeGraph) -> AsyncIterator[tuple[TeamsAppInstaller, list[float]]]:
    """The installer as the bot builds it, with the waits it asks for recorded."""
    built = installer(graph.settings())
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    built.graph.sleep = record
    try:
        yield built, waits
    finally:
        await built.graph.close()


async def test_pages_are_followed_to_the_end_with_one_token(
    graph: FakeGraph, teams_app: tuple[TeamsAppInstaller, list[float]]
) -> None:
    client: GraphClient = teams_app[0].graph
    graph.collections["groups/kemi/members"] = [{"id": f"user-{n}"} for n in range(5)]
    seen = [item["id"] async for item in client.pages("groups/kemi/members")]
    assert seen == [f"user-{n}" for n in range(5)]
    assert len(graph.graph_calls("GET")) == 3
    assert graph.tokens_issued == 1


async def test_throttling_is_waited_out_as_retry_after_says(
    graph: FakeGraph, teams_app: tuple[TeamsAppInstaller, list[float]]
) -> None:
    app, waits = teams_app
    graph.users["lise@uni.dk"] = "a:chat-lise"
    graph.throttle(4, "7")
    assert await app.install("lise@uni.dk") is True
    assert waits == [7.0, 7.0, 7.0, 7.0]
    assert graph.installed == {"lise@uni.dk"}
    assert await app.personal_chat("lise@uni.dk") == "a:chat-lise"


async def test_a_storm_longer_than_the_policy_ends_in_an_error(
    graph: FakeGraph, teams_app: tuple[TeamsAppInstaller, list[float]]
) -> None:
    app, waits = teams_app
    graph.users["lise@uni.dk"] = "a:chat-lise"
    graph.throttle(50, "1")
    with pytest.raises(GraphError) as raised:
        await app.install("lise@uni.dk")
    assert raised.value.status == 429
    assert len(waits) == app.graph.retry.attempts - 1
    assert graph.installed == set()


async def test_installed_already_and_unknown_people(
    graph: FakeGraph, teams_app: tuple[TeamsAppInstaller, list[float]]
) -> None:
    app, _ = teams_app
    graph.users["ole@uni.dk"] = "a:chat-ole"
    graph.installed.add("ole@uni.dk")
    assert await app.install("ole@uni.dk") is False
    with pytest.raises(NotInstallable) as raised:
        await app.install("ghost@uni.dk")
    assert raised.value.status == 404
    graph.users["blocked@uni.dk"] = "a:chat-blocked"
    graph.blocked.add("blocked@uni.dk")
    with pytest.raises(NotInstallable):
        await app.install("blocked@uni.dk")
    assert await app.personal_chat("ghost@uni.dk") is None


def test_graph_is_on_only_with_the_catalog_id_and_the_apps_credentials() -> None:
    app = {"MicrosoftAppId": "a", "MicrosoftAppPassword": "p", "MicrosoftAppTenantId": "t"}
    assert not Settings.from_env(app, dotenv=None).graph_enabled
    assert Settings.from_env({**app, "TEAMS_APP_CATALOG_ID": "c"}, dotenv=None).graph_enabled
    assert not Settings.from_env({"TEAMS_APP_CATALOG_ID": "c"}, dotenv=None).graph_enabled
    with pytest.raises(ValueError, match="GRAPH_BASE_URL must be an https"):
        Settings.from_env({"GRAPH_BASE_URL": "http://graph.example"}, dotenv=None)
