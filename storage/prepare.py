"""Bring a database to the newest schema with the university's units in it."""

from __future__ import annotations

from storage import org
from storage.audit import audited
from storage.db import Database


async def prepare_database(db: Database) -> None:
    """Migrate to the newest schema and seed the units."""
    await db.upgrade()
    async with audited(db) as connection:
        await org.seed_units(connection)
