"""Run a bot with experimental patches, to measure a change before making it in the app.

`python -m bench.variant_bot --patch connector-cache bot run` runs `python -m bot run` with
botbuilder's per-turn `ConnectorClient` reused per service URL; `--patch sqlite-pool1` gives
SQLite one pooled connection, so transactions queue in the pool (FIFO) instead of polling
SQLite's write lock through `busy_timeout`. Nothing here is used by the application.
"""

from __future__ import annotations

import argparse
import os
import runpy
import sys
from collections.abc import Callable
from typing import Any


def connector_cache() -> None:
    from botframework.connector.auth import (  # noqa: TID251
        _connector_factory_impl as impl,
    )

    original = impl._ConnectorFactoryImpl.create
    cache: dict[tuple[str, str, str], Any] = {}

    async def create(self: Any, service_url: str, audience: str | None = None) -> Any:
        # botbuilder builds a new factory per request: key by what the client depends on.
        key = (self._app_id, service_url, audience or self._to_channel_from_bot_oauth_scope)
        client = cache.get(key)
        if client is None:
            client = cache[key] = await original(self, service_url, audience)
        return client

    impl._ConnectorFactoryImpl.create = create


def token_client_cache() -> None:
    """botbuilder also builds a `UserTokenClient` (another msrest client) on every turn."""
    from botframework.connector.auth import (  # noqa: TID251
        _built_in_bot_framework_authentication as built_in,
    )
    from botframework.connector.auth import (  # noqa: TID251
        _parameterized_bot_framework_authentication as parameterized,
    )

    get_app_id = built_in._BuiltinBotFrameworkAuthentication.get_app_id
    for cls in (
        built_in._BuiltinBotFrameworkAuthentication,
        parameterized._ParameterizedBotFrameworkAuthentication,
    ):
        original = cls.create_user_token_client
        cache: dict[tuple[int, str], Any] = {}

        async def create(
            self: Any, claims_identity: Any, original: Any = original, cache: Any = cache
        ) -> Any:
            key = (id(self), str(get_app_id(claims_identity)))
            client = cache.get(key)
            if client is None:
                client = cache[key] = await original(self, claims_identity)
            return client

        cls.create_user_token_client = create


def sqlite_pool1() -> None:
    from storage import db

    original = db.__dict__["create_async_engine"]

    def create(url: str, **options: Any) -> Any:
        if url.startswith("sqlite"):
            options.update(pool_size=1, max_overflow=0, pool_timeout=60)
        return original(url, **options)

    db.__dict__["create_async_engine"] = create


def _watch_driver(began: Callable[..., None], executed: Callable[..., None]) -> None:
    """PostgreSQL's hot path bypasses SQLAlchemy's events (storage/pg_driver.py): watch it too.
    `began()` for each block, `executed(None, None, sql)` for each statement."""
    from storage import pg_driver

    def notify(_statements: Any, _driver: Any, statement: str) -> None:
        executed(None, None, "(driver) " + statement)

    def notify_begin(_statements: Any, _driver: Any) -> None:
        began()

    pg_driver.DriverStatements.notify = notify  # type: ignore[method-assign]
    pg_driver.DriverStatements.notify_begin = notify_begin  # type: ignore[method-assign]


def count_transactions() -> None:
    """Counts requests, transactions and SQL statements; prints them when the bot stops."""
    import atexit

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from bot import app

    counts = {"requests": 0, "transactions": 0, "statements": 0}

    def began(*_: Any) -> None:
        counts["transactions"] += 1

    def executed(*_: Any) -> None:
        counts["statements"] += 1

    event.listen(Engine, "begin", began)
    event.listen(Engine, "before_cursor_execute", executed)
    _watch_driver(began, executed)
    original = app.messages

    async def messages(request: Any) -> Any:
        counts["requests"] += 1
        try:
            return await original(request)
        finally:
            if counts["requests"] % 100 == 0:
                report()

    def report() -> None:
        print(f"bench counts: {counts}", file=sys.stderr, flush=True)

    app.__dict__["messages"] = messages
    atexit.register(report)


def trace_sql() -> None:
    """Writes the SQL each request ran (its background work included) to $BENCH_SQL_TRACE."""
    import contextvars
    import itertools

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from bot import app

    out = open(os.environ.get("BENCH_SQL_TRACE", "sql-trace.txt"), "w")  # noqa: SIM115
    current = contextvars.ContextVar("request", default="-")
    numbers = itertools.count(1)

    def write(line: str) -> None:
        out.write(f"{current.get()}\t{line}\n")
        out.flush()

    def executed(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        write("    " + " ".join(statement.split())[:150])

    def began(*_: Any) -> None:
        write("  BEGIN")

    event.listen(Engine, "begin", began)
    event.listen(Engine, "before_cursor_execute", executed)
    _watch_driver(began, executed)
    original = app.messages

    async def messages(request: Any) -> Any:
        body = await request.json()
        value = body.get("value") if isinstance(body.get("value"), dict) else {}
        action = value.get("action") if isinstance(value.get("action"), dict) else {}
        label = body.get("text") or value.get("verb") or action.get("verb") or ""
        current.set(f"{next(numbers)} {body.get('type')} {label}")
        write("REQUEST")
        return await original(request)

    app.__dict__["messages"] = messages


def db_sites() -> None:
    """CPU of every database session from open to close, per calling line of our code.

    Written to $BENCH_DB_SITES when the bot stops. Meaningful at 1 user on a SQLite file,
    where statements run on the loop's thread and a session's awaits do not yield.
    """
    import atexit
    import time
    from collections import defaultdict

    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

    ours = ("/bot/", "/dialogs/", "/storage/", "/domain/", "/cards/", "/reports/")
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    requests = [0]

    def site() -> str:
        frame = sys._getframe(2)
        while frame is not None:
            name = frame.f_code.co_filename
            if any(part in name for part in ours) and not name.endswith("storage/db.py"):
                short = name.split("/work/")[-1].split("/", 1)[-1] if "/work/" in name else name
                return f"{short}:{frame.f_lineno} {frame.f_code.co_name}"
            frame = frame.f_back
        return "?"

    enters = {kind: kind.__aenter__ for kind in (AsyncSession, AsyncConnection)}
    leaves = {kind: kind.__aexit__ for kind in (AsyncSession, AsyncConnection)}
    started_at: dict[int, tuple[str, float]] = {}

    async def aenter(self: Any) -> Any:
        started_at[id(self)] = (site(), time.thread_time())
        return await enters[type(self)](self)

    async def aexit(self: Any, *exc: Any) -> Any:
        try:
            return await leaves[type(self)](self, *exc)
        finally:
            where, started = started_at.pop(id(self), ("?", time.thread_time()))
            entry = totals[where]
            entry[0] += time.thread_time() - started
            entry[1] += 1

    for kind in (AsyncSession, AsyncConnection):
        kind.__aenter__ = aenter  # type: ignore[method-assign]
        kind.__aexit__ = aexit  # type: ignore[method-assign]

    from bot import app
    from storage import inline_sqlite

    in_sqlite = [0.0, 0]

    def timed(method: Any) -> Any:
        async def run(self: Any, *args: Any) -> Any:
            started = time.thread_time()
            try:
                return await method(self, *args)
            finally:
                in_sqlite[0] += time.thread_time() - started
                in_sqlite[1] += 1

        return run

    for kind, names in (
        (inline_sqlite.InlineCursor, ("execute", "fetchall", "fetchone", "fetchmany")),
        (inline_sqlite.InlineConnection, ("commit", "rollback")),
    ):
        for name in names:
            setattr(kind, name, timed(getattr(kind, name)))

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    caching: dict[str, int] = defaultdict(int)
    misses: dict[str, int] = defaultdict(int)

    def executed(_conn: Any, _cursor: Any, statement: str, _p: Any, context: Any, _m: Any) -> None:
        outcome = str(getattr(context, "cache_hit", "?"))
        caching[outcome] += 1
        if "miss" in outcome.lower() or "generated" in outcome.lower():
            misses[" ".join(statement.split())[:120]] += 1

    event.listen(Engine, "before_cursor_execute", executed)

    original = app.messages

    async def messages(request: Any) -> Any:
        requests[0] += 1
        return await original(request)

    app.__dict__["messages"] = messages

    import gc

    collecting = {"seconds": 0.0, "runs": [0, 0, 0], "since": 0.0}

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collecting["since"] = time.thread_time()
        else:
            collecting["seconds"] += time.thread_time() - collecting["since"]
            collecting["runs"][info["generation"]] += 1

    gc.callbacks.append(on_gc)

    def report() -> None:
        path = os.environ.get("BENCH_DB_SITES", "db-sites.txt")
        with open(path + ".gc", "w") as out:
            count = max(requests[0], 1)
            out.write(
                f"gc {1000 * collecting['seconds'] / count:.3f} ms/req, runs per generation "
                f"{collecting['runs']}, objects tracked {len(gc.get_objects())}\n"
            )
        with open(path + ".cache", "w") as out:
            out.write(f"{dict(caching)}\n")
            for statement, n in sorted(misses.items(), key=lambda item: -item[1])[:40]:
                out.write(f"{n:6d} {statement}\n")
        count = max(requests[0], 1)
        rows = sorted(totals.items(), key=lambda item: -item[1][0])
        with open(path, "w") as out:
            out.write(f"requests {requests[0]}\n")
            out.write(
                f"inside sqlite3 (inline driver calls): {1000 * in_sqlite[0] / count:.3f} ms/req, "
                f"{in_sqlite[1] / count:.1f} calls/req\n"
            )
            for where, (seconds, n) in rows:
                out.write(
                    f"{1000 * seconds / count:8.3f} ms/req {n / count:6.2f}/req "
                    f"{1e6 * seconds / max(n, 1):8.0f} us/session  {where}\n"
                )

    atexit.register(report)


def cprofile() -> None:
    """cProfile over the bot's whole run, dumped to $BENCH_CPROFILE when it stops."""
    import atexit
    import cProfile

    profile = cProfile.Profile()
    profile.enable()

    def dump() -> None:
        profile.disable()
        profile.dump_stats(os.environ.get("BENCH_CPROFILE", "bot.prof"))

    atexit.register(dump)


PATCHES = {
    "cprofile": cprofile,
    "db-sites": db_sites,
    "trace-sql": trace_sql,
    "count-transactions": count_transactions,
    "connector-cache": connector_cache,
    "token-client-cache": token_client_cache,
    "sqlite-pool1": sqlite_pool1,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patch", action="append", choices=sorted(PATCHES), default=[])
    parser.add_argument("module")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    for name in options.patch:
        PATCHES[name]()
    sys.argv = [options.module, *options.args]
    runpy.run_module(options.module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
