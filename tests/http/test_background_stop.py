"""A graceful stop waits for background work at most `STOP_GRACE_SECONDS`; what it cuts off
is sent after the next start, once."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import select, update

from bot.app import build_runtime, create_app
from bot.background import CANCEL_SECONDS, CUT_SECONDS, BackgroundTasks
from bot.config import Settings
from bot.workers import turn_wait_seconds
from domain.org import OrgFile
from storage import org
from storage.audit import audited
from storage.models import JobRun, PostedActivity, Unit
from tests.conftest import DatabaseTarget
from tests.http.test_lone_work_http import form
from tests.reliability.support_processes import BotProcess, own_database
from tests.reliability.support_processes import Teams as ProcessTeams
from tests.reliability.test_faults import (
    ADMIN,
    LISE,
    MAJA,
    MONDAY_0801,
    _approval_cards,
    _ask_for_approval,
    _chat_path,
    _digests,
    _kemi_with_leader,
    _request_id,
    _subscribe,
    _tick,
    _to,
)
from tests.support.clock import child_environment, written_for_suite_moment
from tests.support.databases import orm_session, orm_transaction
from tests.support.fake_connector import FakeConnector, Sent, slow
from tests.support.teams import BotUnderTest, make_user

GRACE = 1.0
# The longest a stop may take here: the deadline, the cut work's time to keep its cards,
# and a wide margin for a loaded machine. Without the deadline a Teams that never answers
# holds the stop for six tries of 15 s each plus their pauses (about 100 s).
MOST = GRACE + CUT_SECONDS + CANCEL_SECONDS + 10.0


@dataclass
class HangingTeams(FakeConnector):
    """The fake connector, but requests matching `hang_on` get no answer until the test
    ends (nothing is delivered), as when Teams hangs."""

    hang_on: re.Pattern[str] | None = None
    deliver_when_released: bool = False
    released: asyncio.Event = field(default_factory=asyncio.Event)
    hanging: asyncio.Event = field(default_factory=asyncio.Event)
    hung: list[str] = field(default_factory=list)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        target = f"{request.method} {request.path}"
        if self.hang_on is None or not self.hang_on.search(target):
            return await super()._handle(request)
        self.hung.append(target)
        self.hanging.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.released.wait(), 120)
        if self.deliver_when_released:
            return await super()._handle(request)
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=503)


@pytest.fixture
async def teams() -> AsyncIterator[HangingTeams]:
    fake = HangingTeams()
    await fake.start()
    try:
        yield fake
    finally:
        fake.released.set()
        await fake.close()


class StoppingBot(BotUnderTest):
    """The bot's app as `python -m bot run` serves it: a stop waits for the turns in flight
    within the same deadline as for the background work."""

    async def start(self) -> None:
        self.runtime = build_runtime(self.settings, self.database.open())
        self.server = TestServer(create_app(self.settings, self.runtime, run_scheduler=False))
        await self.server.start_server(shutdown_timeout=turn_wait_seconds(self.settings))
        self._http = aiohttp.ClientSession()


@pytest.fixture
async def bot(database_target: DatabaseTarget, teams: HangingTeams) -> AsyncIterator[BotUnderTest]:
    """The bot with a one-second stop deadline."""
    under_test = StoppingBot(database_target, teams, admin_upns={"admin@uni.dk"})
    under_test.settings = replace(under_test.settings, stop_grace_seconds=GRACE)
    await under_test.start()
    try:
        yield under_test
    finally:
        await under_test.stop()


async def _timed_stop(bot: BotUnderTest) -> float:
    started = time.monotonic()
    await bot.stop()
    return time.monotonic() - started


async def _parked(bot: BotUnderTest) -> list[JobRun]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list(
            (
                await session.scalars(
                    select(JobRun).where(JobRun.key.startswith("redeliver:")).order_by(JobRun.key)
                )
            ).all()
        )


def _decision_messages(bot: BotUnderTest) -> list[Sent]:
    return [m for m in _to(bot, MAJA) if "er godkendt af Lise Leder" in m.card_text()]


async def test_a_stop_waits_for_quick_background_work(bot: BotUnderTest) -> None:
    assert bot.runtime is not None
    bot.settings = replace(bot.settings, stop_grace_seconds=10.0)
    await bot.restart()
    kemi = await _kemi_with_leader(bot)
    await _ask_for_approval(bot, kemi)
    bot.connector.clear()
    bot.connector.plan(_chat_path(MAJA), slow(1.0))
    answer = await bot.invoke(LISE, "lone_work.approve", {"request_id": await _request_id(bot)})
    assert answer.status == 200
    took = await _timed_stop(bot)  # at once: the decision message is still on its way
    assert len(_decision_messages(bot)) == 1
    assert bot.connector.pending_faults() == 0
    await bot.start()
    assert await _parked(bot) == []
    assert took < 10.0


async def test_a_card_teams_hangs_on_is_cut_at_the_deadline_and_sent_once_after_the_start(
    bot: BotUnderTest, teams: HangingTeams
) -> None:
    assert bot.runtime is not None
    kemi = await _kemi_with_leader(bot)
    await _ask_for_approval(bot, kemi)
    teams.hang_on = re.compile(_chat_path(MAJA))
    answer = await bot.invoke(LISE, "lone_work.approve", {"request_id": await _request_id(bot)})
    assert answer.status == 200 and "Godkendt af Lise Leder" in str(answer.body)

    took = await _timed_stop(bot)
    assert took < MOST
    assert teams.hung and _decision_messages(bot) == []

    teams.hang_on = None  # Teams answers again
    await bot.start()
    [kept] = await _parked(bot)
    assert kept.key.startswith("redeliver:lone_work:") and kept.status == "failed"
    async with orm_session(bot.runtime.db) as session:
        post = (
            await session.scalars(
                select(PostedActivity).where(
                    PostedActivity.dedupe_key == kept.key.removeprefix("redeliver:")
                )
            )
        ).one()
    assert post.status == "sending" and post.activity_id is None  # claimed, never sent
    now = datetime.now(UTC)
    await _tick(bot, now)
    assert len(_decision_messages(bot)) == 1
    for later in (timedelta(minutes=5), timedelta(hours=7)):
        await _tick(bot, now + later)
    assert len(_decision_messages(bot)) == 1
    [done] = await _parked(bot)
    assert done.status == "done"


async def test_cards_after_the_cut_one_are_kept_too(bot: BotUnderTest, teams: HangingTeams) -> None:
    """A unit without a leader: every AMK person and administrator is told, one after the
    other. Teams hangs on the first; the stop keeps that card and the ones after it."""
    assert bot.runtime is not None
    amk = [make_user(f"AMK {n}", f"amk{n}@uni.dk") for n in (1, 2)]
    unit: dict[str, Any] = {
        "name": "Kemi",
        "amk": [{"upn": user.upn, "aad_object_id": user.aad} for user in amk],
    }
    async with audited(bot.runtime.db) as connection:
        await org.import_org(connection, OrgFile.model_validate({"units": [unit]}), actor="test")
        kemi = int(
            (await connection.execute(select(Unit.id).where(Unit.name == "Kemi"))).scalar_one()
        )
    told = [*amk, ADMIN]
    for user in [MAJA, *told]:
        await bot.install_personal(user)
    bot.connector.clear()
    teams.hang_on = re.compile("|".join(_chat_path(user) for user in told))

    await bot.say(MAJA, "alenearbejde")
    await bot.submit(MAJA, form(kemi))
    await bot.post(bot.personal(MAJA, value={"action": "lone_work.form.send"}))
    took = await _timed_stop(bot)
    assert took < MOST
    assert len(teams.hung) == 1  # the first notice hung; the others were never tried

    teams.hang_on = None
    await bot.start()
    assert len(await _parked(bot)) == len(told)
    await _tick(bot, datetime.now(UTC))
    await _tick(bot, datetime.now(UTC) + timedelta(hours=1))
    for user in told:
        notices = [m for m in _to(bot, user) if m.card is not None]
        assert len(notices) == 1, user.name
    assert all(run.status == "done" for run in await _parked(bot))


async def test_an_approval_card_cut_before_its_send_finished_is_sent_once(
    bot: BotUnderTest, teams: HangingTeams
) -> None:
    """The card is sent after the answer, and the stop cuts its send at the deadline: the
    card is kept, and sent under the same dedupe key after the next start."""
    assert bot.runtime is not None
    kemi = await _kemi_with_leader(bot)
    teams.hang_on = re.compile(_chat_path(LISE))
    sent = asyncio.create_task(_ask_for_approval(bot, kemi))
    await asyncio.wait_for(teams.hanging.wait(), 30)
    assert bot.server is not None
    started = time.monotonic()
    await bot.server.close()  # the client still waits for its answer
    took = time.monotonic() - started
    await asyncio.gather(sent, return_exceptions=True)
    await bot.stop()
    assert took < MOST and _approval_cards(bot) == []

    teams.hang_on = None
    await bot.start()
    assert [run.key for run in await _parked(bot)] == ["redeliver:lone_work:1:approver"]
    await _tick(bot, datetime.now(UTC))
    await _tick(bot, datetime.now(UTC) + timedelta(hours=1))
    assert len(_approval_cards(bot)) == 1


@written_for_suite_moment()
async def test_a_digest_post_cut_by_the_stop_is_posted_once_when_its_claim_runs_out(
    bot: BotUnderTest, teams: HangingTeams
) -> None:
    """Channel posts run in the scheduler, which a stop cancels at once; the post's claim
    (10 minutes) brings it back to the next run after that."""
    assert bot.runtime is not None
    await _subscribe(bot)
    teams.hang_on = re.compile(r"POST /v3/conversations/?$")
    bot.runtime.scheduler.clock = lambda: MONDAY_0801
    bot.runtime.scheduler.start()
    await asyncio.wait_for(teams.hanging.wait(), 30)
    took = await _timed_stop(bot)
    assert took < MOST and _digests(bot) == []

    teams.hang_on = None
    await bot.start()
    await _tick(bot, MONDAY_0801 + timedelta(minutes=1))
    assert _digests(bot) == []  # still claimed by the stopped run
    async with orm_transaction(bot.runtime.db) as session:
        await session.execute(
            update(JobRun)
            .where(JobRun.key.startswith("digest:"))
            .values(lease_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    for minute in (11, 12, 30):
        await _tick(bot, MONDAY_0801 + timedelta(minutes=minute))
    assert len(_digests(bot)) == 1


async def test_drain_waits_for_work_started_meanwhile_and_cancels_at_the_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("bot.background.CUT_SECONDS", 0.2)
    background = BackgroundTasks()
    finished: list[str] = []

    async def quick(name: str, then: str | None = None) -> None:
        await asyncio.sleep(0.05)
        if then:
            background.spawn(quick(then), name=then)
        finished.append(name)

    async def stuck() -> None:
        try:
            await asyncio.sleep(3600)
        finally:
            finished.append("stuck (cancelled)")

    background.spawn(quick("first", then="second"), name="first")
    assert await background.drain(5.0) == []
    assert finished == ["first", "second"]

    cuts: list[bool] = []
    background.spawn(stuck(), name="stuck")
    background.spawn(quick("third"), name="third")
    late = await background.drain(0.5, cut=lambda: cuts.append(True))
    assert late == ["stuck"] and cuts == [True]
    assert finished[-2:] == ["third", "stuck (cancelled)"]
    assert background.running == 0


def test_stop_grace_setting() -> None:
    assert Settings.from_env({}, dotenv=None).stop_grace_seconds == 20.0
    assert Settings.from_env({"STOP_GRACE_SECONDS": "7.5"}, dotenv=None).stop_grace_seconds == 7.5
    assert Settings.from_env({"STOP_GRACE_SECONDS": "0"}, dotenv=None).stop_grace_seconds == 0.0
    for bad in ("-1", "601", "soon", "nan"):
        with pytest.raises(ValueError, match="STOP_GRACE_SECONDS"):
            Settings.from_env({"STOP_GRACE_SECONDS": bad}, dotenv=None)


# -- a real process and its signals ------------------------------------------------------------


def _start_in_own_group(process: BotProcess) -> subprocess.Popen[bytes]:
    """`python -m bot run` as the leader of a process group of its own (as in a terminal)."""
    with process.log_path.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            env=child_environment(process.env),
            cwd=process.workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@pytest.mark.parametrize("workers", ["1", "2"])
async def test_a_second_signal_does_not_cut_the_stop_short(
    teams: HangingTeams, tmp_path: Path, workers: str
) -> None:
    """A terminal's Ctrl-C or a service manager signals the whole group: each worker gets
    that signal and its supervisor's SIGTERM. The answer still arrives, the process ends
    cleanly and closes its HTTP session."""
    server = os.environ.get("TEST_DATABASE_URL", "")
    if workers != "1" and not server:
        pytest.skip("WORKERS above 1 needs PostgreSQL: set TEST_DATABASE_URL")
    async with contextlib.AsyncExitStack() as stack:
        if workers == "1":
            database_url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        else:
            database_url = await stack.enter_async_context(own_database(server))
        process = BotProcess("bot", database_url, tmp_path, WORKERS=workers)
        child = _start_in_own_group(process)
        process.process = child
        try:
            http = await stack.enter_async_context(aiohttp.ClientSession())
            await process.wait_ready(http)
            user = make_user("Jane Doe", "jado@uni.dk", "en-GB")
            chat = ProcessTeams(teams, http)
            await chat.install(process, user)
            teams.hang_on = re.compile(_chat_path(user))
            teams.deliver_when_released = True
            answer = asyncio.create_task(chat.post(process, chat.personal(user, text="help")))
            await asyncio.wait_for(teams.hanging.wait(), 30)
            if workers == "1":
                child.send_signal(signal.SIGINT)
                await asyncio.sleep(0.3)
                child.send_signal(signal.SIGTERM)
            else:
                os.killpg(child.pid, signal.SIGINT)
            await asyncio.sleep(0.5)
            teams.released.set()  # Teams answers the reply now
            reply = await answer
            code = await asyncio.to_thread(child.wait, 60)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert reply.status in (200, 201), reply
    assert [m for m in teams.messages() if "How to use AMK-bot" in m.card_text()]
    assert code == 0, process.log
    assert "already stopping" in process.log
    assert "Unclosed" not in process.log and "Traceback" not in process.log
