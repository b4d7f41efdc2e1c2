"""Claims on scheduled work, so that a run happens once across restarts and instances."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import JobRun, utcnow


async def claim(
    db: Database, key: str, worker: str, lease: timedelta, *, now: datetime | None = None
) -> bool:
    """Claim `key` for `worker`. False if it is done, or held by someone whose lease runs
    (at `now`, the caller's clock; the real time by default)."""
    now = now or utcnow()
    try:
        async with db.transaction() as session:
            session.add(JobRun(key=key, claimed_by=worker, claimed_at=now, lease_until=now + lease))
        return True
    except IntegrityError:
        pass
    async with db.transaction() as session:
        taken = await session.execute(
            update(JobRun)
            .where(
                JobRun.key == key,
                JobRun.status != "done",
                JobRun.lease_until < now,
            )
            .values(
                claimed_by=worker,
                claimed_at=now,
                lease_until=now + lease,
                status="claimed",
                attempts=JobRun.attempts + 1,
            )
        )
        return bool(getattr(taken, "rowcount", 0))


async def complete(db: Database, key: str, worker: str, result: dict[str, Any] | None) -> None:
    async with db.transaction() as session:
        await session.execute(
            update(JobRun)
            .where(JobRun.key == key, JobRun.claimed_by == worker)
            .values(status="done", finished_at=utcnow(), result=result, last_error=None)
        )


async def release_failed(db: Database, key: str, worker: str, error: str) -> None:
    """Give the claim back so a later run retries it at once."""
    async with db.transaction() as session:
        await session.execute(
            update(JobRun)
            .where(JobRun.key == key, JobRun.claimed_by == worker)
            .values(status="failed", lease_until=utcnow(), last_error=error[:500])
        )


async def status_of(db: Database, key: str) -> JobRun | None:
    async with db.sessions() as session:
        return (await session.execute(select(JobRun).where(JobRun.key == key))).scalar_one_or_none()


async def park(
    db: Database, key: str, worker: str, payload: dict[str, Any], retry_at: datetime
) -> bool:
    """Keep work for a later tick (e.g. a message Teams did not take); False if already kept."""
    now = utcnow()
    try:
        async with db.transaction() as session:
            session.add(
                JobRun(
                    key=key,
                    status="failed",
                    claimed_by=worker,
                    claimed_at=now,
                    lease_until=retry_at,
                    result=payload,
                )
            )
    except IntegrityError:
        return False
    return True


async def due(db: Database, prefix: str, now: datetime, limit: int = 50) -> list[JobRun]:
    """Parked or failed work under `prefix` whose time has come, oldest first."""
    async with db.sessions() as session:
        return list(
            (
                await session.scalars(
                    select(JobRun)
                    .where(
                        JobRun.key.startswith(prefix, autoescape=True),
                        JobRun.status != "done",
                        JobRun.lease_until < now,
                    )
                    .order_by(JobRun.id)
                    .limit(limit)
                )
            ).all()
        )


async def retry_at(db: Database, key: str, worker: str, error: str, when: datetime) -> None:
    """Give the claim back, to be tried again from `when` on."""
    async with db.transaction() as session:
        await session.execute(
            update(JobRun)
            .where(JobRun.key == key, JobRun.claimed_by == worker)
            .values(status="failed", lease_until=when, last_error=error[:500])
        )
