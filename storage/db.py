"""The database: connections for reads and writes, and schema migrations, for SQLite and
PostgreSQL."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Protocol, TypeAlias

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import CursorResult, Engine, Executable, create_engine, event, text
from sqlalchemy.dialects.postgresql import Insert as PostgresInsert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import Insert as SQLiteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Dialect, make_url
from sqlalchemy.exc import DBAPIError, InvalidatePoolError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    create_async_engine,
)

from storage.inline_sqlite import BUSY_TIMEOUT_MS, inline_connector
from storage.pg_driver import DriverEvents, DriverPool

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/amkbot.db"
_WAL_ATTEMPTS = 100
WRITE_TURN_TIMEOUT_SECONDS = 30.0
# PostgreSQL connections the hot path keeps for itself (see storage/pg_driver.py)
DRIVER_POOL_SIZE = 10

# How long the current caller's SQLite writes may be put behind later writers (seconds):
# the bot sets 0 for card actions, more for messages and background work.
WRITE_ALLOWANCE: ContextVar[float] = ContextVar("write_allowance", default=0.25)


def dialect_insert(on: HotConnection, model: Any) -> PostgresInsert | SQLiteInsert:
    """`INSERT` for the database of a session or connection, with its `ON CONFLICT` clauses."""
    dialect = on.dialect
    if dialect.name == "postgresql":
        return postgresql_insert(model)
    return sqlite_insert(model)


_BY_DIALECT: dict[tuple[str, str], Any] = {}


def for_dialect(on: HotConnection, name: str, build: Callable[[HotConnection], Executable]) -> Any:
    """A statement whose SQL depends on the database (`ON CONFLICT`), built once per dialect:
    building one costs as much as running it."""
    key = (on.dialect.name, name)
    statement = _BY_DIALECT.get(key)
    if statement is None:
        statement = _BY_DIALECT[key] = build(on)
    return statement


def json_text(value: Any) -> str:
    """A JSON column's text (orjson: a tenth of `json`'s CPU; dates as ISO 8601)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


# Every engine's JSON columns are written and read with orjson.
_JSON_CODEC: dict[str, Any] = {"json_serializer": json_text, "json_deserializer": orjson.loads}


class OrderedSlots:
    """`limit` places; waiters are served in order of arrival plus their allowance (seconds),
    so urgent work goes first and nobody waits forever behind it."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("ordered slots need at least one place")
        self.limit = limit
        self._free = limit
        self._waiting: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    @property
    def working(self) -> int:
        return self.limit - self._free

    @property
    def queued(self) -> int:
        return sum(1 for *_, future in self._waiting if not future.done())

    async def acquire(self, allowance: float, patience: float | None = None) -> None:
        """Take a place; `TimeoutError` after `patience` seconds of waiting."""
        if self._free > 0 and not self.queued:
            self._free -= 1
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._waiting, (loop.time() + allowance, next(self._order), future))
        try:
            await asyncio.wait_for(asyncio.shield(future), patience)
        except (TimeoutError, asyncio.CancelledError):
            if future.done() and not future.cancelled():
                self.release()
            else:
                future.cancel()
            raise

    def release(self) -> None:
        while self._waiting:
            *_, future = heapq.heappop(self._waiting)
            if not future.done():
                future.set_result(None)
                return
        self._free += 1


def normalise_url(url: str) -> str:
    """Accept the usual spellings and pick the async driver for each database."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:///"):
        url = "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    return url


def _enable_wal(cursor: Any) -> None:
    """Switch a new file to WAL (the mode then persists in the file).

    Two processes opening a new file at once can both try the switch, and SQLite answers
    "database is locked" without waiting on busy_timeout: retry for a few seconds.
    """
    for attempt in range(_WAL_ATTEMPTS):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == _WAL_ATTEMPTS - 1:
                raise
            time.sleep(0.05)


def _prepare_sqlite(engine: Engine, *, begin: str, busy_timeout_ms: int) -> None:
    """Foreign keys on, WAL; writers take the write lock at BEGIN, so they queue instead
    of failing or forking, while readers (plain BEGIN) never wait for writers."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        _enable_wal(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Straight to the driver: `exec_driver_sql` costs a statement's worth of events.
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(begin)
        except connection.dialect.loaded_dbapi.Error as error:
            # As SQLAlchemy would have raised it ("database is locked" is an OperationalError).
            raise DBAPIError.instance(
                begin, None, error, connection.dialect.loaded_dbapi.Error
            ) from error
        finally:
            cursor.close()


# How long a migration waits for another process's migration of the same SQLite file.
MIGRATION_BUSY_TIMEOUT_MS = 60_000

# One row's parameters, or a list of them (one statement run for each row).
Parameters: TypeAlias = Mapping[str, Any] | Sequence[Mapping[str, Any]]


class HotResult(Protocol):
    """What the hot path reads of a statement's result (SQLAlchemy's, or the driver path's)."""

    @property
    def rowcount(self) -> int: ...

    def __iter__(self) -> Iterator[Any]: ...

    def all(self) -> Sequence[Any]: ...

    def first(self) -> Any: ...

    def one(self) -> Any: ...

    def one_or_none(self) -> Any: ...

    def scalar(self) -> Any: ...

    def scalar_one(self) -> Any: ...

    def scalar_one_or_none(self) -> Any: ...


class HotConnection(Protocol):
    """What Core statements on the hot path need of a connection."""

    @property
    def dialect(self) -> Dialect: ...

    async def execute(
        self, statement: Executable, parameters: Parameters | None = None
    ) -> HotResult: ...


class SQLiteOnLoop:
    """A plain SQLAlchemy connection to a SQLite file, used on the event loop's thread.

    SQLite runs on the loop's thread anyway (storage/inline_sqlite.py); skipping the asyncio
    layer's greenlet switches makes a small Core statement about three times cheaper.
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    @property
    def dialect(self) -> Dialect:
        return self._connection.dialect

    async def execute(
        self, statement: Executable, parameters: Parameters | None = None
    ) -> CursorResult[*tuple[Any, ...]]:
        return self._connection.execute(statement, parameters)


def _sqlite_on_loop(path: str, *, begin: str) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        hide_parameters=True,
        **_JSON_CODEC,
        connect_args={"check_same_thread": False, "isolation_level": None},
    )
    _prepare_sqlite(engine, begin=begin, busy_timeout_ms=BUSY_TIMEOUT_MS)
    return engine


PING_AFTER_IDLE_SECONDS = 5.0


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Check a pooled connection before use only when it sat idle for a while.

    A ping on every checkout (`pool_pre_ping`) is a round trip per transaction, several per
    turn. A connection lost while busy fails its transaction (rolled back, the user gets an
    apology) and SQLAlchemy then replaces the whole pool; idle ones are found here first.
    """
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "checkin")
    def _idle_from(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(sync_engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            alive = sync_engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # the driver's error for a closed connection
            raise InvalidatePoolError(f"the connection was lost while idle: {error}") from error
        if not alive:
            raise InvalidatePoolError("the connection was lost while idle")


class Database:
    """One database for the whole bot: domain rows, audit trail, jobs and dialog state."""

    def __init__(self, url: str, *, search_path: str | None = None) -> None:
        self.url = normalise_url(url)
        # kept so that another process (an export's worker) can open the same database
        self.search_path = search_path
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        options: dict[str, Any] = {"hide_parameters": True, **_JSON_CODEC}
        self.driver_events = DriverEvents()
        self._driver: DriverPool | None = None
        if not self.is_sqlite:
            # up to DRIVER_POOL_SIZE of these stay with the hot path (storage/pg_driver.py)
            options.update(pool_size=10, max_overflow=20)
            if search_path:
                options["connect_args"] = {"server_settings": {"search_path": search_path}}
        busy_timeout_ms = 10_000
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            # On the event loop's thread: see storage/inline_sqlite.py for why and the cost.
            options["async_creator"] = inline_connector(parsed.database)
            busy_timeout_ms = BUSY_TIMEOUT_MS
        self.engine: AsyncEngine = create_async_engine(self.url, **options)
        self.read_engine = self._autocommit = self.engine
        if self.is_sqlite:
            _prepare_sqlite(
                self.engine.sync_engine, begin="BEGIN IMMEDIATE", busy_timeout_ms=busy_timeout_ms
            )
            self.read_engine = self._autocommit = create_async_engine(self.url, **options)
            _prepare_sqlite(
                self.read_engine.sync_engine, begin="BEGIN", busy_timeout_ms=busy_timeout_ms
            )
        else:
            _ping_when_idle(self.engine)
            self._autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
            self._driver = DriverPool(self.engine, DRIVER_POOL_SIZE, self.driver_events)
        self._on_loop: tuple[Engine, Engine] | None = None
        if "async_creator" in options:
            self._on_loop = (
                _sqlite_on_loop(str(parsed.database), begin="BEGIN IMMEDIATE"),
                _sqlite_on_loop(str(parsed.database), begin="BEGIN"),
            )
        # SQLite has one writer at a time: this process's writers wait their turn here, in
        # order, instead of polling SQLite's lock in its busy handler (the long tails).
        self._write_order = OrderedSlots(1) if self.is_sqlite else None
        self.write_wait_seconds = WRITE_TURN_TIMEOUT_SECONDS

    def writing(self) -> AbstractAsyncContextManager[HotConnection]:
        """One write transaction for Core statements: committed when the block ends, rolled
        back on any error (`storage.audit.audited` adds the audit trail).

        On a SQLite file the statements skip the asyncio layer (see `SQLiteOnLoop`); on
        PostgreSQL they run on asyncpg's own connections (see storage/pg_driver.py).
        """
        if self._driver is not None:
            return self._driver.connection(transaction=True)
        return self._ordered_writing()

    @asynccontextmanager
    async def _ordered_writing(self) -> AsyncIterator[HotConnection]:
        async with self.write_turn():
            if self._on_loop is not None:
                with self._on_loop[0].begin() as connection:
                    yield SQLiteOnLoop(connection)
                return
            async with self.engine.begin() as async_connection:
                yield async_connection

    def writing_once(self) -> AbstractAsyncContextManager[HotConnection]:
        """`writing()` for statements that are each complete on their own: nothing between
        them needs a transaction (one statement, or a lookup and a write that stands alone).

        On PostgreSQL they run in autocommit, each its own transaction: one round trip each
        instead of BEGIN, the statements and COMMIT. On SQLite they share one transaction.
        """
        return self.writing() if self.is_sqlite else self._hot_autocommit()

    def _hot_autocommit(self) -> AbstractAsyncContextManager[HotConnection]:
        # The context managers are handed on, not wrapped: a turn opens several.
        if self._driver is not None:
            return self._driver.connection(transaction=False)
        return self._autocommit.connect()

    def reading(self) -> AbstractAsyncContextManager[HotConnection]:
        """A plain connection for Core reads on the hot path; never committed.

        On PostgreSQL each statement is its own snapshot (no BEGIN and ROLLBACK round trips).
        """
        if self._on_loop is not None:
            return self._sqlite_reading(self._on_loop[1])
        return self._hot_autocommit()

    @staticmethod
    @asynccontextmanager
    async def _sqlite_reading(engine: Engine) -> AsyncIterator[HotConnection]:
        with engine.connect() as connection:
            yield SQLiteOnLoop(connection)

    @asynccontextmanager
    async def write_turn(self) -> AsyncIterator[None]:
        """This process's turn to write (SQLite: one writer at a time, in order)."""
        if self._write_order is None:
            yield
            return
        try:
            await self._write_order.acquire(WRITE_ALLOWANCE.get(), self.write_wait_seconds)
        except TimeoutError:
            raise sqlite3.OperationalError(
                "database is locked: other writers took too long"
            ) from None
        try:
            yield
        finally:
            self._write_order.release()

    @property
    def sync_engines(self) -> list[Engine]:
        """Every engine behind this database, for listening to its events."""
        engines = [self.engine.sync_engine, *(self._on_loop or ())]
        if self.read_engine is not self.engine:
            engines.append(self.read_engine.sync_engine)
        return engines

    async def upgrade(self) -> None:
        """Bring the schema to the newest migration. On a SQLite file another process may be
        migrating it at the same moment: wait up to `MIGRATION_BUSY_TIMEOUT_MS` for its write
        lock (on aiosqlite's thread), not the 2 s a turn may wait."""
        engine = self.engine
        if self._on_loop is not None:
            engine = create_async_engine(self.url, hide_parameters=True, **_JSON_CODEC)
            _prepare_sqlite(
                engine.sync_engine,
                begin="BEGIN IMMEDIATE",
                busy_timeout_ms=MIGRATION_BUSY_TIMEOUT_MS,
            )
        try:
            async with engine.begin() as connection:
                await connection.run_sync(_upgrade_with, "head")
        finally:
            if engine is not self.engine:
                await engine.dispose()

    async def ping(self) -> bool:
        """Whether the database answers a read (a health check takes no write lock)."""
        try:
            async with self.reading() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:
            log.exception("database ping failed")
            return False
        return True

    async def dispose(self) -> None:
        if self._driver is not None:
            self._driver.close()
        for engine in self._on_loop or ():
            engine.dispose()
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def _upgrade_with(connection: Connection, revision: str) -> None:
    command.upgrade(alembic_config(connection), revision)
