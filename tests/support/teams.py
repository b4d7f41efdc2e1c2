"""Teams-shaped activities posted over real HTTP to the bot under test."""

from __future__ import annotations

import dataclasses
import itertools
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp.test_utils import TestServer

from bot.app import RUNTIME_KEY, BotRuntime, create_app
from bot.config import Settings
from tests.support.fake_connector import FakeConnector, Sent

if TYPE_CHECKING:
    from tests.conftest import DatabaseTarget

BOT_ID = "28:amkbot-test"
TENANT = "11111111-2222-3333-4444-555555555555"
# With an app id, where the bot fetches signing keys unless a test says otherwise: a closed
# local port, so that no test reaches out to the Bot Framework.
NO_KEY_SERVER = "http://127.0.0.1:9/no-key-server"


@dataclass(frozen=True)
class User:
    """A Teams user: `29:` id, Entra object id, name, locale and (for the connector) UPN."""

    name: str
    aad: str
    upn: str
    locale: str = "da-DK"

    @property
    def teams_id(self) -> str:
        return f"29:{self.aad}"

    @property
    def chat_id(self) -> str:
        return f"a:personal-{self.aad}"


def make_user(name: str, upn: str, locale: str = "da-DK") -> User:
    return User(name=name, aad=str(uuid.uuid4()), upn=upn, locale=locale)


def personal_activity(
    connector: FakeConnector, user: User, activity_id: str, **fields: Any
) -> dict[str, Any]:
    """A personal-chat activity from `user` as Teams sends it; the connector learns the member."""
    connector.members.setdefault(
        user.teams_id,
        {
            "id": user.teams_id,
            "name": user.name,
            "aadObjectId": user.aad,
            "email": user.upn,
            "userPrincipalName": user.upn,
        },
    )
    activity: dict[str, Any] = {
        "type": "message",
        "id": activity_id,
        "timestamp": "2026-11-27T10:00:00.000Z",
        "serviceUrl": connector.url,
        "channelId": "msteams",
        "from": {"id": user.teams_id, "name": user.name, "aadObjectId": user.aad},
        "conversation": {
            "id": user.chat_id,
            "conversationType": "personal",
            "tenantId": TENANT,
        },
        "recipient": {"id": BOT_ID, "name": "AMK-bot"},
        "locale": user.locale,
        "channelData": {"tenant": {"id": TENANT}},
    }
    activity.update(fields)
    return activity


def channel_activity(activity: dict[str, Any], team_id: str, channel_id: str) -> dict[str, Any]:
    """The same activity moved to a team channel."""
    activity["conversation"] = {
        "id": channel_id,
        "conversationType": "channel",
        "isGroup": True,
        "tenantId": TENANT,
    }
    activity["channelData"] = {
        "tenant": {"id": TENANT},
        "team": {"id": team_id, "name": "AMK-netværket"},
        "channel": {"id": channel_id.split(";")[0]},
    }
    return activity


@dataclass
class Reply:
    """The HTTP answer to one posted activity."""

    status: int
    body: Any


class BotUnderTest:
    """Starts the bot's app on a free port; `restart()` is a process restart on the same DB.

    `clock` is the one the bot checks tokens with; `settings` override the others."""

    def __init__(
        self,
        database: DatabaseTarget,
        connector: FakeConnector,
        *,
        admin_upns: set[str],
        app_id: str = "",
        clock: Callable[[], float] = time.time,
        **settings: Any,
    ) -> None:
        self.database = database
        self.connector = connector
        self.clock = clock
        self.settings = dataclasses.replace(
            Settings(
                database_url=database.url,
                admin_upns=frozenset(admin_upns),
                app_id=app_id,
                app_password="secret" if app_id else "",
                app_tenant_id=TENANT if app_id else "",
                openid_metadata_url=NO_KEY_SERVER,
            ),
            **settings,
        )
        self.server: TestServer | None = None
        self.runtime: BotRuntime | None = None
        self._http: aiohttp.ClientSession | None = None
        self._ids = itertools.count(1)

    async def start(self) -> None:
        from bot.app import build_runtime

        await self.database.prepare()
        self.runtime = build_runtime(self.settings, self.database.open(), clock=self.clock)
        app = create_app(self.settings, self.runtime, run_scheduler=False)
        assert app[RUNTIME_KEY] is self.runtime
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        self._http = aiohttp.ClientSession()

    async def stop(self) -> None:
        if self._http is not None:
            await self._http.close()
        if self.server is not None:
            await self.server.close()

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/api/messages"))

    async def post_raw(
        self,
        data: bytes,
        *,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> Reply:
        assert self._http is not None
        async with self._http.post(
            self.url, data=data, headers={"Content-Type": content_type, **(headers or {})}
        ) as response:
            raw = await response.read()
            try:
                body: Any = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
            return Reply(response.status, body)

    async def post(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> Reply:
        return await self.post_raw(json.dumps(activity).encode(), headers=headers)

    async def get(self, path: str) -> Reply:
        assert self._http is not None and self.server is not None
        async with self._http.get(self.server.make_url(path)) as response:
            return Reply(response.status, await response.json())

    # -- activities --------------------------------------------------------------------------

    def personal(self, user: User, **fields: Any) -> dict[str, Any]:
        """A personal-chat activity from `user`, shaped like Teams sends it."""
        return personal_activity(self.connector, user, f"in-{next(self._ids)}", **fields)

    async def say(self, user: User, text: str) -> list[Sent]:
        return await self._exchange(self.personal(user, text=text))

    async def submit(self, user: User, value: dict[str, Any]) -> list[Sent]:
        """An Action.Submit: a message with the inputs in `value` and no text."""
        return await self._exchange(self.personal(user, value=value, replyToId="card-1"))

    async def invoke(self, user: User, verb: str, data: dict[str, Any]) -> Reply:
        """An Action.Execute click: `adaptiveCard/action` invoke; the answer is the HTTP body."""
        return await self.post(
            self.personal(
                user,
                type="invoke",
                name="adaptiveCard/action",
                value={
                    "action": {"type": "Action.Execute", "verb": verb, "data": data},
                    "trigger": "manual",
                },
                replyToId="card-1",
            )
        )

    async def file_consent(
        self,
        user: User,
        attachment: dict[str, Any],
        action: str = "accept",
        *,
        upload_url: str | None = None,
    ) -> Reply:
        """The person answers a file consent card (`attachment`, as the bot sent it): Teams'
        `fileConsent/invoke`, with an upload URL (the fake connector's unless given) when
        accepted."""
        name = attachment["name"]
        content = attachment["content"]
        value: dict[str, Any] = {
            "type": "fileUpload",
            "action": action,
            "context": content["acceptContext" if action == "accept" else "declineContext"],
        }
        if action == "accept":
            value["uploadInfo"] = {
                "contentUrl": f"https://uni-my.sharepoint.com/personal/bot/{name}",
                "name": name,
                "uploadUrl": upload_url or self.connector.upload_url(name),
                "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
                "fileType": "xlsx",
            }
        return await self.post(
            self.personal(
                user, type="invoke", name="fileConsent/invoke", value=value, replyToId="card-1"
            )
        )

    async def install_personal(self, user: User) -> list[Sent]:
        return await self._exchange(
            self.personal(user, type="conversationUpdate", membersAdded=[{"id": BOT_ID}])
        )

    def team_activity(
        self, user: User, team_id: str, channel_id: str, **fields: Any
    ) -> dict[str, Any]:
        activity = channel_activity(self.personal(user, **fields), team_id, channel_id)
        activity["channelData"]["team"]["aadGroupId"] = str(uuid.uuid4())
        activity["channelData"].update(fields.get("channelData", {}))
        return activity

    async def _exchange(self, activity: dict[str, Any]) -> list[Sent]:
        before = len(self.connector.sent)
        reply = await self.post(activity)
        assert reply.status in (200, 201, 202), reply
        return [item for item in self.connector.sent[before:] if item.method == "POST"]
