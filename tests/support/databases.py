"""Migrated, seeded test databases without migrating for every test.

Each test process migrates and seeds one template per backend, once: a SQLite file, and on
PostgreSQL a schema. A test that needs a prepared database gets a copy of it: the file is
copied, and on PostgreSQL one schema per process is reused, emptied and refilled from the
template's rows (sequences included) in a single round trip. What a test sees is the state
`prepare_database` leaves on an empty database; the migrations themselves are tested on empty
targets (tests/storage/test_storage.py and the migration tests).
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import time_machine
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.prepare import prepare_database

# The template is made at a fixed moment before every moment the suite runs at, so its seed
# rows (the audit trail's first event) are the same whichever test happens to create it.
TEMPLATE_MOMENT = datetime(2026, 1, 1, tzinfo=UTC)


async def _prepared(url: str, search_path: str | None) -> None:
    with time_machine.travel(TEMPLATE_MOMENT, tick=False):
        database = Database(url, search_path=search_path)
        try:
            await prepare_database(database)
        finally:
            await database.dispose()


def _plain_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class Templates:
    """One test process's templates; `close()` removes them."""

    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="amk-tmpl-")))
    sqlite_file: Path | None = None
    server_url: str | None = None
    template_schema: str | None = None
    reused_schema: str | None = None
    refill_script: str = ""

    async def copy_sqlite(self, target: Path) -> None:
        """Put a prepared database file at `target`."""
        if self.sqlite_file is None:
            made = self.directory / "template.db"
            await _prepared(f"sqlite+aiosqlite:///{made}", None)
            with sqlite3.connect(made) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.sqlite_file = made
        shutil.copyfile(self.sqlite_file, target)

    async def reset_schema(self, url: str) -> str:
        """The process's reused schema, as `prepare_database` leaves an empty one."""
        if self.reused_schema is None:
            await self._make_schemas(url)
        assert self.reused_schema is not None
        connection = await asyncpg.connect(_plain_dsn(url))
        try:
            await connection.execute(self.refill_script)
        finally:
            await connection.close()
        return self.reused_schema

    async def _make_schemas(self, url: str) -> None:
        template = f"amk_tmpl_{uuid.uuid4().hex[:10]}"
        reused = f"amk_reuse_{uuid.uuid4().hex[:10]}"
        connection = await asyncpg.connect(_plain_dsn(url))
        try:
            for schema in (template, reused):
                await connection.execute(f"CREATE SCHEMA {_quoted(schema)}")
            self.server_url = url
            self.template_schema, self.reused_schema = template, reused
            await _prepared(url, template)
            await _prepared(url, reused)
            tables = [
                row["tablename"]
                for row in await connection.fetch(
                    "SELECT tablename FROM pg_tables WHERE schemaname = $1 "
                    "AND tablename <> 'alembic_version' ORDER BY tablename",
                    template,
                )
            ]
            sequences = await connection.fetch(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = $1",
                template,
            )
        finally:
            await connection.close()
        into, source = _quoted(reused), _quoted(template)
        lines = ["BEGIN;", "SET LOCAL session_replication_role = replica;"]
        lines += [f"DELETE FROM {into}.{_quoted(table)};" for table in tables]
        lines += [
            f"INSERT INTO {into}.{_quoted(table)} SELECT * FROM {source}.{_quoted(table)};"
            for table in tables
        ]
        for sequence in sequences:
            name = f"{into}.{_quoted(sequence['sequencename'])}"
            if sequence["last_value"] is None:
                lines.append(f"ALTER SEQUENCE {name} RESTART;")
            else:
                lines.append(f"SELECT setval('{name}', {int(sequence['last_value'])}, true);")
        lines.append("COMMIT;")
        self.refill_script = "\n".join(lines)

    def close(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
        if self.server_url is None:
            return
        schemas = [name for name in (self.template_schema, self.reused_schema) if name]

        async def drop() -> None:
            connection = await asyncpg.connect(_plain_dsn(self.server_url or ""))
            try:
                for schema in schemas:
                    await connection.execute(f"DROP SCHEMA IF EXISTS {_quoted(schema)} CASCADE")
            finally:
                await connection.close()

        asyncio.run(drop())


def orm_session(db: Database) -> AsyncSession:
    """An ORM session for a test's own reads and setup (the app itself uses Core statements
    through `Database.reading()` and `storage.audit.audited`)."""
    return AsyncSession(db.read_engine, expire_on_commit=False)


@asynccontextmanager
async def orm_transaction(db: Database) -> AsyncIterator[AsyncSession]:
    """An ORM session in a transaction for a test's setup: committed when the block ends."""
    async with (
        db.write_turn(),
        AsyncSession(db.engine, expire_on_commit=False) as session,
        session.begin(),
    ):
        yield session
