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


PATCHES = {
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
