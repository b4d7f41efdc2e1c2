"""The turn gate: a bounded number of turns at work, card actions first, none stuck behind Teams."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.config import Settings
from bot.turn_gate import NORMAL, URGENT, TurnGate, waiting_for_teams
from tests.conftest import DatabaseTarget
from tests.support.fake_connector import FakeConnector, slow
from tests.support.teams import BotUnderTest, make_user


async def test_no_more_than_the_limit_work_at_once() -> None:
    gate = TurnGate(2)
    working = 0
    most = 0

    async def turn() -> None:
        nonlocal working, most
        async with gate.turn():
            working += 1
            most = max(most, working)
            await asyncio.sleep(0.01)
            working -= 1

    await asyncio.gather(*(turn() for _ in range(10)))
    assert most == 2
    assert gate.working == 0 and gate.queued == 0


async def _order_of(
    gate: TurnGate, waiters: list[tuple[str, float]], *, apart: float = 0.001
) -> list[str]:
    """Who gets in, when `waiters` queue (in this order, `apart` seconds apart) behind a turn
    holding the only place."""
    order: list[str] = []
    release = asyncio.Event()

    async def holder() -> None:
        async with gate.turn():
            await release.wait()

    async def waiter(name: str, allowance: float) -> None:
        async with gate.turn(allowance):
            order.append(name)

    first = asyncio.create_task(holder())
    await asyncio.sleep(0)
    tasks = []
    for name, allowance in waiters:
        tasks.append(asyncio.create_task(waiter(name, allowance)))
        await asyncio.sleep(apart)
    release.set()
    await asyncio.gather(first, *tasks)
    return order


async def test_card_actions_go_before_messages_that_came_just_before() -> None:
    order = await _order_of(
        TurnGate(1), [("message 1", NORMAL), ("message 2", NORMAL), ("card action", URGENT)]
    )
    assert order == ["card action", "message 1", "message 2"]


async def test_a_message_that_waited_longer_than_its_allowance_is_not_passed_again() -> None:
    order = await _order_of(
        TurnGate(1), [("message", NORMAL), ("card action", URGENT)], apart=NORMAL + 0.05
    )
    assert order == ["message", "card action"]


async def test_a_turn_waiting_for_teams_lets_another_turn_work() -> None:
    gate = TurnGate(1)
    teams_answers = asyncio.Event()
    events: list[str] = []

    async def slow_reply() -> None:
        async with gate.turn():
            async with waiting_for_teams():
                events.append("A waits for Teams")
                await teams_answers.wait()
            events.append("A done")

    async def other() -> None:
        async with gate.turn():
            events.append("B worked")

    a = asyncio.create_task(slow_reply())
    await asyncio.sleep(0.01)
    await asyncio.wait_for(other(), 1)
    teams_answers.set()
    await a
    assert events == ["A waits for Teams", "B worked", "A done"]
    assert gate.working == 0


async def test_background_work_started_by_a_turn_does_not_give_the_turns_place_away() -> None:
    gate = TurnGate(1)
    inside = asyncio.Event()
    finish = asyncio.Event()
    spawned: list[asyncio.Task[None]] = []

    async def background() -> None:
        async with waiting_for_teams():
            inside.set()
            await finish.wait()

    async def turn() -> None:
        async with gate.turn():
            spawned.append(asyncio.create_task(background()))
            await inside.wait()
            assert gate.working == 1
        finish.set()

    await turn()
    await asyncio.gather(*spawned)
    assert gate.working == 0


async def test_a_cancelled_waiter_leaves_no_place_taken() -> None:
    gate = TurnGate(1)
    release = asyncio.Event()

    async def holder() -> None:
        async with gate.turn():
            await release.wait()

    async def waiter() -> None:
        async with gate.turn():
            pass

    first = asyncio.create_task(holder())
    await asyncio.sleep(0)
    waiting = asyncio.create_task(waiter())
    await asyncio.sleep(0.01)
    waiting.cancel()
    release.set()
    await first
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await asyncio.wait_for(waiter(), 1)
    assert gate.working == 0


@pytest.fixture
async def one_at_a_time(
    database_target: DatabaseTarget, connector: FakeConnector
) -> AsyncIterator[BotUnderTest]:
    under_test = BotUnderTest(database_target, connector, admin_upns=set())
    under_test.settings = replace(under_test.settings, turn_concurrency=1)
    await under_test.start()
    try:
        yield under_test
    finally:
        await under_test.stop()


async def test_a_slow_teams_answer_to_one_user_does_not_hold_up_another(
    one_at_a_time: BotUnderTest,
) -> None:
    """With room for one turn at a time, a reply Teams takes 2 s to accept blocks nobody."""
    bot = one_at_a_time
    slowed, other = make_user("Ane Langsom", "anla@uni.dk"), make_user("Bo Hurtig", "bohu@uni.dk")
    await bot.say(slowed, "hjælp")
    await bot.say(other, "hjælp")
    bot.connector.plan(f"POST /v3/conversations/{slowed.chat_id}/activities", slow(2.0))
    slow_turn = asyncio.create_task(bot.say(slowed, "hjælp"))
    await asyncio.sleep(0.3)
    started = time.perf_counter()
    answer = await bot.say(other, "hjælp")
    took = time.perf_counter() - started
    assert answer and "annullér" in answer[0].card_text()
    assert not slow_turn.done()
    assert took < 1.5
    assert "annullér" in (await slow_turn)[0].card_text()


async def test_card_actions_then_turns_back_from_teams_then_new_messages() -> None:
    gate = TurnGate(1)
    order: list[str] = []
    teams_answers, holder_done = asyncio.Event(), asyncio.Event()

    async def back_from_teams() -> None:
        async with gate.turn():
            async with waiting_for_teams():
                await teams_answers.wait()
            order.append("back from Teams")

    async def holder() -> None:
        async with gate.turn():
            await holder_done.wait()

    async def newcomer(name: str, allowance: float) -> None:
        async with gate.turn(allowance):
            order.append(name)

    replying = asyncio.create_task(back_from_teams())
    await asyncio.sleep(0.01)
    holding = asyncio.create_task(holder())
    await asyncio.sleep(0.01)
    message = asyncio.create_task(newcomer("new message", NORMAL))
    await asyncio.sleep(0.005)
    teams_answers.set()
    await asyncio.sleep(0.005)
    action = asyncio.create_task(newcomer("card action", URGENT))
    await asyncio.sleep(0.005)
    holder_done.set()
    await asyncio.gather(replying, holding, message, action)
    assert order == ["card action", "back from Teams", "new message"]


def test_turns_at_once_by_database_unless_set() -> None:
    """SQLite runs on the loop's thread (one turn at a time); PostgreSQL overlaps queries."""
    default = Settings.from_env({}, dotenv=None)
    assert (default.turns_at_once(sqlite=True), default.turns_at_once(sqlite=False)) == (1, 4)
    chosen = Settings.from_env({"TURN_CONCURRENCY": "3"}, dotenv=None)
    assert (chosen.turns_at_once(sqlite=True), chosen.turns_at_once(sqlite=False)) == (3, 3)
    for bad in ("0", "1001", "many"):
        with pytest.raises(ValueError, match="TURN_CONCURRENCY"):
            Settings.from_env({"TURN_CONCURRENCY": bad}, dotenv=None)


async def test_the_running_bot_has_one_turn_at_work_on_sqlite_and_four_on_postgresql(
    bot: BotUnderTest,
) -> None:
    assert bot.runtime is not None
    expected = 1 if bot.runtime.db.is_sqlite else 4
    assert bot.runtime.bot.gate.limit == expected
