"""Alembic environment: always run on a connection handed over by storage.db."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from storage.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through storage.db.Database.upgrade()")

if connection.dialect.name == "postgresql":
    # Two bot instances starting together must not migrate at the same time.
    connection.execute(text("SELECT pg_advisory_xact_lock(7242001)"))

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
