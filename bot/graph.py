"""A small Microsoft Graph client: the app's own token, one pooled HTTP session, waits on
429/503/504 as long as `Retry-After` says, pages followed through `@odata.nextLink`.

Tokens come from MSAL's client-credentials flow with the bot's app registration
(`MicrosoftAppId`/`MicrosoftAppPassword`/`MicrosoftAppTenantId`); MSAL caches them until
they expire and refreshes them off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp
import msal
import orjson
import requests

from bot.config import GraphSettings
from bot.connector import RetryPolicy, parse_retry_after

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 502, 503, 504})
TOKEN_TIMEOUT = 15.0
GRAPH_RETRY = RetryPolicy(attempts=8, base_delay=1.0, max_delay=60.0)
TokenProvider = Callable[[], Awaitable[str]]


class GraphError(Exception):
    """Graph refused or did not answer (`status` None: no answer)."""

    def __init__(self, status: int | None, code: str, retry_after: float | None = None) -> None:
        super().__init__(f"{status}: {code}" if status else code)
        self.status = status
        self.code = code
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status in RETRY_STATUSES


def graph_scope(base_url: str) -> str:
    """The `.default` scope of the Graph at `base_url` (its scheme and host)."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}/.default"


class _TokenSession(requests.Session):
    """MSAL's HTTP session: a time limit, and `GRAPH_CA_BUNDLE` if set (requests would let
    `REQUESTS_CA_BUNDLE` from the environment override a session's own)."""

    def __init__(self, ca_bundle: str) -> None:
        super().__init__()
        self.ca_bundle = ca_bundle

    def request(  # type: ignore[override]
        self, method: str, url: str | bytes, **kwargs: Any
    ) -> requests.Response:
        kwargs.setdefault("timeout", TOKEN_TIMEOUT)
        if self.ca_bundle:
            kwargs["verify"] = self.ca_bundle
        return super().request(method, url, **kwargs)


def msal_token(settings: GraphSettings) -> TokenProvider:
    """Application tokens for Graph from MSAL's confidential client, built on first use
    (MSAL reads the authority's metadata then)."""
    scopes = [graph_scope(settings.base_url)]
    client: list[msal.ConfidentialClientApplication] = []

    def acquire() -> str:
        if not client:
            client.append(
                msal.ConfidentialClientApplication(
                    settings.client_id,
                    client_credential=settings.client_secret,
                    authority=f"{settings.authority}/{settings.tenant_id}",
                    http_client=_TokenSession(settings.ca_bundle),
                    instance_discovery=False,
                )
            )
        result = client[0].acquire_token_for_client(scopes=scopes)
        token = result.get("access_token") if isinstance(result, dict) else None
        if not isinstance(token, str):
            error = result.get("error") if isinstance(result, dict) else None
            raise GraphError(401, f"no token: {error or 'unknown error'}")
        return token

    async def token() -> str:
        try:
            return await asyncio.to_thread(acquire)
        except GraphError:
            raise
        except Exception as error:  # MSAL raises ValueError and requests' errors
            raise GraphError(None, f"token: {type(error).__name__}") from error

    return token


@dataclass
class GraphClient:
    """Calls Graph at `base_url` with the app's token."""

    base_url: str
    token: TokenProvider
    ca_bundle: str = ""
    retry: RetryPolicy = GRAPH_RETRY
    timeout: float = 20.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def __post_init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            tls = ssl.create_default_context(cafile=self.ca_bundle or None)
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                connector=aiohttp.TCPConnector(limit=20, ssl=tls),
            )
        return self._session

    def url(self, path: str) -> str:
        """`path` (segments already quoted, see `segment`) under the base URL; an absolute
        URL (a next link) stays as it is."""
        if path.startswith("https://"):
            return path
        return f"{self.base_url.rstrip('/')}/{path.lstrip('/')}"

    async def call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """One request, repeated after throttling or an outage within the retry policy
        (the wait `Retry-After` asks for, or a growing pause); other errors raise `GraphError`."""
        attempt = 1
        while True:
            try:
                return await self._once(method, self.url(path), body, params)
            except GraphError as error:
                if not error.retryable or attempt >= self.retry.attempts:
                    raise
                pause = self.retry.delay(attempt, error.retry_after)
                log.warning(
                    "graph %s failed (%s); retry %d in %.1fs",
                    method,
                    error.status or "no answer",
                    attempt,
                    pause,
                )
                await self.sleep(pause)
                attempt += 1

    async def _once(
        self, method: str, url: str, body: dict[str, Any] | None, params: dict[str, str] | None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {await self.token()}"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = orjson.dumps(body)
        try:
            async with self._http().request(
                method, url, data=data, params=params, headers=headers
            ) as answer:
                raw = await answer.read()
                parsed = _json(raw)
                if answer.status >= 400:
                    error = parsed.get("error")
                    code = error.get("code") if isinstance(error, dict) else None
                    raise GraphError(
                        answer.status,
                        str(code or answer.reason or "error"),
                        parse_retry_after(answer.headers.get("Retry-After")),
                    )
                return parsed
        except (aiohttp.ClientError, TimeoutError) as error:
            raise GraphError(None, type(error).__name__) from error

    async def pages(
        self, path: str, *, params: dict[str, str] | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """Every item of a collection, page after page (`@odata.nextLink`)."""
        answer = await self.call("GET", path, params=params)
        while True:
            for item in answer.get("value") or []:
                if isinstance(item, dict):
                    yield item
            next_link = answer.get("@odata.nextLink")
            if not isinstance(next_link, str) or not next_link:
                return
            answer = await self.call("GET", next_link)


def segment(value: str) -> str:
    """One path segment, quoted (a UPN's "@" stays readable)."""
    return quote(value, safe="@")


def _json(raw: bytes) -> dict[str, Any]:
    if not raw.strip():
        return {}
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


class NotInstallable(Exception):
    """Graph cannot install the app for this person (unknown, unlicensed, app blocked)."""

    def __init__(self, status: int | None, code: str) -> None:
        super().__init__(f"{status}: {code}")
        self.status = status
        self.code = code


@dataclass
class TeamsAppInstaller:
    """Installs the bot's Teams app in a person's personal scope and finds the chat it has
    with them (permission `TeamsAppInstallation.ReadWriteSelfForUser.All`)."""

    graph: GraphClient
    catalog_app_id: str

    async def install(self, user: str) -> bool:
        """Install for `user` (Entra object id or UPN); True if it was installed now, False if
        it was installed already (409). 403/404 raise `NotInstallable`."""
        teams_app = self.graph.url(f"appCatalogs/teamsApps/{segment(self.catalog_app_id)}")
        try:
            await self.graph.call(
                "POST",
                f"users/{segment(user)}/teamwork/installedApps",
                {"teamsApp@odata.bind": teams_app},
            )
        except GraphError as error:
            if error.status == 409:
                return False
            if error.status in (400, 403, 404):
                raise NotInstallable(error.status, error.code) from error
            raise
        return True

    async def personal_chat(self, user: str) -> str | None:
        """The id of the 1:1 chat between `user` and the bot, if the app is installed."""
        user_path = f"users/{segment(user)}/teamwork/installedApps"
        params = {
            "$expand": "teamsAppDefinition",
            "$filter": f"teamsAppDefinition/teamsAppId eq '{self.catalog_app_id}'",
        }
        try:
            async for installation in self.graph.pages(user_path, params=params):
                installation_id = installation.get("id")
                if not isinstance(installation_id, str):
                    continue
                chat = await self.graph.call("GET", f"{user_path}/{segment(installation_id)}/chat")
                chat_id = chat.get("id")
                return chat_id if isinstance(chat_id, str) and chat_id else None
        except GraphError as error:
            if error.status in (403, 404):
                return None
            raise
        return None


def installer(settings: GraphSettings) -> TeamsAppInstaller:
    """The installer on a Graph client with the app's MSAL tokens, as `settings` say."""
    token = msal_token(settings)
    client = GraphClient(settings.base_url, token, ca_bundle=settings.ca_bundle)
    return TeamsAppInstaller(client, settings.catalog_app_id)
