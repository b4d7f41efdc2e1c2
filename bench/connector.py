"""A fake Bot Connector for the benchmark: answers like Teams and records when replies arrive."""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web


@dataclass
class Arrival:
    """One request the bot made to the connector, with its arrival time (perf_counter)."""

    at: float
    method: str
    conversation: str
    reply_to: str | None
    body: dict[str, Any]


@dataclass
class BenchConnector:
    """Replies in a turn are matched to the user's activity by `replyToId` in the URL path."""

    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_reply_to: dict[str, list[Arrival]] = field(default_factory=lambda: defaultdict(list))
    first_reply: dict[str, asyncio.Future[float]] = field(default_factory=dict)
    by_conversation: dict[str, list[Arrival]] = field(default_factory=lambda: defaultdict(list))
    posted: dict[str, asyncio.Event] = field(default_factory=lambda: defaultdict(asyncio.Event))
    # Messages posted outside a reply are kept only for conversations someone reads: a run
    # that kept every card would grow the load generator's heap and its collections.
    watched: set[str] = field(default_factory=set)
    requests: int = 0
    # sizes of the files PUT to `/upload/…`
    uploaded: list[int] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    async def start(self) -> None:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = int(sock.getsockname()[1])
        await web.SockSite(self._runner, sock, backlog=1024).start()

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def expect_reply(self, activity_id: str) -> asyncio.Future[float]:
        """Register before posting: resolves with the arrival time of the first reply."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.first_reply[activity_id] = future
        return future

    def forget(self, activity_id: str) -> list[Arrival]:
        self.first_reply.pop(activity_id, None)
        return self.by_reply_to.pop(activity_id, [])

    def watch(self, conversation: str) -> None:
        self.watched.add(conversation)

    def forget_conversation(self, conversation: str) -> None:
        self.watched.discard(conversation)
        self.by_conversation.pop(conversation, None)
        self.posted.pop(conversation, None)

    async def _handle(self, request: web.Request) -> web.Response:
        at = time.perf_counter()
        self.requests += 1
        raw = await request.read()
        if request.path.startswith("/upload/"):
            # a file consent accept's upload URL (OneDrive in Teams): take the bytes
            self.uploaded.append(len(raw))
            return web.json_response({"id": f"file-{len(self.uploaded)}"}, status=201)
        parts = request.path.strip("/").split("/")
        if request.method == "GET" and len(parts) == 5 and parts[3] == "members":
            member = self.members.get(unquote(parts[4]))
            if member is None:
                return web.json_response({"error": {"code": "MemberNotFound"}}, status=404)
            return web.json_response(member)
        body: dict[str, Any] = json.loads(raw) if raw else {}
        number = next(self._ids)
        if request.method == "POST" and parts == ["v3", "conversations"]:
            return web.json_response({"id": f"thread-{number}", "activityId": f"act-{number}"})
        conversation = unquote(parts[2]) if len(parts) > 2 else ""
        reply_to = unquote(parts[4]) if len(parts) > 4 and request.method == "POST" else None
        arrival = Arrival(at, request.method, conversation, reply_to, body)
        if reply_to is not None:
            self.by_reply_to[reply_to].append(arrival)
            future = self.first_reply.get(reply_to)
            if future is not None and not future.done():
                future.set_result(at)
        elif conversation in self.watched:
            self.by_conversation[conversation].append(arrival)
            self.posted[conversation].set()
        return web.json_response({"id": f"act-{number}"})


def card_of(body: dict[str, Any]) -> dict[str, Any] | None:
    for item in body.get("attachments") or []:
        if item.get("contentType") == "application/vnd.microsoft.card.adaptive":
            content: dict[str, Any] = item["content"]
            return content
    return None


def strings(node: Any) -> str:
    """Every string in a JSON value, for light content checks."""
    return json.dumps(node, ensure_ascii=False)


def find_action_data(node: Any, verb: str) -> dict[str, Any] | None:
    if isinstance(node, dict):
        if node.get("verb") == verb and isinstance(node.get("data"), dict):
            data: dict[str, Any] = node["data"]
            return data
        children: list[Any] = list(node.values())
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = find_action_data(child, verb)
        if found is not None:
            return found
    return None
