"""A small async Bot Connector REST client: one pooled HTTP session, our own retries.

botbuilder's connector builds new clients per turn and never retries POSTs or honours
`Retry-After`; proactive messages (approval cards, reminders, digests) need both.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import aiohttp
import orjson
from botframework.connector.auth import AuthenticationConstants, MicrosoftAppCredentials
from yarl import URL

from bot.activity_json import dumps
from bot.turn_gate import waiting_for_teams
from services.ports import DeliveryFailed

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({412, 429, 500, 502, 503, 504})
TokenProvider = Callable[[], Awaitable[str | None]]


class ConnectorError(DeliveryFailed):
    """Teams refused or did not answer."""

    def __init__(self, status: int | None, message: str, retry_after: float | None = None):
        super().__init__(f"{status}: {message}" if status else message)
        self.status = status
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status in RETRY_STATUSES

    @property
    def blocked(self) -> bool:
        """403/404: uninstalled, blocked or gone; resending will not help."""
        return self.status in (403, 404)


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff with jitter; `Retry-After` wins when Teams sends it."""

    attempts: int = 6
    base_delay: float = 1.0
    max_delay: float = 60.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay * 5)
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return random.uniform(ceiling / 2, ceiling)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(float(text), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def credentials_token(credentials: Any) -> TokenProvider:
    """Bearer tokens from botbuilder credentials (none without an app id); msal caches them
    until they expire, and a refresh runs off the event loop."""
    app_id = getattr(credentials, "microsoft_app_id", None)
    if not app_id or app_id == AuthenticationConstants.ANONYMOUS_SKILL_APP_ID:
        return no_token

    async def token() -> str | None:
        value: str = await asyncio.to_thread(credentials.get_access_token)
        return value

    return token


def app_token_provider(app_id: str, password: str, tenant_id: str) -> TokenProvider:
    """Bot Framework tokens for the app."""
    return credentials_token(
        MicrosoftAppCredentials(app_id, password, channel_auth_tenant=tenant_id or None)
    )


async def no_token() -> str | None:
    return None


class ConnectorClient:
    """Send, create and update activities at a conversation's service URL."""

    def __init__(
        self,
        token_provider: TokenProvider = no_token,
        *,
        retry: RetryPolicy | None = None,
        timeout: float = 15.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._token_provider = token_provider
        self.retry = retry or RetryPolicy()
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self.sleep = sleep
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=self._timeout,
                connector=aiohttp.TCPConnector(limit=100),
            )
        return self._session

    async def _once(
        self,
        method: str,
        url: str,
        body: dict[str, Any] | None,
        token_provider: TokenProvider | None = None,
    ) -> dict[str, Any]:
        async with waiting_for_teams():
            return await self._exchange(method, url, body, token_provider or self._token_provider)

    async def _exchange(
        self, method: str, url: str, body: dict[str, Any] | None, token_provider: TokenProvider
    ) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        token = await token_provider()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None if body is None else dumps(body)
        # Our URLs are built on `service_base` with quoted segments: already encoded.
        target = URL(url, encoded=True)
        try:
            async with self._http().request(method, target, data=data, headers=headers) as answer:
                raw = await answer.read()
                if answer.status >= 400:
                    raise ConnectorError(
                        answer.status,
                        raw[:300].decode(errors="replace"),
                        parse_retry_after(answer.headers.get("Retry-After")),
                    )
                try:
                    parsed = orjson.loads(raw) if raw.strip() else {}
                except orjson.JSONDecodeError:
                    return {}
                return parsed if isinstance(parsed, dict) else {}
        except (aiohttp.ClientError, TimeoutError) as error:
            raise ConnectorError(None, f"{type(error).__name__}: {error}") from error

    async def request(
        self,
        method: str,
        url: str,
        body: dict[str, Any] | None,
        *,
        attempts: int | None = None,
        token_provider: TokenProvider | None = None,
    ) -> dict[str, Any]:
        """One call, retried on 412/429/5xx/timeouts within the retry policy. `url` is
        percent-encoded: `service_base(...)` followed by quoted path segments.

        `token_provider` overrides the client's own (a turn's reply uses the turn's credentials).
        """
        limit = attempts or self.retry.attempts
        attempt = 1
        while True:
            try:
                return await self._once(method, url, body, token_provider)
            except ConnectorError as error:
                if not error.retryable or attempt >= limit:
                    raise
                pause = self.retry.delay(attempt, error.retry_after)
                log.warning(
                    "connector %s %s failed (%s); retry %d in %.1fs",
                    method,
                    _safe_url(url),
                    error.status or "no answer",
                    attempt,
                    pause,
                )
                await self.sleep(pause)
                attempt += 1

    async def send(
        self, service_url: str, conversation_id: str, activity: dict[str, Any]
    ) -> str | None:
        conversation = quote(conversation_id, safe="")
        url = f"{service_base(service_url)}v3/conversations/{conversation}/activities"
        answer = await self.request("POST", url, activity)
        activity_id = answer.get("id")
        return str(activity_id) if activity_id else None

    async def update(
        self, service_url: str, conversation_id: str, activity_id: str, activity: dict[str, Any]
    ) -> None:
        url = (
            f"{service_base(service_url)}v3/conversations/{quote(conversation_id, safe='')}"
            f"/activities/{quote(activity_id, safe='')}"
        )
        await self.request("PUT", url, {**activity, "id": activity_id})

    async def create_conversation(
        self, service_url: str, parameters: dict[str, Any]
    ) -> tuple[str, str | None]:
        """A new 1:1 chat or a new channel thread; returns (conversation id, activity id)."""
        answer = await self.request(
            "POST", f"{service_base(service_url)}v3/conversations", parameters
        )
        conversation_id = answer.get("id")
        if not conversation_id:
            raise ConnectorError(None, "Teams created no conversation id")
        activity_id = answer.get("activityId")
        return str(conversation_id), (str(activity_id) if activity_id else None)

    async def team_channels(self, service_url: str, team_id: str) -> list[dict[str, Any]]:
        url = f"{service_base(service_url)}v3/teams/{quote(team_id, safe='')}/conversations"
        answer = await self.request("GET", url, None, attempts=2)
        channels = answer.get("conversations", [])
        return [channel for channel in channels if isinstance(channel, dict)]

    async def member(
        self, service_url: str, conversation_id: str, member_id: str
    ) -> dict[str, Any]:
        url = (
            f"{service_base(service_url)}v3/conversations/{quote(conversation_id, safe='')}"
            f"/members/{quote(member_id, safe='')}"
        )
        return await self.request("GET", url, None, attempts=1)


@lru_cache(maxsize=64)
def service_base(service_url: str) -> str:
    """A conversation's service URL, percent-encoded and ending in "/": the base of every
    URL the client is given (Teams sends a handful of service URLs, one per region)."""
    text = str(URL(service_url))
    return text if text.endswith("/") else text + "/"


def _safe_url(url: str) -> str:
    return url.split("?")[0][:200]
