"""Replaying a conversation with and without restarts and comparing what the users saw.

A flow is a list of `Step`s (a message, a card submit, a card action, a scheduler tick). Each
run gets its own fresh database and fake connector, so record ids come out the same when the
bot behaves the same. After every step the work the bot does after answering is awaited, and
the step's observation is what the users noticed: the HTTP answer of a card action and every
message or card update the bot sent.

Work after the answer runs concurrently (on PostgreSQL truly so: one connection each), so
messages to different chats may reach the connector in either order, in either run. What a
user notices is the order within their own chat, so that is what is compared: messages are
grouped by chat, in the order they came within it, and the connector's activity and thread
ids (numbered in arrival order over all chats) are named by their place in their own chat.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import BotRuntime
from services.ports import PeriodicJob
from storage.db import Database
from storage.models import AuditEvent, JobRun, PostedActivity
from tests.conftest import DatabaseTarget
from tests.support.databases import orm_session
from tests.support.fake_connector import FakeConnector, Sent
from tests.support.teams import BotUnderTest, Reply

ADMIN_UPNS = frozenset({"admin@uni.dk"})
J = TypeVar("J")


@asynccontextmanager
async def fresh_target(like: DatabaseTarget, directory: Path) -> AsyncIterator[DatabaseTarget]:
    """An empty database of the same kind as `like` (a new SQLite file or PostgreSQL schema)."""
    if like.search_path is None:
        yield DatabaseTarget(f"sqlite+aiosqlite:///{directory / f'{uuid.uuid4().hex}.db'}", None)
        return
    schema = f"amk_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(like.url)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield DatabaseTarget(like.url, schema)
    finally:
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@dataclass
class World:
    """One bot process (restartable) on its own database, talking to its own fake connector.

    `on_start` hooks run after every (re)start, e.g. to give services the test's clock."""

    bot: BotUnderTest
    connector: NamingConnector
    on_start: list[Callable[[BotRuntime], None]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def runtime(self) -> BotRuntime:
        assert self.bot.runtime is not None
        return self.bot.runtime

    @property
    def db(self) -> Database:
        return self.runtime.db

    def hook(self, apply: Callable[[BotRuntime], None]) -> None:
        self.on_start.append(apply)
        apply(self.runtime)

    async def restart(self) -> None:
        await self.bot.restart()
        for apply in self.on_start:
            apply(self.runtime)

    def job(self, kind: type[J]) -> J:
        """The running process's scheduled job of this class (a new object after a restart)."""
        found: PeriodicJob = next(j for j in self.runtime.scheduler.jobs if isinstance(j, kind))
        assert isinstance(found, kind)
        return found

    def named_job(self, name: str) -> PeriodicJob:
        return next(j for j in self.runtime.scheduler.jobs if j.name == name)

    async def tick(self, kind: type[Any], at: datetime) -> None:
        await self.job(kind).run(at)


@dataclass
class NamingConnector(FakeConnector):
    """The fake connector, also naming every activity and thread id it hands out by its place
    in its own chat ("message 2 in <chat>"), which does not depend on how sends to other chats
    interleaved with it, as the ids themselves (`activity-<arrival number>`) do."""

    names: dict[str, str] = field(default_factory=dict)
    _in_chat: Counter[str] = field(default_factory=Counter)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        response = await super()._handle(request)
        if (
            request.method == "POST"
            and response.status == 200
            and isinstance(response, web.Response)
            and isinstance(response.body, bytes)
        ):
            # No await since the request was recorded: it is the last one in `sent`.
            self._name(self.sent[-1], json.loads(response.body))
        return response

    def _name(self, item: Sent, answer: dict[str, Any]) -> None:
        if item.path.rstrip("/") == "/v3/conversations":
            chat = self._next(f"new conversation in {chat_of(item)}")
            self.names[str(answer["id"])] = chat
            activity = answer.get("activityId")
        else:
            chat = self.names.get(item.conversation_id, item.conversation_id)
            activity = answer.get("id")
        if activity:
            self.names[str(activity)] = self._next(f"message in {chat}")

    def _next(self, what: str) -> str:
        self._in_chat[what] += 1
        return f"{what} #{self._in_chat[what]}"


def chat_of(item: Sent) -> str:
    """The chat a request is about: the conversation in its path, or for a new conversation
    the channel (or the members) it is started in."""
    if item.conversation_id:
        return item.conversation_id
    data = item.body.get("channelData") or {}
    channel = (data.get("channel") or {}).get("id") if isinstance(data, dict) else None
    if channel:
        return str(channel)
    members = item.body.get("members") or []
    return ",".join(sorted(str(m.get("id")) for m in members if isinstance(m, dict)))


@asynccontextmanager
async def world(like: DatabaseTarget, directory: Path) -> AsyncIterator[World]:
    async with fresh_target(like, directory) as target:
        connector = NamingConnector()
        await connector.start()
        bot = BotUnderTest(target, connector, admin_upns=set(ADMIN_UPNS))
        await bot.start()
        try:
            yield World(bot, connector)
        finally:
            await bot.stop()
            await connector.close()


@dataclass(frozen=True)
class Step:
    """One thing a user (or the clock) does; `run` may assert on what came back."""

    name: str
    run: Callable[[World], Awaitable[Any]]


_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
_CLOCK = re.compile(r"\b\d{1,2}[.:]\d{2}\b(?![.:]\d)")  # 19.05 or 19:05, not 27.11.2026
_UUID = re.compile(r"\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b")
_CONNECTOR_ID = re.compile(r"\b(?:activity|thread)-\d+\b")


def normalise(value: Any, people: dict[str, str], names: dict[str, str] | None = None) -> Any:
    """Clock times, timestamps and random ids out (people's ids become their names, the
    connector's ids the names it gave them), so only what differs for the user remains."""
    if isinstance(value, str):
        if names:
            value = _CONNECTOR_ID.sub(lambda found: names.get(found.group(0), "<id>"), value)
        value = _TIMESTAMP.sub("<time>", value)
        value = _UUID.sub(lambda found: people.get(found.group(0), "<uuid>"), value)
        return _CLOCK.sub("<hh:mm>", value)
    if isinstance(value, dict):
        return {key: normalise(item, people, names) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise(item, people, names) for item in value]
    return value


def _seen(item: Sent) -> dict[str, Any]:
    card = item.card
    nested = item.body.get("activity")
    body: dict[str, Any] = nested if isinstance(nested, dict) else item.body
    return {
        "method": item.method,
        "path": item.path,
        "text": item.text or str(body.get("text") or ""),
        "card": card,
        "failed": item.body.get("failed_with"),
    }


def _answer(result: Any) -> Any:
    if isinstance(result, Reply):
        return {"status": result.status, "body": result.body}
    return None


@dataclass
class Observation:
    step: str
    answer: Any
    sent: list[dict[str, Any]]


async def play(scene: World, steps: list[Step], *, restart_after_each: bool) -> list[Observation]:
    """Run the steps; with `restart_after_each`, the bot restarts between every two steps."""
    transcript: list[Observation] = []
    for index, step in enumerate(steps):
        before = len(scene.connector.sent)
        result = await step.run(scene)
        await scene.runtime.background.drain()
        people = {
            str(member.get("aadObjectId")): f"<{member.get('name')}>"
            for member in scene.connector.members.values()
        }
        names = scene.connector.names
        transcript.append(
            Observation(
                step.name,
                normalise(_answer(result), people, names),
                observed(scene.connector.sent[before:], people, names),
            )
        )
        if restart_after_each and index < len(steps) - 1:
            await scene.restart()
    return transcript


def observed(
    sent: list[Sent], people: dict[str, str], names: dict[str, str]
) -> list[dict[str, Any]]:
    """What the users noticed of these requests: each chat's messages in the order they came
    there (chats after one another: sends to different chats run concurrently, in no fixed
    order), then the card updates (one per posted copy) in any order."""
    chats = {id(item): normalise(chat_of(item), people, names) for item in sent}
    posts = sorted((item for item in sent if item.method == "POST"), key=lambda i: chats[id(i)])
    messages = [normalise(_seen(item), people, names) for item in posts]
    updates = [normalise(_seen(item), people, names) for item in sent if item.method != "POST"]
    return messages + sorted(
        updates, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False)
    )


async def facts(db: Database, tables: list[type[Any]]) -> dict[str, Any]:
    """Row counts of the flow's tables, audit actions, sends and job claims."""
    async with orm_session(db) as session:
        counts = {
            model.__tablename__: await session.scalar(select(func.count()).select_from(model))
            for model in tables
        }
        actions = Counter((await session.scalars(select(AuditEvent.action))).all())
        posted = sorted((await session.scalars(select(PostedActivity.dedupe_key))).all())
        claims = sorted(
            (key, status)
            for key, status in (await session.execute(select(JobRun.key, JobRun.status))).all()
        )
    return {"rows": counts, "audit": dict(actions), "posted": posted, "claims": claims}


def differences(expected: list[Observation], actual: list[Observation]) -> list[str]:
    """Readable differences, step by step (the restart came just before the step named)."""
    found = []
    for number, (want, got) in enumerate(zip(expected, actual, strict=True), start=1):
        if want.answer != got.answer:
            found.append(
                f"step {number} ({want.step}) after a restart answered differently:\n"
                f"  without restart: {_short(want.answer)}\n  with restart:    {_short(got.answer)}"
            )
        if want.sent != got.sent:
            found.append(
                f"step {number} ({want.step}) after a restart sent differently:\n"
                f"  without restart: {_short(want.sent)}\n  with restart:    {_short(got.sent)}"
            )
    return found


def _short(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) < 1500 else shown[:1500] + "…"


def shown_text(result: Any) -> str:
    """Everything a user reads in a step's result: replies' text and cards, or the invoke card."""
    if isinstance(result, Reply):
        return json.dumps(result.body, ensure_ascii=False)
    if isinstance(result, list):
        return " ".join(item.text + " " + item.card_text() for item in result)
    return ""
