"""Real bot processes (`python -m bot run`) on one PostgreSQL database, and Teams talking to
them over HTTP with replies collected by the fake connector."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

from storage.db import normalise_url
from tests.support.clock import child_environment
from tests.support.fake_connector import FakeConnector, Sent
from tests.support.teams import BOT_ID, Reply, User, channel_activity, personal_activity

ROOT = Path(__file__).resolve().parents[2]
SERVER_URL = os.environ.get("TEST_DATABASE_URL", "")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def own_database(server_url: str) -> AsyncIterator[str]:
    """A new, empty PostgreSQL database next to the test database, dropped afterwards.

    The processes read `DATABASE_URL` only (no schema option), so they get a database."""
    import asyncpg  # type: ignore[import-untyped]

    dsn = normalise_url(server_url).replace("postgresql+asyncpg://", "postgresql://")
    name = f"amk_two_{uuid.uuid4().hex[:10]}"
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    try:
        yield f"{dsn.rsplit('/', 1)[0]}/{name}"
    finally:
        connection = await asyncpg.connect(dsn)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()


class BotProcess:
    """`python -m bot run` with its own port; the log goes to a file in `workdir`."""

    def __init__(self, name: str, database_url: str, workdir: Path, **env: str) -> None:
        self.name = name
        self.port = free_port()
        self.log_path = workdir / f"{name}.log"
        self.workdir = workdir
        self.env = {
            **os.environ,
            "PORT": str(self.port),
            "HOST": "127.0.0.1",
            "DATABASE_URL": database_url,
            "MicrosoftAppId": "",
            "MicrosoftAppPassword": "",
            "ADMIN_UPNS": "admin@uni.dk",
            "PYTHONPATH": str(ROOT),
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/messages"

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                env=child_environment(self.env),
                cwd=self.workdir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    async def wait_ready(self, http: aiohttp.ClientSession, seconds: float = 90) -> None:
        assert self.process is not None
        for _ in range(int(seconds * 10)):
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}: {self.log}")
            try:
                async with http.get(f"http://127.0.0.1:{self.port}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
        raise RuntimeError(f"{self.name} did not start: {self.log}")

    async def stop(self) -> int | None:
        """SIGINT, as an orchestrator stops it: the app drains its work after the answers."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            for _ in range(300):
                if self.process.poll() is not None:
                    break
                await asyncio.sleep(0.1)
            else:
                self.process.kill()
        return self.process.wait()

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]


class Teams:
    """Activities shaped like Teams', posted to whichever process the test picks."""

    def __init__(self, connector: FakeConnector, http: aiohttp.ClientSession) -> None:
        self.connector = connector
        self.http = http
        self._ids = itertools.count(1)
        self.statuses: list[int] = []

    def personal(self, user: User, **fields: Any) -> dict[str, Any]:
        activity_id = f"in-{uuid.uuid4().hex[:8]}-{next(self._ids)}"
        return personal_activity(self.connector, user, activity_id, **fields)

    def channel(self, user: User, team_id: str, channel_id: str, **fields: Any) -> dict[str, Any]:
        return channel_activity(self.personal(user, **fields), team_id, channel_id)

    async def post(self, process: BotProcess, activity: dict[str, Any]) -> Reply:
        async with self.http.post(process.url, json=activity) as response:
            raw = await response.read()
            self.statuses.append(response.status)
            try:
                body: Any = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
            return Reply(response.status, body)

    async def exchange(self, process: BotProcess, activity: dict[str, Any]) -> list[Sent]:
        """Post a message; the bot's replies in that turn (matched by the activity id)."""
        reply = await self.post(process, activity)
        assert reply.status in (200, 201, 202), reply
        suffix = f"/activities/{activity['id']}"
        return [item for item in self.connector.sent if item.path.endswith(suffix)]

    async def say(self, process: BotProcess, user: User, text: str) -> list[Sent]:
        return await self.exchange(process, self.personal(user, text=text))

    async def submit(self, process: BotProcess, user: User, value: dict[str, Any]) -> list[Sent]:
        return await self.exchange(process, self.personal(user, value=value))

    async def install(self, process: BotProcess, user: User) -> None:
        await self.exchange(
            process, self.personal(user, type="conversationUpdate", membersAdded=[{"id": BOT_ID}])
        )

    async def invoke(
        self, process: BotProcess, user: User, verb: str, data: dict[str, Any]
    ) -> Reply:
        return await self.post(
            process,
            self.personal(
                user,
                type="invoke",
                name="adaptiveCard/action",
                value={
                    "action": {"type": "Action.Execute", "verb": verb, "data": data},
                    "trigger": "manual",
                },
            ),
        )


def text_of(items: list[Sent]) -> str:
    return " ".join(item.text + " " + item.card_text() for item in items)
