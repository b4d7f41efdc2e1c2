"""SQLite's single writer: a card action's write goes before other waiting writes."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from storage.db import WRITE_ALLOWANCE, Database
from storage.models import Unit


async def test_urgent_writes_go_first_and_background_writes_last(db: Database) -> None:
    if not db.is_sqlite:
        pytest.skip("PostgreSQL has row locks, not one writer at a time")
    order: list[str] = []
    release = asyncio.Event()

    async def writer(name: str, allowance: float | None = None) -> None:
        if allowance is not None:
            WRITE_ALLOWANCE.set(allowance)
        async with db.writing() as connection:
            order.append(name)
            await connection.execute(select(func.count()).select_from(Unit))
            if name == "holder":
                await release.wait()

    tasks = [asyncio.create_task(writer("holder"))]
    await asyncio.sleep(0.05)
    for name, allowance in (
        ("background", 1.0),
        ("message 1", None),
        ("message 2", None),
        ("card action", 0.0),
    ):
        tasks.append(asyncio.create_task(writer(name, allowance)))
        await asyncio.sleep(0.005)
    release.set()
    await asyncio.gather(*tasks)
    assert order == ["holder", "card action", "message 1", "message 2", "background"]


async def test_a_writer_that_gives_up_waiting_leaves_the_lock_usable(db: Database) -> None:
    if not db.is_sqlite:
        pytest.skip("PostgreSQL has row locks, not one writer at a time")
    release = asyncio.Event()

    async def holder() -> None:
        async with db.writing():
            await release.wait()

    first = asyncio.create_task(holder())
    await asyncio.sleep(0.05)
    waiting = asyncio.create_task(db.writing().__aenter__())
    await asyncio.sleep(0.01)
    waiting.cancel()
    release.set()
    await first
    with pytest.raises(asyncio.CancelledError):
        await waiting
    async with asyncio.timeout(2), db.writing() as connection:
        assert (await connection.execute(select(func.count()).select_from(Unit))).scalar()
