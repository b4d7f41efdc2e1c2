"""Replies inside a turn, retried like our own connector client.

botbuilder sends a turn's replies through msrest, which (with urllib3 2) never retries a POST
and ignores `Retry-After`; one 429 or 503 from Teams would turn an answer into an apology.
`with_retries` wraps a botbuilder connector client so that sending, replying and updating are
retried on 412/429/5xx and lost connections, within a budget short enough for a turn.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.connector import RETRY_STATUSES, RetryPolicy, parse_retry_after

log = logging.getLogger(__name__)

TURN_RETRY = RetryPolicy(attempts=4, base_delay=0.5, max_delay=4.0)
TURN_LONGEST_PAUSE = 10.0
RETRIED = frozenset({"send_to_conversation", "reply_to_activity", "update_activity"})


def _failure(error: Exception) -> tuple[int | None, float | None]:
    """(HTTP status or None for no answer, Retry-After seconds) of a connector failure."""
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    headers = getattr(response, "headers", None) or {}
    retry_after = parse_retry_after(headers.get("Retry-After")) if headers else None
    return (int(status) if isinstance(status, int) else None), retry_after


class _RetryingConversations:
    """Delegates to botbuilder's conversation operations; the sending ones are retried."""

    def __init__(
        self,
        inner: Any,
        policy: RetryPolicy,
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self._inner = inner
        self._policy = policy
        self._sleep = sleep

    def __getattr__(self, name: str) -> Any:
        operation = getattr(self._inner, name)
        if name not in RETRIED:
            return operation

        async def retried(*args: Any, **kwargs: Any) -> Any:
            attempt = 1
            while True:
                try:
                    return await operation(*args, **kwargs)
                except (HttpOperationError, ClientRequestError) as error:
                    status, retry_after = _failure(error)
                    retryable = status is None or status in RETRY_STATUSES
                    pause = self._policy.delay(attempt, retry_after)
                    if not retryable or attempt >= self._policy.attempts:
                        raise
                    if pause > TURN_LONGEST_PAUSE:
                        raise
                    log.warning(
                        "reply %s failed (%s); retry %d in %.1fs",
                        name,
                        status or "no answer",
                        attempt,
                        pause,
                    )
                    await self._sleep(pause)
                    attempt += 1

        return retried


def with_retries(
    client: Any,
    policy: RetryPolicy = TURN_RETRY,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> Any:
    """The same botbuilder connector client, its sends retried (idempotent to call twice)."""
    conversations = client.conversations
    if not isinstance(conversations, _RetryingConversations):
        client.conversations = _RetryingConversations(conversations, policy, sleep)
    return client
