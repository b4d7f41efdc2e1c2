"""Two bot processes on one PostgreSQL database, as when the bot is scaled out.

Each process is a real `python -m bot run` with its own port and its own scheduler (ticking
every half second here), both sending to one fake Bot Connector. Clicks race across the
processes, and so do the scheduled jobs: decisions, digests and reminders happen once.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select, update

from bot.app import prepare_database
from bot.config import Settings
from domain.org import OrgFile
from storage import org
from storage.audit import audited
from storage.db import Database
from storage.digest_models import DigestSubscription
from storage.lone_work_models import LoneWorkRequest
from storage.models import AuditEvent, JobRun, Unit, utcnow
from tests.http.test_lone_work_http import form
from tests.reliability.support_processes import (
    SERVER_URL,
    BotProcess,
    Teams,
    own_database,
    text_of,
)
from tests.support.card_nodes import walk
from tests.support.databases import orm_session, orm_transaction
from tests.support.fake_connector import FakeConnector, Sent
from tests.support.teams import User, make_user

NEEDS_POSTGRESQL = pytest.mark.skipif(
    not SERVER_URL,
    reason="SQLite is single-process by design; two bot processes need PostgreSQL "
    "(set TEST_DATABASE_URL)",
)

LISE = make_user("Lise Leder", "lise@uni.dk", "da-DK")
ADMIN = make_user("Anne Admin", "admin@uni.dk", "da-DK")
REQUESTERS = [make_user(f"Medarbejder {n}", f"medarbejder{n}@uni.dk") for n in range(10)]
TEAM = "19:amk-network@thread.tacv2"
DIGEST_CHANNEL = "19:digest@thread.tacv2"
NUMBER = re.compile(r"AL-\d{4}-\d{4}")


def test_the_scheduler_interval_is_a_setting() -> None:
    assert Settings.from_env({}, dotenv=None).scheduler_interval == 60
    assert Settings.from_env({"SCHEDULER_INTERVAL": "0.5"}, dotenv=None).scheduler_interval == 0.5
    for wrong in ("0", "-1", "soon", "86400"):
        with pytest.raises(ValueError, match="SCHEDULER_INTERVAL"):
            Settings.from_env({"SCHEDULER_INTERVAL": wrong}, dotenv=None)


@dataclass
class Pair:
    """Two running bot processes on one database, the connector they send to, and Teams."""

    first: BotProcess
    second: BotProcess
    db: Database
    connector: FakeConnector
    teams: Teams

    @property
    def both(self) -> tuple[BotProcess, BotProcess]:
        return self.first, self.second

    def pick(self, number: int) -> BotProcess:
        return self.both[number % 2]

    async def stop(self) -> None:
        codes = await asyncio.gather(*(process.stop() for process in self.both))
        for process, code in zip(self.both, codes, strict=True):
            assert code == 0, f"{process.name} exited with {code}: {process.log}"


@asynccontextmanager
async def two_processes(workdir: Path) -> AsyncIterator[Pair]:
    async with own_database(SERVER_URL) as url:
        db = Database(url)
        await prepare_database(db)
        async with audited(db) as connection:
            await org.import_org(
                connection,
                OrgFile.model_validate(
                    {
                        "units": [
                            {
                                "name": "Kemi",
                                "leader": [{"upn": LISE.upn, "aad_object_id": LISE.aad}],
                            }
                        ]
                    }
                ),
                actor="test",
            )
        connector = FakeConnector()
        await connector.start()
        http = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=120)
        )
        # Every scheduled job is due at once: the digest on Monday 00:00 is always past.
        settings = {"SCHEDULER_INTERVAL": "0.5", "DIGEST_SCHEDULE": "MON 00:00"}
        processes = [BotProcess(name, url, workdir, **settings) for name in ("one", "two")]
        try:
            for process in processes:
                process.start()
            await asyncio.gather(*(process.wait_ready(http) for process in processes))
            yield Pair(processes[0], processes[1], db, connector, Teams(connector, http))
        finally:
            for process in processes:
                await process.stop()
            await http.close()
            await connector.close()
            await db.dispose()


async def _request(pair: Pair, user: User, kemi: int, turn: int) -> None:
    """One lone-work request, its three turns alternating between the processes."""
    teams = pair.teams
    opened = await teams.say(pair.pick(turn), user, "alenearbejde")
    assert "Anmod om godkendelse af alenearbejde" in text_of(opened)
    summary = await teams.submit(pair.pick(turn + 1), user, form(kemi))
    assert "Tjek din anmodning" in text_of(summary)
    sent = await teams.submit(pair.pick(turn + 2), user, {"action": "lone_work.form.send"})
    assert "er sendt til Lise Leder" in text_of(sent), text_of(sent)


async def _eventually(check: Any, what: str, seconds: float = 120) -> None:
    for _ in range(int(seconds * 10)):
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


def _to(connector: FakeConnector, user: User) -> list[Sent]:
    return [item for item in connector.messages() if item.conversation_id == user.chat_id]


def _decision_messages(connector: FakeConnector) -> list[str]:
    """Numbers of the requests whose requester was told the decision, once per message."""
    told = []
    for user in REQUESTERS:
        for item in _to(connector, user):
            text = item.card_text()
            if "er godkendt af Lise Leder" in text or "er afvist af Lise Leder" in text:
                found = NUMBER.search(text)
                assert found is not None, text
                told.append(found.group(0))
    return told


@NEEDS_POSTGRESQL
async def test_200_clicks_on_100_requests_across_two_processes_give_100_decisions(
    tmp_path: Path,
) -> None:
    async with two_processes(tmp_path) as pair:
        async with orm_session(pair.db) as session:
            kemi = int(
                (await session.execute(select(Unit.id).where(Unit.name == "Kemi"))).scalar_one()
            )
        for number, user in enumerate([LISE, *REQUESTERS]):
            await pair.teams.install(pair.pick(number), user)

        async def requests_of(index: int, user: User) -> None:
            for made in range(10):
                await _request(pair, user, kemi, index + made)

        await asyncio.gather(*(requests_of(i, user) for i, user in enumerate(REQUESTERS)))
        async with orm_session(pair.db) as session:
            requests = (
                await session.scalars(select(LoneWorkRequest).order_by(LoneWorkRequest.id))
            ).all()
        assert len(requests) == 100 and {r.status for r in requests} == {"pending"}

        # Lise clicks Approve in one process and Reject in the other, for every request at once.
        clicks = [
            (request, pair.pick(n + choice), verb)
            for n, request in enumerate(requests)
            for choice, verb in enumerate(("lone_work.approve", "lone_work.reject"))
        ]
        replies = await asyncio.gather(
            *(
                pair.teams.invoke(process, LISE, verb, {"request_id": request.id, "note": "Nej"})
                for request, process, verb in clicks
            )
        )

        async def everyone_told() -> bool:
            return len(_decision_messages(pair.connector)) >= 100

        await _eventually(everyone_told, "100 requesters told of the decision")
        await pair.stop()  # drains each process's work after the answers

        async with orm_session(pair.db) as session:
            decided = (
                await session.scalars(select(LoneWorkRequest).order_by(LoneWorkRequest.id))
            ).all()
            audited = Counter(
                (
                    await session.scalars(
                        select(AuditEvent.action).where(AuditEvent.action.like("lone_work.%"))
                    )
                ).all()
            )
    statuses = {request.id: request.status for request in decided}
    assert set(statuses.values()) <= {"approved", "rejected"} and len(statuses) == 100
    assert audited["lone_work.approve"] + audited["lone_work.reject"] == 100
    assert audited["lone_work.decide.refused"] == 100

    # Every click got a card: the decided request, and for the later click "already decided".
    assert all(status < 500 for status in pair.teams.statuses)
    shown: dict[int, list[str]] = {}
    for (request, _process, _verb), reply in zip(clicks, replies, strict=True):
        assert reply.status == 200, reply
        assert reply.body["statusCode"] == 200, reply.body
        assert reply.body["type"] == "application/vnd.microsoft.card.adaptive", reply.body
        text = json.dumps(reply.body["value"], ensure_ascii=False)
        assert request.number in text, text
        outcome = "Godkendt af Lise Leder" if statuses[request.id] == "approved" else "Afvist af"
        assert outcome in text, (statuses[request.id], text)
        shown.setdefault(request.id, []).append(text)
    assert all(
        sum("allerede afgjort" in text for text in texts) == 1 for texts in shown.values()
    ), "exactly one of the two clicks on each request is told it was already decided"

    told = _decision_messages(pair.connector)
    assert len(told) == 100 and set(told) == {request.number for request in requests}


def _send_button(items: list[Sent]) -> dict[str, Any]:
    """The data of the summary card's Send button, as Teams sends it back."""
    for item in items:
        for node in walk(item.card):
            data = node.get("data")
            if isinstance(data, dict) and data.get("action") == "lone_work.form.send":
                return dict(data)
    raise AssertionError(f"no summary card: {text_of(items)}")


@NEEDS_POSTGRESQL
async def test_a_summary_sent_to_both_processes_at_once_sends_one_request(tmp_path: Path) -> None:
    """Two clicks on Send of one summary card, each taken by another process (WORKERS=2):
    one request, one approval card, and both clicks answered with its number."""
    async with two_processes(tmp_path) as pair:
        async with orm_session(pair.db) as session:
            kemi = int(
                (await session.execute(select(Unit.id).where(Unit.name == "Kemi"))).scalar_one()
            )
        teams = pair.teams
        for number, user in enumerate([LISE, *REQUESTERS]):
            await teams.install(pair.pick(number), user)

        async def send_twice(user: User) -> list[str]:
            await teams.say(pair.first, user, "alenearbejde")
            send = _send_button(await teams.submit(pair.second, user, form(kemi)))
            answers = await asyncio.gather(
                *(teams.submit(process, user, send) for process in pair.both)
            )
            return [text_of(answer) for answer in answers]

        answered = await asyncio.gather(*(send_twice(user) for user in REQUESTERS))

        async def approvals_arrived() -> bool:
            return len([m for m in _to(pair.connector, LISE) if m.card]) >= len(REQUESTERS)

        await _eventually(approvals_arrived, "an approval card for every request")
        await pair.stop()
        async with orm_session(pair.db) as session:
            numbers = (await session.scalars(select(LoneWorkRequest.number))).all()
            submitted = await session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "lone_work.submit")
            )
    assert len(numbers) == len(REQUESTERS) and submitted == len(REQUESTERS)
    for user, answers in zip(REQUESTERS, answered, strict=True):
        found = {match for answer in answers for match in NUMBER.findall(answer)}
        assert len(found) == 1 and all("er sendt til Lise Leder" in a for a in answers), (
            user.name,
            answers,
        )
    approvals = [m for m in _to(pair.connector, LISE) if m.card]
    assert sorted(NUMBER.findall(" ".join(m.card_text() for m in approvals))) == sorted(numbers)


@NEEDS_POSTGRESQL
async def test_two_schedulers_post_each_digest_once_and_remind_once(tmp_path: Path) -> None:
    async with two_processes(tmp_path) as pair:
        async with orm_session(pair.db) as session:
            kemi = int(
                (await session.execute(select(Unit.id).where(Unit.name == "Kemi"))).scalar_one()
            )
        teams, connector = pair.teams, pair.connector
        for number, user in enumerate([LISE, ADMIN, REQUESTERS[0]]):
            await teams.install(pair.pick(number), user)
        connector.channels[TEAM] = [{"id": TEAM, "name": None}, {"id": DIGEST_CHANNEL}]
        installed = teams.channel(
            ADMIN, TEAM, TEAM, type="conversationUpdate", membersAdded=[{"id": "28:amkbot-test"}]
        )
        assert (await teams.post(pair.first, installed)).status in (200, 201)
        for process, channel in zip(pair.both, (TEAM, DIGEST_CHANNEL), strict=True):
            said = teams.channel(
                ADMIN, TEAM, f"{channel};messageid=1", text="<at>AMK-bot</at> digest her"
            )
            assert (await teams.post(process, said)).status in (200, 201)
        await _request(pair, REQUESTERS[0], kemi, 0)
        before = len(connector.messages())
        posts_before = len(_digest_posts(connector))
        assert posts_before == 0

        # Last week's subscriptions and a request waiting for a week: both are due now.
        async with orm_transaction(pair.db) as session:
            subscriptions = await session.scalar(select(func.count(DigestSubscription.id)))
            assert subscriptions == 2
            await session.execute(
                update(DigestSubscription).values(created_at=utcnow() - timedelta(days=8))
            )
            await session.execute(
                update(LoneWorkRequest).values(created_at=utcnow() - timedelta(days=7))
            )

        async def all_sent() -> bool:
            posts = _digest_posts(connector)
            reminders = _reminders(connector, before)
            return len(posts) >= 2 and len(reminders) >= 1

        await _eventually(all_sent, "the digests and the reminder")
        # Both schedulers keep ticking (every half second) until every claim is settled.
        await _eventually(lambda: _claims_settled(pair.db), "every scheduled claim done")
        await asyncio.sleep(2)
        await pair.stop()

    posts = _digest_posts(connector)
    assert sorted(post.body["channelData"]["channel"]["id"] for post in posts) == sorted(
        [TEAM, DIGEST_CHANNEL]
    )
    assert all("Ugens arbejdsmiljøoverblik" in post.card_text() for post in posts)
    reminders = _reminders(connector, before)
    assert len(reminders) == 1, [item.card_text() for item in reminders]
    assert all(status < 500 for status in teams.statuses)


def _digest_posts(connector: FakeConnector) -> list[Sent]:
    return [item for item in connector.messages() if item.path.rstrip("/") == "/v3/conversations"]


def _reminders(connector: FakeConnector, since: int) -> list[Sent]:
    return [
        item
        for item in connector.messages()[since:]
        if item.conversation_id == LISE.chat_id and "har ventet på svar" in item.card_text()
    ]


async def _claims_settled(db: Database) -> bool:
    async with orm_session(db) as session:
        keys = dict((await session.execute(select(JobRun.key, JobRun.status))).all())
    wanted = [key for key in keys if key.startswith(("digest:", "lone_work:reminder:"))]
    return len(wanted) == 3 and all(keys[key] == "done" for key in wanted)
