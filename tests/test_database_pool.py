"""PostgreSQL connections that die in the pool (a database restart, a failover, a firewall
dropping idle sockets) must not turn into errors for users."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

import storage.db
from storage.db import Database
from tests.conftest import DatabaseTarget


async def _backend_of_pooled_connection(db: Database) -> int:
    async with db.transaction() as session:
        pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
    return int(pid)


async def _terminate(target: DatabaseTarget, pid: int) -> None:
    other = target.open()
    try:
        async with other.transaction() as session:
            await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        await other.dispose()


async def _works(db: Database) -> bool:
    async with db.transaction() as session:
        return (await session.execute(text("SELECT 1"))).scalar_one() == 1


@pytest.fixture
def postgresql_only(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite has no server connections to lose")


@pytest.mark.usefixtures("postgresql_only")
async def test_a_connection_lost_while_idle_is_replaced_before_use(
    db: Database, database_target: DatabaseTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.db, "PING_AFTER_IDLE_SECONDS", 0.0)
    await _terminate(database_target, await _backend_of_pooled_connection(db))
    assert await _works(db)


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
