"""audit chain head

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28

On PostgreSQL, appending to the audit chain took two round trips before the insert: the
chain's advisory lock, then a read of the newest link. `audit_chain_head()` does both in one
call. It is VOLATILE, so its read takes a fresh snapshot after the lock is granted and sees a
link committed by the writer it waited for (in one plain statement the snapshot would be taken
before the wait, and two writers could link to the same event). SQLite needs nothing: its
writers are serialised already.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHAIN_HEAD = """
CREATE OR REPLACE FUNCTION audit_chain_head()
RETURNS TABLE (last_sequence BIGINT, last_hash VARCHAR)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7242002);
    RETURN QUERY
        SELECT event.sequence, event.hash::VARCHAR
        FROM audit_event AS event
        ORDER BY event.sequence DESC
        LIMIT 1;
END
$$
"""


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(CHAIN_HEAD)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_chain_head()")
