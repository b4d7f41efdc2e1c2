"""`python -m bench.hot_path URL`: CPU and wall time of one hot-path database block.

Compares, on one database, a turn's typical blocks through `Database.reading()`,
`writing_once()` and `writing()` (the driver path on PostgreSQL, see storage/pg_driver.py)
with the same statements on SQLAlchemy's asyncio connections (what the hot path used before).
Prints microseconds per block; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from sqlalchemy import bindparam, delete, insert, text, update

from storage.db import Database, HotConnection
from storage.models import DialogStateRow
from storage.turn_start import _TURN_START

_CREATE = insert(DialogStateRow).values(
    key=bindparam("row_key"), etag=bindparam("new_etag"), data=bindparam("new_data")
)
_REPLACE = (
    update(DialogStateRow)
    .where(DialogStateRow.key == bindparam("row_key"))
    .values(etag=bindparam("new_etag"), data=bindparam("new_data"))
)
_CLEAN = delete(DialogStateRow).where(DialogStateRow.key.like("bench-hot-%"))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _Blocks:
    """The three kinds of block, either through `Database` or on SQLAlchemy's connections."""

    def __init__(self, db: Database, *, through_sqlalchemy: bool) -> None:
        self.db = db
        self.through_sqlalchemy = through_sqlalchemy
        # as `Database` kept it before the driver path: one autocommit view of the engine
        self._autocommit = db.engine.execution_options(isolation_level="AUTOCOMMIT")

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[HotConnection]:
        if self.through_sqlalchemy:
            async with self._autocommit.connect() as connection:
                yield connection
        else:
            async with self.db.reading() as connection:
                yield connection

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[HotConnection]:
        if self.through_sqlalchemy:
            async with self.db.engine.begin() as connection:
                yield connection
        else:
            async with self.db.writing() as connection:
                yield connection


async def _timed(rounds: int, block: Callable[[int], Awaitable[None]]) -> tuple[float, float]:
    cpu, wall = _cpu(), time.perf_counter()
    for number in range(rounds):
        await block(number)
    return (_cpu() - cpu) / rounds * 1e6, (time.perf_counter() - wall) / rounds * 1e6


async def _measure(db: Database, rounds: int, *, through_sqlalchemy: bool) -> dict[str, float]:
    blocks = _Blocks(db, through_sqlalchemy=through_sqlalchemy)
    tag = uuid.uuid4().hex[:8]
    turn = {"aad_object_id": "nobody", "conversation_id": "none", "state_key": "none"}

    async def read(_: int) -> None:
        async with blocks.reading() as connection:
            (await connection.execute(_TURN_START, turn)).one()

    async def create(number: int) -> None:
        async with blocks.writing() as connection:
            values = {"row_key": f"bench-hot-{tag}-{number}", "new_etag": "e", "new_data": "{}"}
            await connection.execute(_CREATE, values)

    async def write_two(number: int) -> None:
        async with blocks.writing() as connection:
            values = {"row_key": f"bench-hot-{tag}-{number}", "new_etag": "f", "new_data": "[]"}
            await connection.execute(_REPLACE, values)
            await connection.execute(_TURN_START, turn)

    figures: dict[str, float] = {}
    for name, block in (("read", read), ("insert", create), ("two in a transaction", write_two)):
        cpu, wall = await _timed(rounds, block)
        figures[f"{name} cpu"], figures[f"{name} wall"] = cpu, wall
    return figures


@asynccontextmanager
async def _scratch_database(url: str) -> AsyncIterator[Database]:
    """The database at `url`; on PostgreSQL in a schema of its own, dropped afterwards."""
    db = Database(url)
    if db.is_sqlite:
        try:
            await db.upgrade()
            yield db
        finally:
            await db.dispose()
        return
    schema = f"bench_hot_{uuid.uuid4().hex[:8]}"
    async with db.engine.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    scratch = Database(url, search_path=schema)
    try:
        await scratch.upgrade()
        yield scratch
    finally:
        await scratch.dispose()
        async with db.engine.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await db.dispose()


async def main_async(url: str, rounds: int, repeats: int) -> None:
    async with _scratch_database(url) as db:
        for repeat in range(repeats):
            for through_sqlalchemy in (True, False):
                label = "SQLAlchemy asyncio" if through_sqlalchemy else "Database hot path"
                figures = await _measure(db, rounds, through_sqlalchemy=through_sqlalchemy)
                async with db.writing() as connection:
                    await connection.execute(_CLEAN)
                shown = "  ".join(f"{key} {value:6.0f}" for key, value in figures.items())
                print(f"{repeat + 1} {label:18} µs per block: {shown}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url", help="database URL, e.g. postgresql://postgres@127.0.0.1/test")
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main_async(args.url, args.rounds, args.repeats))


if __name__ == "__main__":
    main()
