"""SQLite for SQLAlchemy's asyncio engine, run on the event loop's own thread.

aiosqlite runs each call in a helper thread: a cursor, an execute, a fetch and a close are
four round trips between threads for one statement. On this bot's small statements that
costs more CPU than SQLite itself (measured: a transaction with one ORM select takes 710 µs
of CPU through aiosqlite and 210 µs synchronously), and the result waits for the event loop
each time. Here the same connection API (the part of aiosqlite that SQLAlchemy's `aiosqlite`
dialect uses) answers at once; SQLAlchemy is given it through `create_async_engine(...,
async_creator=...)`.

What this costs: a statement blocks the event loop while SQLite runs it. Our statements are
small and indexed, and readers never wait (WAL). A writer waits only if another process
holds SQLite's write lock (a CLI import): `BUSY_TIMEOUT_MS` bounds that wait, after which
the write fails with "database is locked" like any other failed write.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

BUSY_TIMEOUT_MS = 2000


class _Immediately:
    """Stands in for aiosqlite's work queue: runs the function now, answers the future."""

    def put_nowait(self, item: tuple[Any, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as error:
            future.set_exception(error)
        else:
            future.set_result(result)


class InlineCursor:
    """An aiosqlite-shaped cursor whose coroutines never suspend."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, sql: str, parameters: Any = None) -> InlineCursor:
        if parameters is None:
            self._cursor.execute(sql)
        else:
            self._cursor.execute(sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Any) -> InlineCursor:
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self) -> Sequence[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


class _CursorContext:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    async def __aenter__(self) -> InlineCursor:
        return InlineCursor(self._connection.cursor())

    async def __aexit__(self, *_: object) -> None:
        return None


class InlineConnection:
    """The part of `aiosqlite.Connection` SQLAlchemy uses, answered synchronously."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.sqlite: sqlite3.Connection | None = connection
        # private API: SQLAlchemy's aiosqlite adapter reads aiosqlite's `_tx`, `_conn` and
        # `_connection` (to set the isolation level, and to see whether it is open)
        self._tx = _Immediately()

    @property
    def _conn(self) -> sqlite3.Connection | None:
        return self.sqlite

    @property
    def _connection(self) -> sqlite3.Connection | None:
        return self.sqlite

    def _open(self) -> sqlite3.Connection:
        if self.sqlite is None:
            raise ValueError("Connection closed")
        return self.sqlite

    @property
    def isolation_level(self) -> str | None:
        return self._open().isolation_level

    def cursor(self) -> _CursorContext:
        return _CursorContext(self._open())

    async def execute(self, sql: str, parameters: Any = None) -> InlineCursor:
        cursor = InlineCursor(self._open().cursor())
        return await cursor.execute(sql, parameters)

    async def commit(self) -> None:
        self._open().commit()

    async def rollback(self) -> None:
        self._open().rollback()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._open().create_function(*args, **kwargs)

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        if self.sqlite is not None:
            self.sqlite.close()
            self.sqlite = None


def inline_connector(path: str) -> Callable[[], Any]:
    """`async_creator` for `create_async_engine`: connections to the SQLite file at `path`."""

    async def connect() -> InlineConnection:
        connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return InlineConnection(connection)

    return connect
