"""Work a turn asks for starts when the turn is over, and is never dropped."""

from __future__ import annotations

import asyncio

import pytest

from bot.background import BackgroundTasks


async def test_work_asked_for_in_a_turn_starts_after_it() -> None:
    background = BackgroundTasks()
    events: list[str] = []

    async def notify() -> None:
        events.append("notified")

    async with background.after_turn():
        background.spawn(notify(), name="notify")
        await asyncio.sleep(0.01)
        events.append("answered")
    await background.drain()
    assert events == ["answered", "notified"]


async def test_a_cancelled_turn_still_starts_its_work() -> None:
    background = BackgroundTasks()
    done = asyncio.Event()

    async def notify() -> None:
        done.set()

    async def turn() -> None:
        async with background.after_turn():
            background.spawn(notify(), name="notify")
            await asyncio.Event().wait()

    task = asyncio.create_task(turn())
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await background.drain()
    assert done.is_set()


async def test_work_asked_for_by_a_task_that_outlives_its_turn_is_not_held() -> None:
    background = BackgroundTasks()
    done = asyncio.Event()
    outliving: list[asyncio.Task[None]] = []

    async def notify() -> None:
        done.set()

    async def later_in_a_child_task() -> None:
        await asyncio.sleep(0.02)
        background.spawn(notify(), name="notify")

    async with background.after_turn():
        outliving.append(asyncio.create_task(later_in_a_child_task()))
    await outliving[0]
    await background.drain()
    assert done.is_set()


async def test_other_background_tasks_are_not_held_by_a_turn() -> None:
    background, other = BackgroundTasks(), BackgroundTasks()
    started = asyncio.Event()

    async def elsewhere() -> None:
        started.set()

    async with background.after_turn():
        other.spawn(elsewhere(), name="elsewhere")
        await asyncio.wait_for(started.wait(), 1)
    await other.drain()
