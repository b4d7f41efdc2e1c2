"""Fixtures: the tests' frozen clock, a migrated database (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set), a fake Bot Connector, and the bot's HTTP app talking to both."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import prepare_database
from storage.db import Database, normalise_url
from tests.support.clock import ENVIRONMENT, SUITE_NOW, parse_moment
from tests.support.databases import Templates
from tests.support.fake_connector import FakeConnector
from tests.support.teams import BotUnderTest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--now",
        default=os.environ.get(ENVIRONMENT),
        help="ISO moment the tests run at (default: tests.support.clock.SUITE_NOW)",
    )


SUITE_CLOCK = pytest.StashKey[time_machine.travel]()


def _suite_moment(config: pytest.Config) -> datetime:
    option = config.getoption("--now")
    return parse_moment(option) if option else SUITE_NOW


def pytest_configure(config: pytest.Config) -> None:
    """Test modules are imported at the suite's moment too (their constants use it)."""
    config.addinivalue_line("markers", "now(moment): run this test at an ISO moment of its own")
    config.stash[SUITE_CLOCK] = time_machine.travel(_suite_moment(config), tick=False)
    config.stash[SUITE_CLOCK].start()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The Playground tests take turns on one worker: each runs a Playground and a browser."""
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group("playground"))


def pytest_unconfigure(config: pytest.Config) -> None:
    if SUITE_CLOCK in config.stash:
        config.stash[SUITE_CLOCK].stop()
    TEMPLATES.close()


@pytest.fixture(autouse=True)
def frozen_now(request: pytest.FixtureRequest) -> Iterator[datetime]:
    """The moment the test starts at; the clock ticks on from there.

    `@pytest.mark.now(...)` pins a test's own moment; a parametrized `frozen_now` (indirect)
    runs a test at each of several moments."""
    pinned = request.node.get_closest_marker("now")
    if hasattr(request, "param"):
        moment = parse_moment(request.param)
    elif pinned is not None:
        moment = parse_moment(pinned.args[0])
    else:
        moment = _suite_moment(request.config)
    with time_machine.travel(moment, tick=True):
        yield moment


BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


TEMPLATES = Templates()


class DatabaseTarget:
    """Where a test's database lives, empty until `prepare()`; `open()` gives a fresh handle
    (as after a restart)."""

    def __init__(self, url: str, search_path: str | None) -> None:
        self.url = url
        self.search_path = search_path
        self.sqlite_file = Path(url.split(":///", 1)[1]) if url.startswith("sqlite") else None
        self.opened = self.prepared = False

    def open(self) -> Database:
        self.opened = True
        return Database(self.url, search_path=self.search_path)

    async def prepare(self) -> None:
        """Migrated and seeded, as `prepare_database` leaves an empty database: a copy of the
        test process's template (or, once the test has used the database, the real thing)."""
        if self.prepared:
            return
        self.prepared = True
        if self.opened:
            database = self.open()
            try:
                await prepare_database(database)
            finally:
                await database.dispose()
        elif self.sqlite_file is not None:
            await TEMPLATES.copy_sqlite(self.sqlite_file)
        else:
            self.search_path = await TEMPLATES.reset_schema(self.url)


@pytest.fixture(params=BACKENDS)
async def database_target(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[DatabaseTarget]:
    if request.param == "sqlite":
        yield DatabaseTarget(f"sqlite+aiosqlite:///{tmp_path / 'amkbot.db'}", None)
        return
    url = normalise_url(os.environ["TEST_DATABASE_URL"])
    schema = f"amk_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(url)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield DatabaseTarget(url, schema)
    finally:
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture
async def db(database_target: DatabaseTarget) -> AsyncIterator[Database]:
    """A migrated, seeded database."""
    await database_target.prepare()
    database = database_target.open()
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


@pytest.fixture
async def bot(
    database_target: DatabaseTarget, connector: FakeConnector
) -> AsyncIterator[BotUnderTest]:
    """The real aiohttp app on a free port, replying to the fake connector."""
    under_test = BotUnderTest(database_target, connector, admin_upns={"admin@uni.dk"})
    await under_test.start()
    try:
        yield under_test
    finally:
        await under_test.stop()
