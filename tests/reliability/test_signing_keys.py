"""The Bot Framework's signing keys are fetched behind the requests: a key server that never
answers holds up no request, a token that cannot be checked now gets 401 at once, fetched
keys are kept, a failed fetch is not repeated for a minute, and refusals are logged once a
minute per kind."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta

import jwt
import pytest
from botframework.connector.auth import MicrosoftAppCredentials
from cryptography.hazmat.primitives import serialization

from tests.conftest import DatabaseTarget
from tests.reliability.support_tokens import (
    APP_ID,
    FakeClock,
    KeyService,
    SilentServer,
    TokenIssuer,
    bearer,
    hmac_token,
    new_key,
)
from tests.support.fake_connector import FakeConnector
from tests.support.teams import BotUnderTest, make_user

JANE = make_user("Jane Doe", "jado@uni.dk", "en-GB")


@pytest.fixture(autouse=True)
def no_entra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outgoing calls use a fixed bot token instead of asking Entra ID for one."""
    monkeypatch.setattr(
        MicrosoftAppCredentials, "get_access_token", lambda self, *a, **k: "bot-token"
    )


@pytest.fixture
async def silent() -> AsyncIterator[SilentServer]:
    server = SilentServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
async def key_service() -> AsyncIterator[KeyService]:
    service = KeyService(new_key())
    try:
        yield service
    finally:
        service.close()


async def _secured(
    target: DatabaseTarget, connector: FakeConnector, clock: FakeClock, metadata_url: str
) -> BotUnderTest:
    bot = BotUnderTest(
        target,
        connector,
        admin_upns=set(),
        app_id=APP_ID,
        clock=clock,
        openid_metadata_url=metadata_url,
        # Longer than the test: the fetch from the silent server is still waiting at its end.
        signing_keys_timeout=120.0,
    )
    await bot.start()
    return bot


async def test_a_key_server_that_never_answers_holds_up_no_request(
    database_target: DatabaseTarget,
    connector: FakeConnector,
    silent: SilentServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.channel_tokens")
    clock = FakeClock()
    issuer = TokenIssuer(new_key(), clock)
    bot = await _secured(database_target, connector, clock, silent.url)
    try:
        await silent.connected()  # the fetch the start began, in the background
        public_pem = issuer.key.public_key().public_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        claims = jwt.decode(issuer.token(connector.url), options={"verify_signature": False})
        tokens = [
            issuer.token(connector.url, kid="any-key-id"),
            issuer.token(connector.url, kid="another-key-id"),
            issuer.token(connector.url),
            issuer.token(connector.url, key="", algorithm="none"),
            hmac_token(public_pem, claims),
        ]
        statuses = []
        for token in tokens:
            reply = await bot.post(bot.personal(JANE, text="help"), headers=bearer(token))
            statuses.append(reply.status)
        health = await bot.get("/healthz")

        assert statuses == [401] * len(tokens)
        assert health.status == 200 and health.body["status"] == "ok"
        # All answered while the one fetch (no more) was still waiting for the key server.
        assert len(silent.connections) == 1 and not silent.hung_up
        assert connector.messages() == []
        lines = [r for r in caplog.records if r.name == "bot.channel_tokens"]
        assert [r.getMessage() for r in lines] == [
            "refused a request: signing key not known (yet)",
            "refused a request: signing algorithm not allowed",
        ]
        assert all(r.exc_info is None for r in lines)

        clock.advance(61)
        late = await bot.post(
            bot.personal(JANE, text="help"), headers=bearer(issuer.token(connector.url))
        )
        assert late.status == 401 and len(silent.connections) == 1
        assert caplog.records[-1].getMessage() == (
            "refused a request: signing key not known (yet) (2 more like it since the last line)"
        )
    finally:
        await bot.stop()


async def test_keys_are_fetched_behind_requests_kept_and_a_failure_remembered(
    database_target: DatabaseTarget, connector: FakeConnector, key_service: KeyService
) -> None:
    clock = FakeClock()
    issuer = TokenIssuer(key_service.key, clock)
    key_service.available = False
    bot = await _secured(database_target, connector, clock, key_service.metadata_url)
    assert bot.runtime is not None and bot.runtime.signing_keys is not None
    keys = bot.runtime.signing_keys

    async def status() -> int:
        token = issuer.token(connector.url)
        reply = await bot.post(bot.personal(JANE, text="help"), headers=bearer(token))
        await keys.settled()
        return reply.status

    try:
        await keys.settled()
        assert key_service.fetches == 1  # at the start, refused
        assert await status() == 401

        key_service.available = True
        assert await status() == 401  # the failed fetch is not tried again within the minute
        assert key_service.fetches == 1

        clock.advance(61)
        assert await status() == 401  # refused at once; the fetch runs behind it
        assert key_service.fetches == 2
        assert await status() == 201
        assert len(connector.messages()) == 1

        # The keys are kept: a day later the key server is gone, and they still work.
        key_service.available = False
        clock.advance(timedelta(days=1, minutes=1).total_seconds())
        assert await status() == 201
        assert key_service.fetches == 3
        assert await status() == 201
        assert key_service.fetches == 3
        assert len(connector.messages()) == 3
    finally:
        await bot.stop()
