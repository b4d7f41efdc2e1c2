"""A turn's replies, sent by our pooled connector client and retried.

botbuilder sends a turn's replies through msrest: its `Serializer.body` deserialises and
serialises every card again (the largest single cost of a turn), and with urllib3 2 it never
retries a POST nor honours `Retry-After`, so one 429 or 503 from Teams would turn an answer
into an apology. `TurnConversations` takes the place of the turn client's `conversations`:
sending, replying and updating go through `bot.connector.ConnectorClient` with the turn's own
credentials and are retried within a budget short enough for a turn; every other operation
is botbuilder's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from botbuilder.schema import Activity, ResourceResponse

from bot.activity_json import activity_json
from bot.connector import (
    ConnectorClient,
    ConnectorError,
    RetryPolicy,
    TokenProvider,
    credentials_token,
    service_base,
)

log = logging.getLogger(__name__)

TURN_RETRY = RetryPolicy(attempts=4, base_delay=0.5, max_delay=4.0)
TURN_LONGEST_PAUSE = 10.0


class TurnConversations:
    """botbuilder's conversation operations; sending, replying and updating are ours."""

    def __init__(
        self,
        inner: Any,
        http: ConnectorClient,
        service_url: str,
        token: TokenProvider,
        *,
        policy: RetryPolicy = TURN_RETRY,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._inner = inner
        self._http = http
        self._base = service_base(service_url)
        self._token = token
        self._policy = policy
        self._sleep = sleep

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def _activities_url(self, conversation_id: str, activity_id: str | None = None) -> str:
        url = f"{self._base}v3/conversations/{quote(conversation_id, safe='')}/activities"
        return f"{url}/{quote(activity_id, safe='')}" if activity_id else url

    async def _call(self, name: str, method: str, url: str, activity: Activity) -> Any:
        body = activity_json(activity)
        attempt = 1
        while True:
            try:
                answer = await self._http.request(
                    method, url, body, attempts=1, token_provider=self._token
                )
                return ResourceResponse(id=answer.get("id"))
            except ConnectorError as error:
                pause = self._policy.delay(attempt, error.retry_after)
                if not error.retryable or attempt >= self._policy.attempts:
                    raise
                if pause > TURN_LONGEST_PAUSE:
                    raise
                log.warning(
                    "reply %s failed (%s); retry %d in %.1fs",
                    name,
                    error.status or "no answer",
                    attempt,
                    pause,
                )
                await self._sleep(pause)
                attempt += 1

    async def reply_to_activity(
        self, conversation_id: str, activity_id: str, activity: Activity, **_: Any
    ) -> Any:
        url = self._activities_url(conversation_id, activity_id)
        return await self._call("reply_to_activity", "POST", url, activity)

    async def send_to_conversation(self, conversation_id: str, activity: Activity, **_: Any) -> Any:
        url = self._activities_url(conversation_id)
        return await self._call("send_to_conversation", "POST", url, activity)

    async def update_activity(
        self, conversation_id: str, activity_id: str, activity: Activity, **_: Any
    ) -> Any:
        url = self._activities_url(conversation_id, activity_id)
        return await self._call("update_activity", "PUT", url, activity)


def with_our_replies(client: Any, http: ConnectorClient, service_url: str) -> Any:
    """The same botbuilder connector client, its sends made by `http` with the client's token."""
    conversations = client.conversations
    if not isinstance(conversations, TurnConversations):
        token = credentials_token(getattr(client.config, "credentials", None))
        client.conversations = TurnConversations(conversations, http, service_url, token)
    return client
