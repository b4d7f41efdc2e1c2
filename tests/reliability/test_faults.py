"""Teams misbehaving at the connector: throttling, server errors, slow answers, resets.

Faults are injected at the fake Bot Connector during replies inside a turn, proactive
1:1 cards (the lone-work approval card to the leader, the decision to the requester) and
the weekly digest post. Whatever happens, each message arrives exactly once when the fault
clears, an apology comes when it does not, the scheduler sends what Teams did not take, the
HTTP answers to Teams are never a 5xx with a stack trace, and /healthz stays 200.
"""

from __future__ import annotations

import os
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.connector import RetryPolicy
from domain.org import OrgFile
from storage import org
from storage.audit import audited
from storage.models import JobRun, Unit
from tests.http.test_lone_work_http import form
from tests.support.clock import written_for_suite_moment
from tests.support.databases import orm_session
from tests.support.fake_connector import Fault, Sent, reset, slow, status
from tests.support.teams import BotUnderTest, Reply, User, make_user

MAJA = make_user("Maja Kemiker", "maja@uni.dk", "da-DK")
LISE = make_user("Lise Leder", "lise@uni.dk", "da-DK")
JANE = make_user("Jane Doe", "jado@uni.dk", "en-GB")
ADMIN = make_user("Anne Admin", "admin@uni.dk", "da-DK")
TEAM = "19:amk-network@thread.tacv2"
pytestmark = written_for_suite_moment()

MONDAY_0801 = datetime(2026, 11, 30, 7, 1, tzinfo=UTC)  # a Monday, 08:01 in Copenhagen

# One of each kind of fault; each clears after the first request it hits.
FAULTS: dict[str, list[Fault]] = {
    "429-retry-after": [status(429, retry_after="1")],
    "500": [status(500)],
    "503-twice": [status(503), status(503)],
    "slow-3s": [slow(3.0)],
    "connection-reset": [reset()],
    "mixed": [status(429, retry_after="0"), reset(), status(502)],
}


class FastSleep:
    """The proactive client's pauses, recorded instead of waited (backoff up to a minute)."""

    def __init__(self) -> None:
        self.pauses: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.pauses.append(seconds)


def _fast(bot: BotUnderTest, attempts: int = 6) -> FastSleep:
    assert bot.runtime is not None
    sleep = FastSleep()
    bot.runtime.connector.sleep = sleep
    bot.runtime.connector.retry = RetryPolicy(attempts=attempts, base_delay=0.5)
    return sleep


def _chat_path(user: User) -> str:
    return rf"POST /v3/conversations/{user.chat_id}/activities"


def _to(bot: BotUnderTest, user: User) -> list[Sent]:
    return [m for m in bot.connector.messages() if m.conversation_id == user.chat_id]


async def _healthy(bot: BotUnderTest, *replies: Reply) -> None:
    for reply in replies:
        assert reply.status < 500, reply
        assert "Traceback" not in str(reply.body)
    health = await bot.get("/healthz")
    assert health.status == 200 and health.body["database"] == "ok"


async def _tick(bot: BotUnderTest, now: datetime) -> None:
    """One scheduler tick at `now`, then the work it left running."""
    assert bot.runtime is not None
    bot.runtime.scheduler.clock = lambda: now
    await bot.runtime.scheduler.tick()
    await bot.runtime.background.drain()


# -- replies inside a turn ---------------------------------------------------------------------


@pytest.mark.parametrize("name", list(FAULTS))
async def test_a_reply_hit_by_a_fault_arrives_once(bot: BotUnderTest, name: str) -> None:
    await bot.install_personal(JANE)
    bot.connector.clear()
    bot.connector.plan(_chat_path(JANE), *FAULTS[name])
    reply = await bot.post(bot.personal(JANE, text="help"))
    assert bot.connector.pending_faults() == 0
    answers = _to(bot, JANE)
    assert len(answers) == 1, [a.text or a.card_text()[:60] for a in answers]
    assert "How to use AMK-bot" in answers[0].card_text()
    await _healthy(bot, reply)
    again = await bot.say(JANE, "menu")
    assert len(again) == 1 and "Lone work" in again[0].card_text()


@pytest.mark.parametrize(("user", "apology"), [(JANE, "Sorry"), (MAJA, "Beklager")])
async def test_a_reply_teams_keeps_refusing_becomes_one_apology(
    bot: BotUnderTest, user: User, apology: str
) -> None:
    await bot.install_personal(user)
    bot.connector.clear()
    bot.connector.plan(_chat_path(user), *[status(503)] * 4)
    reply = await bot.post(bot.personal(user, text="menu"))
    assert bot.connector.pending_faults() == 0
    answers = _to(bot, user)
    assert len(answers) == 1
    assert apology in answers[0].text and answers[0].card is None
    assert "Traceback" not in answers[0].text and "Error" not in answers[0].text
    await _healthy(bot, reply)


# -- proactive sends: lone-work approval and decision -----------------------------------------


async def _kemi_with_leader(bot: BotUnderTest) -> int:
    assert bot.runtime is not None
    unit: dict[str, Any] = {
        "name": "Kemi",
        "leader": [{"upn": LISE.upn, "aad_object_id": LISE.aad}],
    }
    async with audited(bot.runtime.db) as connection:
        await org.import_org(connection, OrgFile.model_validate({"units": [unit]}), actor="test")
        kemi = (await connection.execute(select(Unit.id).where(Unit.name == "Kemi"))).scalar_one()
    for user in (MAJA, LISE):
        await bot.install_personal(user)
    bot.connector.clear()
    return int(kemi)


async def _ask_for_approval(bot: BotUnderTest, kemi: int) -> Reply:
    assert bot.runtime is not None
    await bot.say(MAJA, "alenearbejde")
    await bot.submit(MAJA, form(kemi))
    reply = await bot.post(bot.personal(MAJA, value={"action": "lone_work.form.send"}))
    await bot.runtime.background.drain()
    return reply


def _approval_cards(bot: BotUnderTest) -> list[Sent]:
    return [m for m in _to(bot, LISE) if "Godkend" in m.card_text()]


async def _request_id(bot: BotUnderTest) -> int:
    from storage.lone_work_models import LoneWorkRequest

    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return int((await session.execute(select(LoneWorkRequest.id))).scalar_one())


@pytest.mark.parametrize("name", list(FAULTS))
async def test_approval_card_hit_by_a_fault_reaches_the_leader_once(
    bot: BotUnderTest, name: str
) -> None:
    kemi = await _kemi_with_leader(bot)
    sleep = _fast(bot)
    bot.connector.plan(_chat_path(LISE), *FAULTS[name])
    reply = await _ask_for_approval(bot, kemi)
    assert bot.connector.pending_faults() == 0
    assert len(_approval_cards(bot)) == 1
    assert sum("er sendt til Lise Leder" in m.text for m in _to(bot, MAJA)) == 1
    if name == "429-retry-after":
        assert sleep.pauses == [1.0]
    await _tick(bot, datetime.now(UTC) + timedelta(hours=2))
    assert len(_approval_cards(bot)) == 1
    await _healthy(bot, reply)


async def test_approval_card_teams_keeps_refusing_is_sent_by_the_scheduler_once(
    bot: BotUnderTest,
) -> None:
    kemi = await _kemi_with_leader(bot)
    _fast(bot, attempts=3)
    bot.connector.plan(
        _chat_path(LISE), *[status(503)] * 3, status(429, "30"), reset(), status(502)
    )
    reply = await _ask_for_approval(bot, kemi)
    assert _approval_cards(bot) == []
    assert sum("er sendt til Lise Leder" in m.text for m in _to(bot, MAJA)) == 1
    now = datetime.now(UTC)
    await _tick(bot, now)  # not yet: the first scheduled try waits a minute
    assert _approval_cards(bot) == [] and bot.connector.pending_faults() == 3
    await _tick(bot, now + timedelta(minutes=2))  # 429, a reset, a 502: kept for later
    assert _approval_cards(bot) == [] and bot.connector.pending_faults() == 0
    await _tick(bot, now + timedelta(minutes=5))
    assert len(_approval_cards(bot)) == 1
    for minutes in (10, 60, 600):
        await _tick(bot, now + timedelta(minutes=minutes))
    assert len(_approval_cards(bot)) == 1
    await _healthy(bot, reply)
    # The leader can decide on the card that came late.
    decided = await bot.invoke(LISE, "lone_work.approve", {"request_id": await _request_id(bot)})
    assert decided.status == 200 and "Godkendt af Lise Leder" in str(decided.body)


@pytest.mark.parametrize("name", ["500", "connection-reset", "slow-3s", "mixed"])
async def test_decision_message_hit_by_a_fault_reaches_the_requester_once(
    bot: BotUnderTest, name: str
) -> None:
    assert bot.runtime is not None
    kemi = await _kemi_with_leader(bot)
    await _ask_for_approval(bot, kemi)
    _fast(bot)
    bot.connector.clear()
    bot.connector.plan(_chat_path(MAJA), *FAULTS[name])
    answer = await bot.invoke(LISE, "lone_work.approve", {"request_id": await _request_id(bot)})
    await bot.runtime.background.drain()
    assert answer.status == 200 and "Godkendt af Lise Leder" in str(answer.body)
    assert bot.connector.pending_faults() == 0
    told = [m for m in _to(bot, MAJA) if "er godkendt af Lise Leder" in m.card_text()]
    assert len(told) == 1
    await _healthy(bot, answer)


async def test_decision_message_teams_keeps_refusing_is_sent_later_once(
    bot: BotUnderTest,
) -> None:
    assert bot.runtime is not None
    kemi = await _kemi_with_leader(bot)
    await _ask_for_approval(bot, kemi)
    _fast(bot, attempts=2)
    bot.connector.clear()
    bot.connector.plan(_chat_path(MAJA), *[status(500)] * 4)
    answer = await bot.invoke(LISE, "lone_work.approve", {"request_id": await _request_id(bot)})
    await bot.runtime.background.drain()
    assert answer.status == 200 and "Godkendt af Lise Leder" in str(answer.body)

    def told() -> list[Sent]:
        return [m for m in _to(bot, MAJA) if "er godkendt af Lise Leder" in m.card_text()]

    assert told() == []
    now = datetime.now(UTC)
    await _tick(bot, now + timedelta(minutes=2))  # two more 500s: kept for later
    assert told() == [] and bot.connector.pending_faults() == 0
    await _tick(bot, now + timedelta(minutes=5))
    assert len(told()) == 1
    await _tick(bot, now + timedelta(days=1))
    assert len(told()) == 1
    async with orm_session(bot.runtime.db) as session:
        parked = (
            await session.scalars(select(JobRun).where(JobRun.key.startswith("redeliver:")))
        ).one()
    assert parked.status == "done" and parked.attempts == 3
    await _healthy(bot, answer)


async def test_a_card_teams_never_takes_is_given_up_after_its_tries(bot: BotUnderTest) -> None:
    assert bot.runtime is not None
    kemi = await _kemi_with_leader(bot)
    _fast(bot, attempts=1)
    bot.connector.plan(_chat_path(LISE), *[status(503)] * 50)
    await _ask_for_approval(bot, kemi)
    now = datetime.now(UTC)
    for hours in range(2, 40, 2):
        await _tick(bot, now + timedelta(hours=hours))
    assert _approval_cards(bot) == []
    failed = [m for m in bot.connector.sent if m.conversation_id == LISE.chat_id]
    tries = [m for m in failed if "Venter på din godkendelse" not in m.card_text()]
    assert len(tries) == 12  # the first send and eleven scheduled tries, then no more
    assert bot.connector.pending_faults() == 50 - len(failed)
    await _healthy(bot)


# -- the weekly digest -------------------------------------------------------------------------


async def _subscribe(bot: BotUnderTest) -> None:
    bot.connector.channels[TEAM] = [{"id": TEAM, "name": None}]
    await bot.install_personal(ADMIN)
    await bot.post(
        bot.team_activity(
            ADMIN, TEAM, TEAM, type="conversationUpdate", membersAdded=[{"id": "28:amkbot-test"}]
        )
    )
    await bot.post(bot.team_activity(ADMIN, TEAM, f"{TEAM};messageid=1", text="digest her"))
    bot.connector.clear()


def _digests(bot: BotUnderTest) -> list[Sent]:
    return [m for m in bot.connector.messages() if m.path.rstrip("/") == "/v3/conversations"]


@pytest.mark.parametrize("name", list(FAULTS))
async def test_digest_hit_by_a_fault_is_posted_once(bot: BotUnderTest, name: str) -> None:
    await _subscribe(bot)
    _fast(bot)
    bot.connector.plan(r"POST /v3/conversations/?$", *FAULTS[name])
    for minute in range(3):
        await _tick(bot, MONDAY_0801 + timedelta(minutes=minute))
    assert bot.connector.pending_faults() == 0
    assert len(_digests(bot)) == 1
    await _healthy(bot)


async def test_digest_teams_refuses_for_a_while_is_posted_by_a_later_tick_once(
    bot: BotUnderTest,
) -> None:
    await _subscribe(bot)
    _fast(bot, attempts=2)
    bot.connector.plan(r"POST /v3/conversations/?$", status(503), reset(), status(429, "5"))
    await _tick(bot, MONDAY_0801)
    assert _digests(bot) == []
    await _tick(bot, MONDAY_0801 + timedelta(minutes=1))
    assert len(_digests(bot)) == 1 and bot.connector.pending_faults() == 0
    for minute in range(2, 6):
        await _tick(bot, MONDAY_0801 + timedelta(minutes=minute))
    assert len(_digests(bot)) == 1
    admin_told = [m for m in _to(bot, ADMIN) if "kunne ikke postes" in m.card_text()]
    assert admin_told == []
    await _healthy(bot)


# -- soak: many rounds of random faults --------------------------------------------------------

SOAK_ROUNDS = int(os.environ.get("AMKBOT_SOAK_FAULT_ROUNDS", "120"))


def _random_faults(rng: random.Random, most: int) -> list[Fault]:
    kinds: list[Fault] = [
        status(429, retry_after=rng.choice(["0", "1"])),
        status(500),
        status(502),
        status(503),
        status(504),
        reset(),
    ]
    faults = [rng.choice(kinds) for _ in range(rng.randint(0, most))]
    if rng.random() < 0.05:
        faults.insert(0, slow(3.0))
    return faults


@pytest.mark.soak
async def test_soak_random_faults_everywhere_lose_nothing_and_send_nothing_twice(
    bot: BotUnderTest,
) -> None:
    """Rounds of replies, approval requests, decisions and digests, each hit by 0–7 random
    faults: every reply is one answer or one apology, every card and digest arrives once."""
    assert bot.runtime is not None
    rng = random.Random(20261127)
    kemi = await _kemi_with_leader(bot)
    await bot.install_personal(JANE)
    _fast(bot, attempts=3)
    answered = apologised = 0
    now = datetime.now(UTC)
    for round_ in range(SOAK_ROUNDS):
        before = len(bot.connector.messages())
        bot.connector.rules.clear()
        bot.connector.plan(_chat_path(JANE), *_random_faults(rng, 5))
        reply = await bot.post(bot.personal(JANE, text="help"))
        assert reply.status < 500
        got = [m for m in bot.connector.messages()[before:] if m.conversation_id == JANE.chat_id]
        assert len(got) == 1, round_
        if "How to use AMK-bot" in got[0].card_text():
            answered += 1
        else:
            assert "Sorry" in got[0].text
            apologised += 1
        bot.connector.rules.clear()
        if round_ % 4 == 0:
            bot.connector.plan(_chat_path(LISE), *_random_faults(rng, 7))
            await _ask_for_approval(bot, kemi)
            now += timedelta(minutes=3)
            await _tick(bot, now)
    bot.connector.rules.clear()
    for hours in range(1, 10):  # Teams is well again: whatever was kept goes out
        await _tick(bot, now + timedelta(hours=hours))
    from storage.lone_work_models import LoneWorkRequest

    async with orm_session(bot.runtime.db) as session:
        requests = (await session.scalars(select(LoneWorkRequest))).all()
    numbers = [request.number for request in requests]
    assert len(numbers) == len(range(0, SOAK_ROUNDS, 4))
    for number in numbers:
        assert sum(number in m.card_text() for m in _approval_cards(bot)) == 1, number
    # Decisions, each hit by faults on the requester's chat.
    for request in requests:
        bot.connector.plan(_chat_path(MAJA), *_random_faults(rng, 7))
        answer = await bot.invoke(LISE, "lone_work.approve", {"request_id": request.id})
        await bot.runtime.background.drain()
        assert answer.status == 200 and "Godkendt af Lise Leder" in str(answer.body)
        bot.connector.rules.clear()
    for hours in range(10, 20):
        await _tick(bot, now + timedelta(hours=hours))
    for number in numbers:
        told = [m for m in _to(bot, MAJA) if f"{number} er godkendt af Lise" in m.card_text()]
        assert len(told) == 1, number
    # Digests for several weeks, each hit by faults.
    await _subscribe(bot)
    weeks = max(2, SOAK_ROUNDS // 30)
    for week in range(weeks):
        monday = MONDAY_0801 + timedelta(weeks=week)
        bot.connector.plan(r"POST /v3/conversations/?$", *_random_faults(rng, 7))
        for minute in range(8):
            await _tick(bot, monday + timedelta(minutes=minute))
        bot.connector.rules.clear()
    assert len(_digests(bot)) == weeks
    await _healthy(bot)
    print(
        f"fault soak: {SOAK_ROUNDS} replies ({answered} answered, {apologised} apologies), "
        f"{len(numbers)} approval cards and decisions, {weeks} digests, "
        f"{len(bot.connector.injected)} faults injected"
    )
