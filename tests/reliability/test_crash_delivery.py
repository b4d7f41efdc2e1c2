"""A bot process killed with SIGKILL in the middle of sending a lone-work request's cards.

A real `python -m bot run` answers the request; Teams takes the requester's card, and the
process is killed before Teams' answer reaches it, so it never records that card and never
starts the approver's. The next process (started on a clock moved on, as the tests never
wait for real time) sends the approver's card at its first scheduler round, and the
requester's card, whose fate it cannot know, once after the grace, marked as sent again.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
import time_machine
from sqlalchemy import select

from bot.app import prepare_database
from domain.org import OrgFile
from storage import org
from storage.audit import audited
from storage.db import Database
from storage.models import JobRun, PostedActivity, Unit
from tests.http.test_lone_work_http import LISE, MAJA, form
from tests.reliability.support_processes import SERVER_URL, BotProcess, Teams, own_database
from tests.support.databases import orm_session
from tests.support.fake_connector import FakeConnector, Sent, taken_unanswered

BACKENDS = ["sqlite"] + (["postgresql"] if SERVER_URL else [])


@asynccontextmanager
async def _database(backend: str, workdir: Path) -> AsyncIterator[str]:
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / 'amkbot.db'}"
        return
    async with own_database(SERVER_URL) as url:
        yield url


async def _eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    for _ in range(600):
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


def _cards(connector: FakeConnector, user: str, words: str) -> list[Sent]:
    return [
        item
        for item in connector.messages()
        if item.conversation_id == user and words in item.card_text()
    ]


async def _kept(db: Database) -> dict[str, str]:
    async with orm_session(db) as session:
        rows = await session.execute(
            select(JobRun.key, JobRun.status).where(JobRun.key.like("redeliver:%"))
        )
        return {key.rsplit(":", 1)[-1]: status for key, status in rows}


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_process_killed_mid_delivery_loses_no_card_and_marks_the_uncertain_one(
    backend: str, tmp_path: Path
) -> None:
    async with _database(backend, tmp_path) as url:
        db = Database(url)
        await prepare_database(db)
        leader = {"upn": LISE.upn, "aad_object_id": LISE.aad}
        async with audited(db) as connection:
            await org.import_org(
                connection,
                OrgFile.model_validate({"units": [{"name": "Kemi", "leader": [leader]}]}),
                actor="test",
            )
            kemi = int(
                (await connection.execute(select(Unit.id).where(Unit.name == "Kemi"))).scalar_one()
            )
        # The bot processes own the file from here on: the test only reads.
        await db.dispose()
        db = Database(url)
        connector = FakeConnector()
        await connector.start()
        http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120))
        processes: list[BotProcess] = []

        async def start(name: str) -> BotProcess:
            process = BotProcess(name, url, tmp_path, SCHEDULER_INTERVAL="0.5")
            processes.append(process)
            process.start()
            await process.wait_ready(http)
            return process

        def requester_cards() -> list[Sent]:
            return _cards(connector, MAJA.chat_id, "Afventer godkendelse")

        def approval_cards() -> list[Sent]:
            return _cards(connector, LISE.chat_id, "Godkend")

        try:
            teams = Teams(connector, http)
            first = await start("first")
            for user in (MAJA, LISE):
                await teams.install(first, user)
            to_maja = rf"POST /v3/conversations/{MAJA.chat_id}/activities$"
            connector.plan(to_maja, taken_unanswered())
            await teams.say(first, MAJA, "alenearbejde")
            await teams.submit(first, MAJA, form(kemi))
            sent = await teams.submit(first, MAJA, {"action": "lone_work.form.send"})
            assert any("er sendt til Lise Leder" in item.text for item in sent)
            await asyncio.wait_for(connector.holding.wait(), 60)
            assert first.process is not None
            first.process.kill()
            assert first.process.wait() == -9
            assert len(requester_cards()) == 1 and approval_cards() == []
            assert await _kept(db) == {"requester": "claimed", "approver": "failed"}, (
                "the requester's card was started, the approver's never"
            )
            async with orm_session(db) as session:
                assert (await session.scalars(select(PostedActivity.status))).all() == ["sending"]

            with time_machine.travel(datetime.now(UTC) + timedelta(minutes=1), tick=True):
                second = await start("second")

                async def approver_card_done() -> bool:
                    return (await _kept(db)).get("approver") == "done"

                await _eventually(approver_card_done, "the approver's card at the first round")
                assert len(approval_cards()) == 1
                assert len(requester_cards()) == 1, "a card Teams may have waits the grace"
                assert await second.stop() == 0

            with time_machine.travel(datetime.now(UTC) + timedelta(minutes=6), tick=True):
                third = await start("third")

                async def requester_card_done() -> bool:
                    return (await _kept(db)).get("requester") == "done"

                await _eventually(requester_card_done, "the requester's card after the grace")
                mine = requester_cards()
                assert len(mine) == 2 and len(approval_cards()) == 1
                assert "Sendt igen: AMK-bot blev afbrudt" in mine[1].card_text()
                assert "Sendt igen" not in mine[0].card_text()
                assert await third.stop() == 0
        finally:
            for process in processes:
                await process.stop()
            await http.close()
            await connector.close()
            await db.dispose()
