"""lone work counter

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27

Lone-work numbers (AL-<year>-<nnnn>) come from a counter row per year, as near-miss numbers
do, instead of counting the year's requests. Each year already numbered starts its counter
at the highest number handed out, so numbering continues without a collision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEED = """
INSERT INTO lone_work_counter (year, last_number)
SELECT CAST(substr(number, 4, 4) AS INTEGER), MAX(CAST(substr(number, 9) AS INTEGER))
FROM lone_work_request
WHERE number LIKE 'AL-____-%'
GROUP BY CAST(substr(number, 4, 4) AS INTEGER)
"""


def upgrade() -> None:
    op.create_table(
        "lone_work_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_lone_work_counter")),
    )
    op.execute(SEED)


def downgrade() -> None:
    op.drop_table("lone_work_counter")
