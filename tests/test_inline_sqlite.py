"""SQLite on the event loop's thread: same answers as before, errors as SQLAlchemy's."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from storage.db import Database
from storage.inline_sqlite import InlineConnection
from storage.models import Unit


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

    async with sqlite_db.sessions() as session:
        assert await session.scalar(text("SELECT whose_thread()")) == 1
        raw = await session.connection()
        driver = (await raw.get_raw_connection()).driver_connection
    assert isinstance(driver, InlineConnection)
    assert threads == {threading.get_ident()}
    await sqlite_db.dispose()


async def test_a_broken_constraint_is_an_integrity_error_and_nothing_is_kept(
    sqlite_db: Database,
) -> None:
    async with sqlite_db.transaction() as session:
        session.add(Unit(name="Kemi"))
    with pytest.raises(IntegrityError):
        async with sqlite_db.transaction() as session:
            session.add(Unit(name="Fysik"))
            await session.flush()
            session.add(Unit(name="Kemi"))
    async with sqlite_db.sessions() as session:
        names = (await session.scalars(select(Unit.name))).all()
    assert names == ["Kemi"]
    await sqlite_db.dispose()


async def test_a_writer_in_another_process_makes_a_write_fail_cleanly_not_hang(
    sqlite_db: Database, tmp_path: Path
) -> None:
    """Another program holding SQLite's write lock: the write gives up after the busy timeout."""
    other = sqlite3.connect(tmp_path / "inline.db", isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError, match="locked"):
            async with sqlite_db.transaction() as session:
                session.add(Unit(name="Biologi"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    async with sqlite_db.transaction() as session:
        session.add(Unit(name="Biologi"))
    async with sqlite_db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Unit)) == 1
    await sqlite_db.dispose()
