"""PostgreSQL connections that die in the pool (a database restart, a failover, a firewall
dropping idle sockets) must not turn into errors for users."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

import storage.db
import storage.pg_driver
from storage.db import DRIVER_POOL_SIZE, Database
from tests.conftest import DatabaseTarget
from tests.support.databases import orm_transaction


async def _backend_of_pooled_connection(db: Database) -> int:
    async with orm_transaction(db) as session:
        pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
    return int(pid)


async def _terminate(target: DatabaseTarget, pid: int) -> None:
    other = target.open()
    try:
        async with orm_transaction(other) as session:
            await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        await other.dispose()


async def _works(db: Database) -> bool:
    async with orm_transaction(db) as session:
        return (await session.execute(text("SELECT 1"))).scalar_one() == 1


@pytest.fixture
def postgresql_only(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite has no server connections to lose")


@pytest.mark.usefixtures("postgresql_only")
async def test_a_connection_used_again_at_once_is_not_pinged_and_a_loss_fails_once(
    db: Database, database_target: DatabaseTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the idle check the loss surfaces once (the user's action is rolled back and
    they get an apology); the pool is then replaced and the next action works."""
    monkeypatch.setattr(storage.db, "PING_AFTER_IDLE_SECONDS", 3600.0)
    await _terminate(database_target, await _backend_of_pooled_connection(db))
    with pytest.raises(DBAPIError):
        await _works(db)
    assert await _works(db)


# The hot path's own connections on PostgreSQL (storage/pg_driver.py)


async def _hot_backend_pid(db: Database) -> int:
    async with db.reading() as connection:
        return int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def _reads(db: Database) -> bool:
    async with db.reading() as connection:
        return (await connection.execute(text("SELECT 1"))).scalar_one() == 1


# (the module with the idle ping's constant, a connection's server process, "it works")
_Path = tuple[object, Callable[[Database], Awaitable[int]], Callable[[Database], Awaitable[bool]]]
_PATHS: dict[str, _Path] = {
    "sessions": (storage.db, _backend_of_pooled_connection, _works),
    "hot path": (storage.pg_driver, _hot_backend_pid, _reads),
}


@pytest.mark.usefixtures("postgresql_only")
@pytest.mark.parametrize("path", list(_PATHS))
async def test_a_connection_lost_while_idle_is_replaced_before_use(
    db: Database, database_target: DatabaseTarget, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    module, backend_pid, works = _PATHS[path]
    monkeypatch.setattr(module, "PING_AFTER_IDLE_SECONDS", 0.0)
    await _terminate(database_target, await backend_pid(db))
    assert await works(db)


@pytest.mark.usefixtures("postgresql_only")
async def test_a_hot_connection_closed_by_the_server_is_noticed_without_a_ping(
    db: Database, database_target: DatabaseTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.pg_driver, "PING_AFTER_IDLE_SECONDS", 3600.0)
    pid = await _hot_backend_pid(db)
    await _terminate(database_target, pid)
    await asyncio.sleep(0.2)  # the server's goodbye reaches the client
    assert await _reads(db)
    assert await _hot_backend_pid(db) != pid


@pytest.mark.usefixtures("postgresql_only")
async def test_cancelled_statements_do_not_leave_broken_or_missing_connections(
    db: Database,
) -> None:
    async def slow() -> None:
        async with db.reading() as connection:
            await connection.execute(text("SELECT pg_sleep(5)"))

    for _ in range(DRIVER_POOL_SIZE + 3):
        task = asyncio.create_task(slow())
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert await asyncio.wait_for(_reads(db), 5)


@pytest.mark.usefixtures("postgresql_only")
async def test_more_users_than_connections_wait_their_turn(db: Database) -> None:
    async def one() -> int:
        async with db.writing() as connection:
            await connection.execute(text("SELECT pg_sleep(0.05)"))
            return int((await connection.execute(text("SELECT 1"))).scalar_one())

    results = await asyncio.wait_for(
        asyncio.gather(*(one() for _ in range(3 * DRIVER_POOL_SIZE))), 20
    )
    assert results == [1] * (3 * DRIVER_POOL_SIZE)


@pytest.mark.usefixtures("postgresql_only")
async def test_a_connection_lost_inside_a_block_fails_that_block_only(
    db: Database, database_target: DatabaseTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.pg_driver, "PING_AFTER_IDLE_SECONDS", 3600.0)
    with pytest.raises(DBAPIError):
        async with db.writing() as connection:
            pid = int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())
            await _terminate(database_target, pid)
            await connection.execute(text("SELECT 1"))
    assert await _reads(db)


@pytest.mark.usefixtures("postgresql_only")
async def test_a_connection_given_back_goes_to_the_longest_waiter(db: Database) -> None:
    """A turn running block after block must not jump the line of turns already waiting."""
    order: list[str] = []
    done = asyncio.Event()
    first_block_may_end = asyncio.Event()

    async def busy_turn() -> None:
        async with db.reading():
            await first_block_may_end.wait()
        async with db.reading():
            order.append("the busy turn's next block")

    async def other_turn() -> None:
        async with db.reading():
            await done.wait()

    async def waiting_turn() -> None:
        async with db.reading():
            order.append("the turn that waited")

    holders = [asyncio.create_task(busy_turn())]
    holders += [asyncio.create_task(other_turn()) for _ in range(DRIVER_POOL_SIZE - 1)]
    await asyncio.sleep(0.2)  # every connection is taken
    waiting = asyncio.create_task(waiting_turn())
    await asyncio.sleep(0.05)  # it waits in line
    first_block_may_end.set()
    await asyncio.wait_for(asyncio.gather(waiting, holders[0]), 5)
    done.set()
    await asyncio.gather(*holders)
    assert order == ["the turn that waited", "the busy turn's next block"]
