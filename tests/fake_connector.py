"""A stand-in for Teams' Bot Connector service: records what the bot sends, can misbehave."""

from __future__ import annotations

import itertools
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Sent:
    """One request the bot made to the connector."""

    method: str
    path: str
    body: dict[str, Any]

    @property
    def conversation_id(self) -> str:
        parts = self.path.split("/")
        return unquote(parts[3]) if len(parts) > 3 else ""

    @property
    def card(self) -> dict[str, Any] | None:
        for item in self.body.get("attachments") or []:
            if item.get("contentType") == "application/vnd.microsoft.card.adaptive":
                content: dict[str, Any] = item["content"]
                return content
        activity = self.body.get("activity")
        if isinstance(activity, dict):
            return Sent(self.method, self.path, activity).card
        return None

    @property
    def text(self) -> str:
        return str(self.body.get("text") or "")

    def card_text(self) -> str:
        """Every string in the card, for assertions on what the user reads."""
        return " ".join(_strings(self.card)) if self.card else ""


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [text for value in node.values() for text in _strings(value)]
    if isinstance(node, list):
        return [text for value in node for text in _strings(value)]
    return []


@dataclass
class FakeConnector:
    """Answers like the Bot Connector; `fail_next` scripts errors such as 429 + Retry-After."""

    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    fail_next: deque[tuple[int, dict[str, str]]] = field(default_factory=deque)
    server: TestServer | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/"))

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    async def _handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        body = json.loads(raw) if raw else {}
        path = request.path
        if self.fail_next:
            status, headers = self.fail_next.popleft()
            self.sent.append(Sent(request.method, path, {"failed_with": status, **body}))
            return web.json_response(
                {"error": {"code": "Throttled"}}, status=status, headers=headers
            )
        parts = path.strip("/").split("/")
        if request.method == "GET" and len(parts) == 5 and parts[3] == "members":
            member = self.members.get(unquote(parts[4]))
            if member is None:
                return web.json_response({"error": {"code": "MemberNotFound"}}, status=404)
            return web.json_response(member)
        if request.method == "GET" and len(parts) == 4 and parts[1] == "teams":
            return web.json_response({"conversations": self.channels.get(unquote(parts[2]), [])})
        self.sent.append(Sent(request.method, path, body))
        number = next(self._ids)
        if request.method == "POST" and path.rstrip("/") == "/v3/conversations":
            return web.json_response({"id": f"thread-{number}", "activityId": f"activity-{number}"})
        return web.json_response({"id": f"activity-{number}"})

    def messages(self) -> list[Sent]:
        """Messages the bot posted (replies, proactive sends), oldest first."""
        return [
            item for item in self.sent if item.method == "POST" and "failed_with" not in item.body
        ]

    def clear(self) -> None:
        self.sent.clear()
