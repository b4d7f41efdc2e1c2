"""The Bot Framework's authentication, with our own token check and reused HTTP clients.

A request's token is checked by `bot.channel_tokens` (never waiting for the key server); in
local mode (no app id) there is nothing to check it against and every request gets
botbuilder's anonymous identity, whatever header it carries.

botbuilder's `CloudAdapter` asks its `BotFrameworkAuthentication` for a new connector client
and a new user-token client on every turn; building their msrest pipelines costs more CPU
than the rest of a turn (see docs/performance.md). This wrapper delegates everything and
keeps one client per (app id, service URL, audience) and one token client per app id; the
turn's replies go through our pooled connector (`bot/turn_replies.py`).
"""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity, CallerIdConstants
from botframework.connector import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    JwtTokenValidation,
    UserTokenClient,
)

from bot.channel_tokens import ChannelTokens
from bot.connector import ConnectorClient as PooledConnector
from bot.turn_replies import with_our_replies


def _app_id(claims_identity: ClaimsIdentity) -> str:
    return str(JwtTokenValidation.get_app_id_from_claims(claims_identity.claims) or "")


class _CachingConnectorFactory(ConnectorFactory):  # type: ignore[misc]
    def __init__(
        self,
        inner: ConnectorFactory,
        cache: dict[tuple[str, str, str], Any],
        app_id: str,
        http: PooledConnector,
    ) -> None:
        self._inner = inner
        self._cache = cache
        self._app_id = app_id
        self._http = http

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (self._app_id, service_url, audience or "")
        client = self._cache.get(key)
        if client is None:
            client = self._cache[key] = with_our_replies(
                await self._inner.create(service_url, audience), self._http, service_url
            )
        return client


class CachingAuthentication(BotFrameworkAuthentication):  # type: ignore[misc]
    """`BotFrameworkAuthentication` that checks tokens with `tokens` (None: local mode) and
    hands out the same clients for the same target."""

    def __init__(
        self,
        inner: BotFrameworkAuthentication,
        http: PooledConnector,
        tokens: ChannelTokens | None,
    ) -> None:
        self._inner = inner
        self._http = http
        self._tokens = tokens
        self._connectors: dict[tuple[str, str, str], Any] = {}
        self._token_clients: dict[str, UserTokenClient] = {}

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        """The request's identity; `TokenRefused` if its token does not pass."""
        if self._tokens is None:
            result = await self._inner.authenticate_request(activity, "")
        else:
            claims = self._tokens.check(
                auth_header, channel_id=activity.channel_id, service_url=activity.service_url
            )
            result = AuthenticateRequestResult()
            result.claims_identity = ClaimsIdentity(claims, True)
            result.audience = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
            result.caller_id = CallerIdConstants.public_azure_channel
        result.connector_factory = self.create_connector_factory(result.claims_identity)
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _CachingConnectorFactory(
            self._inner.create_connector_factory(claims_identity),
            self._connectors,
            _app_id(claims_identity),
            self._http,
        )

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        key = _app_id(claims_identity)
        client = self._token_clients.get(key)
        if client is None:
            client = await self._inner.create_user_token_client(claims_identity)
            self._token_clients[key] = client
        return client

    def create_bot_framework_client(self) -> Any:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return str(self._inner.get_originating_audience())

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)
