"""Hot-path Core statements on asyncpg's own connections (PostgreSQL only).

SQLAlchemy's asyncio layer costs the bot about 370 µs of CPU for a one-statement block on
PostgreSQL (pool checkout, greenlet switches, its DBAPI emulation); the same statement on a
held asyncpg connection costs about 70 µs. Here, each statement object is compiled once by
SQLAlchemy's public `compile()` (so types, defaults and SQL stay SQLAlchemy's), bound and read
through the compiled statement's documented attributes and the types' own processors, and run
on connections SQLAlchemy opened, kept in a small pool of their own. Errors come out as
SQLAlchemy's exceptions. A statement built anew for each call is compiled each time: the hot
paths keep theirs as module constants.
"""

from __future__ import annotations

import asyncio
import collections
import time
import weakref
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import asyncpg
from sqlalchemy import exc
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql.compiler import SQLCompiler

PING_AFTER_IDLE_SECONDS = 5.0
WAIT_FOR_CONNECTION_SECONDS = 30.0

Processor = Callable[[Any], Any]


class DriverEvents:
    """Who wants to see the statements run here (tests and bench probes): `began(connection)`
    when a block begins (a transaction, or statements in autocommit), `executed(connection,
    sql)` before each statement."""

    def __init__(self) -> None:
        self.began: list[Callable[[object], None]] = []
        self.executed: list[Callable[[object, str], None]] = []


@dataclass(frozen=True)
class _Compiled:
    """What running one statement needs, worked out once per statement object."""

    sql: str
    positions: tuple[str, ...]
    bind_processors: tuple[Processor | None, ...]
    processors: Mapping[str, Processor]
    # (parameter name, column default) filled in Python, as SQLAlchemy's defaults would be
    defaults: tuple[tuple[str, Any], ...]
    returns_rows: bool
    result_processors: tuple[tuple[int, Processor], ...]
    compiled: SQLCompiler
    expanding: bool
    # Per position: where its value comes from (see `_binders`); None: SQLAlchemy's own
    # `construct_params` binds every call.
    binders: tuple[tuple[str, Processor | None, Any], ...] | None = None


# Where a position's value comes from, besides a fixed value of the statement's own.
_GIVEN = object()


@dataclass(frozen=True)
class _ColumnDefault:
    default: Any


def _row_type(names: Sequence[str]) -> type[tuple[Any, ...]]:
    return collections.namedtuple("Row", names, rename=True)


def _compile(
    statement: Any, dialect: Dialect, parameters: Mapping[str, Any], many: bool
) -> _Compiled:
    """Compile once for this statement object and these parameter names, and work out how to
    bind its values and read its rows, from the compiled statement's documented attributes."""
    compiled = statement.compile(
        dialect=dialect, column_keys=sorted(parameters), for_executemany=many
    )
    if not isinstance(compiled, SQLCompiler):
        raise exc.ArgumentError("only SQL statements run on the driver path")
    positions = tuple(compiled.positiontup or ())
    processors = _processors_of(compiled, dialect)
    prefetch = [(column, column.default) for column in compiled.insert_prefetch]
    prefetch += [(column, column.onupdate) for column in compiled.update_prefetch]
    defaults = tuple((column.key, default) for column, default in prefetch)
    dml = compiled.isinsert or compiled.isupdate or compiled.isdelete
    returned = compiled.effective_returning if dml else _selected(compiled.statement)
    result_processors: list[tuple[int, Processor]] = []
    for index, column in enumerate(returned or ()):
        process = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if process is not None:
            result_processors.append((index, process))
    plan = _Compiled(
        sql=compiled.string,
        positions=positions,
        bind_processors=tuple(processors.get(name) for name in positions),
        processors=processors,
        defaults=defaults,
        returns_rows=not dml or bool(compiled.effective_returning),
        result_processors=tuple(result_processors),
        compiled=compiled,
        expanding=bool(compiled.post_compile_params or compiled.literal_execute_params),
    )
    if plan.expanding:
        return plan
    return replace(plan, binders=_binders(plan, parameters))


def _processors_of(compiled: SQLCompiler, dialect: Dialect) -> dict[str, Processor]:
    """Each bound parameter's conversion for the driver, by its name in the SQL."""
    processors: dict[str, Processor] = {}
    for bind, name in compiled.bind_names.items():
        if bind in compiled.literal_execute_params:
            continue
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            processors[name] = process
    return processors


def _selected(statement: Any) -> Sequence[Any]:
    """The columns a query returns, in order (none for other statements)."""
    return list(getattr(statement, "selected_columns", ()))


def _values(plan: _Compiled, parameters: Mapping[str, Any]) -> MutableMapping[str, Any]:
    """Every bound value, as SQLAlchemy works them out (about 25 µs a statement)."""
    values = plan.compiled.construct_params(parameters, escape_names=False)
    for name, default in plan.defaults:
        if name not in parameters:
            values[name] = _default_value(default)
    return values


def _binders(
    plan: _Compiled, parameters: Mapping[str, Any]
) -> tuple[tuple[str, Processor | None, Any], ...] | None:
    """Each position's value taken straight from the caller's parameters, a column default or
    a fixed value of the statement; None if that does not give what SQLAlchemy gives."""
    values = _values(plan, parameters)
    defaults = dict(plan.defaults)
    binds = plan.compiled.binds
    binders: list[tuple[str, Processor | None, Any]] = []
    for name, process in zip(plan.positions, plan.bind_processors, strict=True):
        bind = binds.get(name)
        if name in defaults and name not in parameters:
            binders.append((name, process, _ColumnDefault(defaults[name])))
        elif bind is None or bind.callable is not None:
            return None
        elif bind.key in parameters:
            if bind.key != name or values[name] is not parameters[name]:
                return None
            binders.append((name, process, _GIVEN))
        else:
            binders.append((name, process, values[name]))
    return tuple(binders)


def _default_value(default: Any) -> Any:
    if default is None:
        return None
    if default.is_callable:
        return default.arg(None)
    if default.is_scalar:
        return default.arg
    raise exc.InvalidRequestError("only Python-side column defaults run on the driver path")


class DriverResult:
    """The part of SQLAlchemy's `Result` the hot path uses; rows are named tuples."""

    __slots__ = ("_rows", "rowcount")

    def __init__(self, rows: list[Any], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def all(self) -> list[Any]:
        return list(self._rows)

    def first(self) -> Any:
        return self._rows[0] if self._rows else None

    def one_or_none(self) -> Any:
        if len(self._rows) > 1:
            raise exc.MultipleResultsFound("Multiple rows were found when one or none was required")
        return self.first()

    def one(self) -> Any:
        if not self._rows:
            raise exc.NoResultFound("No row was found when one was required")
        return self.one_or_none()

    def scalar(self) -> Any:
        row = self.first()
        return None if row is None else row[0]

    def scalar_one(self) -> Any:
        return self.one()[0]

    def scalar_one_or_none(self) -> Any:
        row = self.one_or_none()
        return None if row is None else row[0]


# What the driver raises for a statement that failed or a connection that went away.
_DRIVER_ERRORS = (asyncpg.exceptions.PostgresError, asyncpg.InterfaceError, OSError)
_SERVER_ERRORS: tuple[tuple[type[BaseException], type[exc.DBAPIError]], ...] = (
    (asyncpg.exceptions.IntegrityConstraintViolationError, exc.IntegrityError),
    (asyncpg.exceptions.PostgresConnectionError, exc.OperationalError),
    (asyncpg.exceptions.OperatorInterventionError, exc.OperationalError),
    (asyncpg.exceptions.DataError, exc.DataError),
    (asyncpg.exceptions.SyntaxOrAccessError, exc.ProgrammingError),
    (asyncpg.exceptions.PostgresError, exc.DatabaseError),
)


def _as_sqlalchemy_error(error: BaseException, sql: str) -> exc.DBAPIError:
    """The exception `Connection.execute` would have raised (parameters hidden)."""
    for driver_class, ours in _SERVER_ERRORS:
        if isinstance(error, driver_class):
            return ours(sql, None, error, hide_parameters=True)
    return exc.OperationalError(
        sql,
        None,
        error,
        hide_parameters=True,
        connection_invalidated=True,
    )


def _leaves_connection_usable(error: Exception) -> bool:
    """An error the server answered with, or one raised by our code between statements; not a
    lost connection. (Cancellation is a `BaseException`: that connection is never reused.)"""
    if isinstance(error, exc.DBAPIError):
        return isinstance(error.orig, asyncpg.exceptions.PostgresError)
    return not isinstance(error, asyncpg.InterfaceError | OSError)


class DriverConnection:
    """A `HotConnection` on one asyncpg connection."""

    __slots__ = ("_driver", "_statements", "dialect")

    def __init__(self, driver: asyncpg.Connection, statements: DriverStatements) -> None:
        self._driver = driver
        self._statements = statements
        self.dialect = statements.dialect

    async def execute(
        self,
        statement: Any,
        parameters: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
    ) -> DriverResult:
        many = isinstance(parameters, Sequence) and not isinstance(parameters, Mapping)
        sets: Sequence[Mapping[str, Any]] = (
            parameters if many else [parameters or {}]  # type: ignore[list-item,assignment]
        )
        if not sets:  # an empty list runs the statement once, as SQLAlchemy does
            many, sets = False, [{}]
        plan = self._statements.plan(statement, sets[0], many)
        if many:
            arguments = [self._statements.arguments(plan, one) for one in sets]
            sql = plan.sql
            self._statements.notify(self._driver, sql)
            try:
                await self._driver.executemany(sql, arguments)
            except _DRIVER_ERRORS as error:
                raise _as_sqlalchemy_error(error, sql) from error
            return DriverResult([], -1)
        sql, arguments_one = self._statements.bound(plan, sets[0])
        self._statements.notify(self._driver, sql)
        try:
            if plan.returns_rows:
                records = await self._driver.fetch(sql, *arguments_one)
                return DriverResult(self._statements.rows(plan, records), len(records))
            status = await self._driver.execute(sql, *arguments_one)
        except _DRIVER_ERRORS as error:
            raise _as_sqlalchemy_error(error, sql) from error
        return DriverResult([], _rowcount(status))


def _rowcount(status: str) -> int:
    tail = status.rsplit(" ", 1)[-1]
    return int(tail) if tail.isdigit() else -1


class DriverStatements:
    """Compiled statements by statement object, and how to bind and read them."""

    def __init__(self, dialect: Dialect, events: DriverEvents) -> None:
        self.dialect = dialect
        self._events = events
        self._plans: weakref.WeakKeyDictionary[Any, dict[tuple[tuple[str, ...], bool], _Compiled]]
        self._plans = weakref.WeakKeyDictionary()
        self._row_types: dict[tuple[str, ...], type[tuple[Any, ...]]] = {}

    def plan(self, statement: Any, parameters: Mapping[str, Any], many: bool) -> _Compiled:
        keys = tuple(sorted(parameters))
        by_keys = self._plans.get(statement)
        if by_keys is None:
            by_keys = self._plans[statement] = {}
        plan = by_keys.get((keys, many))
        if plan is None:
            plan = by_keys[(keys, many)] = _compile(statement, self.dialect, parameters, many)
        return plan

    def arguments(self, plan: _Compiled, parameters: Mapping[str, Any]) -> list[Any]:
        if plan.binders is not None:
            arguments = []
            for name, process, source in plan.binders:
                if source is _GIVEN:
                    value = parameters[name]
                elif isinstance(source, _ColumnDefault):
                    value = _default_value(source.default)
                else:
                    value = source
                arguments.append(value if process is None else process(value))
            return arguments
        values = _values(plan, parameters)
        return [
            values[name] if process is None else process(values[name])
            for name, process in zip(plan.positions, plan.bind_processors, strict=True)
        ]

    def bound(self, plan: _Compiled, parameters: Mapping[str, Any]) -> tuple[str, list[Any]]:
        if not plan.expanding:
            return plan.sql, self.arguments(plan, parameters)
        state = plan.compiled.construct_expanded_state(
            _values(plan, parameters), escape_names=False
        )
        processors: dict[str, Any] = {**plan.processors, **state.processors}
        arguments = []
        for name in state.positiontup or ():
            process = processors.get(name)
            value = state.parameters[name]
            arguments.append(value if process is None else process(value))
        return state.statement, arguments

    def rows(self, plan: _Compiled, records: list[asyncpg.Record]) -> list[Any]:
        if not records:
            return []
        row_type = self._row_type_of(tuple(records[0].keys()))
        if not plan.result_processors:
            return [row_type(*record) for record in records]
        rows = []
        for record in records:
            values = list(record)
            for index, process in plan.result_processors:
                values[index] = process(values[index])
            rows.append(row_type(*values))
        return rows

    def _row_type_of(self, names: tuple[str, ...]) -> type[tuple[Any, ...]]:
        row_type = self._row_types.get(names)
        if row_type is None:
            row_type = self._row_types[names] = _row_type(names)
        return row_type

    def notify(self, driver: asyncpg.Connection, sql: str) -> None:
        for listener in self._events.executed:
            listener(driver, sql)

    def notify_begin(self, driver: asyncpg.Connection) -> None:
        for listener in self._events.began:
            listener(driver)


class _Held(NamedTuple):
    proxied: PoolProxiedConnection
    driver: asyncpg.Connection


@dataclass
class _Idle:
    held: _Held
    since: float = field(default_factory=time.monotonic)


class DriverPool:
    """Up to `size` connections opened through SQLAlchemy's pool (its connect arguments,
    codecs and events) and kept here: taking one costs no round trip and no greenlet.

    A connection is reused only after a block that ended cleanly or with an error the server
    answered; after anything else (lost connection, cancellation) it is closed.
    """

    def __init__(self, engine: AsyncEngine, size: int, events: DriverEvents) -> None:
        self._engine = engine
        self._size = size
        self._opened = 0
        self._idle: list[_Idle] = []
        self._waiting: collections.deque[asyncio.Future[_Held | None]] = collections.deque()
        self._closed = False
        self.statements = DriverStatements(engine.sync_engine.dialect, events)

    @asynccontextmanager
    async def connection(self, *, transaction: bool) -> AsyncIterator[DriverConnection]:
        held = await self._take()
        reusable = False
        try:
            self.statements.notify_begin(held.driver)
            if transaction:
                try:
                    async with held.driver.transaction():
                        yield DriverConnection(held.driver, self.statements)
                except _DRIVER_ERRORS as error:
                    # BEGIN, COMMIT or ROLLBACK itself failed
                    raise _as_sqlalchemy_error(error, "COMMIT") from error
            else:
                yield DriverConnection(held.driver, self.statements)
            reusable = True
        except Exception as error:
            reusable = _leaves_connection_usable(error) and not held.driver.is_in_transaction()
            raise
        finally:
            self._give_back(held, reusable=reusable)

    async def _take(self) -> _Held:
        if self._closed:
            raise exc.InvalidRequestError("the database has been closed")
        if self._idle:
            idle = self._idle.pop()
            try:
                alive = await self._alive(idle)
            except BaseException:  # cancelled during the ping
                self._discard(idle.held)
                raise
            if alive:
                return idle.held
            self._discard(idle.held, keep_slot=True)
            return await self._open()
        if self._opened < self._size:
            self._opened += 1
            return await self._open()
        handed = await self._wait()
        if handed is None:  # a connection was closed: its place is ours
            return await self._open()
        return handed

    async def _wait(self) -> _Held | None:
        """Wait in line: a connection given back goes to the longest waiter, not to whoever
        asks next (a turn running block after block would otherwise keep jumping the line)."""
        waiter: asyncio.Future[_Held | None] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            return await asyncio.wait_for(asyncio.shield(waiter), WAIT_FOR_CONNECTION_SECONDS)
        except BaseException as error:
            if waiter.done() and not waiter.cancelled():
                self._hand_on(waiter.result())
            else:
                waiter.cancel()
            if isinstance(error, TimeoutError):
                raise exc.TimeoutError(
                    f"no database connection free after {WAIT_FOR_CONNECTION_SECONDS:g} s"
                ) from None
            raise

    async def _open(self) -> _Held:
        """A new connection in a place already counted in `_opened`."""
        if self._closed:
            self._hand_on(None)
            raise exc.InvalidRequestError("the database has been closed")
        try:
            proxied = await self._engine.raw_connection()
        except BaseException:
            self._hand_on(None)
            raise
        return _Held(proxied, proxied.driver_connection)

    async def _alive(self, idle: _Idle) -> bool:
        if idle.held.driver.is_closed():
            return False
        if time.monotonic() - idle.since < PING_AFTER_IDLE_SECONDS:
            return True
        try:
            await idle.held.driver.execute("SELECT 1")
        except Exception:  # whatever the driver says of a connection it lost
            return False
        return True

    def _give_back(self, held: _Held, *, reusable: bool) -> None:
        if reusable and not self._closed and not held.driver.is_closed():
            self._hand_on(held)
        else:
            self._discard(held)

    def _discard(self, held: _Held, *, keep_slot: bool = False) -> None:
        """Close a connection; its place goes to the next waiter (or, with `keep_slot`, stays
        with the caller)."""
        held.driver.terminate()
        held.proxied.invalidate()
        if not keep_slot:
            self._hand_on(None)

    def _hand_on(self, held: _Held | None) -> None:
        """Give a connection (None: the place of a closed one) to the longest waiter; with
        nobody waiting, keep the connection idle or free the place."""
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(held)
                return
        if held is None:
            self._opened -= 1
        elif self._closed:
            self._discard(held)
        else:
            self._idle.append(_Idle(held))

    def close(self) -> None:
        """Close the idle connections; ones in use are closed when given back."""
        self._closed = True
        while self._idle:
            self._discard(self._idle.pop().held)
