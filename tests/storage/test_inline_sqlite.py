"""SQLite on the event loop's thread: same answers as before, errors as SQLAlchemy's."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import event, func, insert, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from storage.db import Database, SQLiteOnLoop
from storage.inline_sqlite import InlineConnection
from storage.models import Unit
from tests.support.databases import orm_session, orm_transaction


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> Database:
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/inline.db")
    await database.upgrade()
    return database


async def test_statements_run_on_the_event_loops_thread(sqlite_db: Database) -> None:
    threads: set[int] = set()

    @event.listens_for(sqlite_db.read_engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.create_function(  # type: ignore[attr-defined]
            "whose_thread", 0, lambda: threads.add(threading.get_ident()) or 1
        )

    async with orm_session(sqlite_db) as session:
        assert await session.scalar(text("SELECT whose_thread()")) == 1
        raw = await session.connection()
        driver = (await raw.get_raw_connection()).driver_connection
    assert isinstance(driver, InlineConnection)
    assert threads == {threading.get_ident()}
    await sqlite_db.dispose()


async def test_a_broken_constraint_is_an_integrity_error_and_nothing_is_kept(
    sqlite_db: Database,
) -> None:
    async with orm_transaction(sqlite_db) as session:
        session.add(Unit(name="Kemi"))
    with pytest.raises(IntegrityError):
        async with orm_transaction(sqlite_db) as session:
            session.add(Unit(name="Fysik"))
            await session.flush()
            session.add(Unit(name="Kemi"))
    async with orm_session(sqlite_db) as session:
        names = (await session.scalars(select(Unit.name))).all()
    assert names == ["Kemi"]
    await sqlite_db.dispose()


async def _add_unit_in_session(db: Database, name: str) -> None:
    async with orm_transaction(db) as session:
        session.add(Unit(name=name))


async def _add_unit_on_plain_connection(db: Database, name: str) -> None:
    async with db.writing() as connection:
        await connection.execute(insert(Unit).values(name=name))


@pytest.mark.parametrize("add_unit", [_add_unit_in_session, _add_unit_on_plain_connection])
async def test_a_writer_in_another_process_makes_a_write_fail_cleanly_not_hang(
    sqlite_db: Database,
    tmp_path: Path,
    add_unit: Callable[[Database, str], Awaitable[None]],
) -> None:
    """Another program holding SQLite's write lock: the write gives up after the busy timeout."""
    other = sqlite3.connect(tmp_path / "inline.db", isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError, match="locked"):
            await add_unit(sqlite_db, "Biologi")
    finally:
        other.execute("ROLLBACK")
        other.close()
    await add_unit(sqlite_db, "Biologi")
    async with sqlite_db.reading() as connection:
        assert (await connection.execute(select(func.count()).select_from(Unit))).scalar() == 1
    await sqlite_db.dispose()


async def test_hot_path_connections_are_plain_connections_on_the_loops_thread(
    sqlite_db: Database,
) -> None:
    threads: set[int] = set()
    for engine in sqlite_db.sync_engines:
        event.listen(
            engine,
            "connect",
            lambda dbapi, _record: dbapi.create_function(
                "whose_thread", 0, lambda: threads.add(threading.get_ident()) or 1
            ),
        )
    async with sqlite_db.writing() as connection:
        assert isinstance(connection, SQLiteOnLoop)
        assert (await connection.execute(text("SELECT whose_thread()"))).scalar() == 1
    async with sqlite_db.reading() as connection:
        assert isinstance(connection, SQLiteOnLoop)
        assert (await connection.execute(text("SELECT whose_thread()"))).scalar() == 1
    assert threads == {threading.get_ident()}
    await sqlite_db.dispose()


async def test_a_failed_hot_path_write_keeps_nothing(sqlite_db: Database) -> None:
    with pytest.raises(IntegrityError):
        async with sqlite_db.writing() as connection:
            await connection.execute(insert(Unit).values(name="Kemi"))
            await connection.execute(insert(Unit).values(name="Kemi"))
    async with sqlite_db.reading() as connection:
        assert (await connection.execute(select(func.count()).select_from(Unit))).scalar() == 0
    await sqlite_db.dispose()


async def test_hot_path_writes_take_their_turn_with_the_other_writers(
    sqlite_db: Database,
) -> None:
    """A plain-connection write waits for a session's write, in the same order of turns."""
    release = asyncio.Event()
    order: list[str] = []

    async def session_writer() -> None:
        async with orm_transaction(sqlite_db) as session:
            order.append("session")
            session.add(Unit(name="Kemi"))
            await session.flush()
            await release.wait()

    async def plain_writer() -> None:
        async with sqlite_db.writing() as connection:
            order.append("plain")
            await connection.execute(insert(Unit).values(name="Fysik"))

    first = asyncio.create_task(session_writer())
    await asyncio.sleep(0.05)
    second = asyncio.create_task(plain_writer())
    await asyncio.sleep(0.05)
    assert order == ["session"]
    release.set()
    await asyncio.gather(first, second)
    assert order == ["session", "plain"]
    async with sqlite_db.reading() as connection:
        assert (await connection.execute(select(func.count()).select_from(Unit))).scalar() == 2
    await sqlite_db.dispose()
