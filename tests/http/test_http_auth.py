"""With an app id configured, only requests carrying a valid Bot Framework token get in."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conftest import DatabaseTarget
from tests.support.fake_connector import FakeConnector
from tests.support.teams import BotUnderTest, make_user

APP_ID = "00000000-1111-2222-3333-444444444444"


@pytest.fixture
async def secured_bot(
    database_target: DatabaseTarget, connector: FakeConnector
) -> AsyncIterator[BotUnderTest]:
    under_test = BotUnderTest(database_target, connector, admin_upns=set(), app_id=APP_ID)
    await under_test.start()
    try:
        yield under_test
    finally:
        await under_test.stop()


async def test_request_without_token_is_refused(secured_bot: BotUnderTest) -> None:
    user = make_user("Mette Hansen", "meha@uni.dk")
    reply = await secured_bot.post(secured_bot.personal(user, text="hjælp"))
    assert reply.status == 401
    assert secured_bot.connector.messages() == []


@pytest.mark.parametrize(
    "header", ["Bearer not-a-jwt", "Basic dXNlcjpwYXNz", "Bearer a.b.c", "Bearer"]
)
async def test_request_with_a_bad_token_is_refused(secured_bot: BotUnderTest, header: str) -> None:
    user = make_user("Mette Hansen", "meha@uni.dk")
    reply = await secured_bot.post(
        secured_bot.personal(user, text="hjælp"), headers={"Authorization": header}
    )
    assert reply.status == 401
    assert secured_bot.connector.messages() == []


async def test_health_says_auth_is_on(secured_bot: BotUnderTest) -> None:
    reply = await secured_bot.get("/healthz")
    assert reply.body["auth"] == "on"
