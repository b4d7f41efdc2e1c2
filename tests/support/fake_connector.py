"""A stand-in for Teams' Bot Connector service: records what the bot sends, can misbehave."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import unquote

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Sent:
    """One request the bot made to the connector."""

    method: str
    path: str
    body: dict[str, Any]
    # The id the connector answered with (the message's activity id).
    answered_id: str | None = None

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


@dataclass(frozen=True)
class Upload:
    """One PUT the bot made to the fake OneDrive upload URL (`FakeConnector.upload_url`)."""

    path: str
    content_range: str | None
    body: bytes
    failed_with: int | None = None

    @property
    def name(self) -> str:
        return unquote(self.path.rsplit("/", 1)[-1])


@dataclass(frozen=True)
class Fault:
    """One misbehaviour of the connector for one request.

    `status`: answer with that HTTP status (and `headers`, e.g. Retry-After) and drop the
    request; `delay`: wait `seconds`, then handle the request normally (a slow answer);
    `reset`: close the connection before the request is handled (nothing is delivered);
    `hold`: take the message (it is delivered) but answer only after `release()`.
    """

    kind: Literal["status", "delay", "reset", "hold"]
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def status(code: int, retry_after: str | None = None) -> Fault:
    return Fault("status", code, {"Retry-After": retry_after} if retry_after else {})


def slow(seconds: float) -> Fault:
    return Fault("delay", seconds=seconds)


def reset() -> Fault:
    return Fault("reset")


def taken_unanswered() -> Fault:
    """Teams stores the message, and its answer stays away until the test releases it."""
    return Fault("hold")


@dataclass
class FaultRule:
    """Faults for requests whose `"METHOD /path"` matches `pattern` (a regex), in order."""

    pattern: re.Pattern[str]
    faults: deque[Fault]


@dataclass
class Download:
    """One file the bot fetched from the fake: its path, the token it sent, how many bytes
    were written before the bot stopped reading, and whether all of them were."""

    path: str
    authorization: str | None
    served: int = 0
    complete: bool = False


@dataclass
class FakeConnector:
    """Answers like the Bot Connector; `fail_next` scripts errors such as 429 + Retry-After,
    `plan()` scripts faults (status, slow answer, connection reset) per request pattern."""

    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    fail_next: deque[tuple[int, dict[str, str]]] = field(default_factory=deque)
    rules: list[FaultRule] = field(default_factory=list)
    injected: list[tuple[str, Fault]] = field(default_factory=list)
    # PUTs to `upload_url` (the OneDrive upload session a file consent accept points at)
    uploads: list[Upload] = field(default_factory=list)
    server: TestServer | None = None
    holding: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)
    # files the fake serves (path -> bytes): SharePoint downloads and pasted images alike
    files: dict[str, bytes] = field(default_factory=dict)
    downloads: list[Download] = field(default_factory=list)
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

    def upload_url(self, name: str) -> str:
        """Where Teams would let the bot upload `name` (faults: `plan("PUT /upload/", …)`)."""
        return f"{self.url}upload/{name}"

    def uploaded(self) -> bytes:
        """The bytes that arrived, parts joined in order of their Content-Range."""
        parts = sorted(
            (int((item.content_range or "bytes 0-").split()[1].split("-")[0]), item.body)
            for item in self.uploads
            if item.failed_with is None
        )
        return b"".join(body for _, body in parts)

    async def _upload(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        path = request.path
        content_range = request.headers.get("Content-Range")
        fault = self._next_fault(request.method, path)
        if fault is not None and fault.kind == "delay":
            await asyncio.sleep(fault.seconds)
        if fault is not None and fault.kind == "status":
            self.uploads.append(Upload(path, content_range, body, fault.status))
            return web.json_response({"error": {"code": "Injected"}}, status=fault.status)
        if fault is not None and fault.kind == "reset":
            self.uploads.append(Upload(path, content_range, body, 0))
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=500)
        self.uploads.append(Upload(path, content_range, body))
        total = int((content_range or "/0").rsplit("/", 1)[-1] or 0)
        end = int((content_range or "bytes 0-0/0").split()[1].split("/")[0].split("-")[1])
        if end + 1 < total:
            return web.json_response({"nextExpectedRanges": [f"{end + 1}-"]}, status=202)
        return web.json_response({"id": "file-1", "name": path.rsplit("/", 1)[-1]}, status=201)

    def release(self) -> None:
        """Answer the messages held by `taken_unanswered()` (and any held later)."""
        self.released.set()

    async def close(self) -> None:
        self.release()
        if self.server is not None:
            await self.server.close()

    def plan(self, pattern: str, *faults: Fault) -> None:
        """Inject `faults`, one per matching request, e.g. `plan("POST .*/activities", ...)`."""
        self.rules.append(FaultRule(re.compile(pattern), deque(faults)))

    def pending_faults(self) -> int:
        return sum(len(rule.faults) for rule in self.rules)

    def _next_fault(self, method: str, path: str) -> Fault | None:
        target = f"{method} {path}"
        for rule in self.rules:
            if rule.faults and rule.pattern.search(target):
                fault = rule.faults.popleft()
                self.injected.append((target, fault))
                return fault
        return None

    def serve_file(self, name: str, data: bytes) -> str:
        """A dropped file's pre-authorised download URL (`file.download.info`)."""
        path = f"/files/{name}"
        self.files[path] = data
        return self.url.rstrip("/") + path

    def serve_image(self, image_id: str, data: bytes) -> str:
        """A pasted image's `contentUrl`, behind the connector."""
        path = f"/v3/attachments/{image_id}/views/original"
        self.files[path] = data
        return self.url.rstrip("/") + path

    async def _serve(self, request: web.Request, data: bytes) -> web.StreamResponse:
        """The file in 64 kB chunks without a length (as a chunked download arrives), so a
        reader that stops early shows in `served`."""
        record = Download(request.path, request.headers.get("Authorization"))
        self.downloads.append(record)
        response = web.StreamResponse()
        response.content_type = "application/octet-stream"
        await response.prepare(request)
        try:
            for at in range(0, len(data), 64 * 1024):
                chunk = data[at : at + 64 * 1024]
                await response.write(chunk)
                record.served += len(chunk)
            await response.write_eof()
            record.complete = True
        except ConnectionError:  # the bot stopped reading
            pass
        return response

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.method == "GET" and request.path in self.files:
            return await self._serve(request, self.files[request.path])
        if request.path.startswith("/upload/"):
            return await self._upload(request)
        raw = await request.read()
        body = json.loads(raw) if raw else {}
        path = request.path
        fault = self._next_fault(request.method, path)
        if fault is not None and fault.kind == "reset":
            self.sent.append(Sent(request.method, path, {"failed_with": "reset", **body}))
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=500)  # never reaches the client: the socket is gone
        if fault is not None and fault.kind == "status":
            self.sent.append(Sent(request.method, path, {"failed_with": fault.status, **body}))
            return web.json_response(
                {"error": {"code": "Injected"}}, status=fault.status, headers=fault.headers
            )
        if fault is not None and fault.kind == "delay":
            await asyncio.sleep(fault.seconds)
        if fault is not None and fault.kind == "hold":
            held = Sent(request.method, path, body, f"activity-{next(self._ids)}")
            self.sent.append(held)
            self.holding.set()
            await self.released.wait()
            return web.json_response({"id": held.answered_id})
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
        number = next(self._ids)
        self.sent.append(Sent(request.method, path, body, f"activity-{number}"))
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
