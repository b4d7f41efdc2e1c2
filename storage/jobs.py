"""Claims on scheduled work, so that a run happens once across restarts and instances."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Executable, and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from storage.db import Database, HotConnection, dialect_insert, for_dialect
from storage.models import JobRun, utcnow
from storage.rows import columns_of


@dataclass(frozen=True, slots=True)
class JobRow:
    """A claim on one run of scheduled work (`job_run`)."""

    id: int
    key: str
    status: str
    claimed_by: str
    claimed_at: datetime
    lease_until: datetime
    attempts: int
    finished_at: datetime | None
    last_error: str | None
    result: dict[str, Any] | None


_JOB_COLUMNS = columns_of(JobRun.__table__, JobRow)


async def claim(
    db: Database, key: str, worker: str, lease: timedelta, *, now: datetime | None = None
) -> bool:
    """Claim `key` for `worker`. False if it is done, or held by someone whose lease runs
    (at `now`, the caller's clock; the real time by default)."""
    now = now or utcnow()
    try:
        async with db.writing() as connection:
            await connection.execute(
                insert(JobRun).values(
                    key=key, claimed_by=worker, claimed_at=now, lease_until=now + lease
                )
            )
        return True
    except IntegrityError:
        pass
    async with db.writing() as connection:
        taken = await connection.execute(
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
    return bool(taken.rowcount)


async def complete(db: Database, key: str, worker: str, result: dict[str, Any] | None) -> None:
    async with db.writing() as connection:
        await connection.execute(
            update(JobRun)
            .where(JobRun.key == key, JobRun.claimed_by == worker)
            .values(status="done", finished_at=utcnow(), result=result, last_error=None)
        )


async def release_failed(db: Database, key: str, worker: str, error: str) -> None:
    """Give the claim back so a later run retries it at once."""
    async with db.writing() as connection:
        await connection.execute(
            update(JobRun)
            .where(JobRun.key == key, JobRun.claimed_by == worker)
            .values(status="failed", lease_until=utcnow(), last_error=error[:500])
        )


async def status_of(db: Database, key: str) -> JobRow | None:
    async with db.reading() as connection:
        row = (await connection.execute(select(*_JOB_COLUMNS).where(JobRun.key == key))).first()
    return None if row is None else JobRow(*row)


async def park(
    db: Database, key: str, worker: str, payload: dict[str, Any], retry_at: datetime
) -> bool:
    """Keep work for a later tick (e.g. a message Teams did not take); False if already kept
    (then it is due at `retry_at` if that is sooner and nobody is working on it, or if
    `worker` itself had started it: it gave the work up)."""
    now = utcnow()
    try:
        async with db.writing() as connection:
            await connection.execute(
                insert(JobRun).values(
                    key=key,
                    status="failed",
                    claimed_by=worker,
                    claimed_at=now,
                    lease_until=retry_at,
                    result=payload,
                )
            )
    except IntegrityError:
        async with db.writing() as connection:
            await connection.execute(
                update(JobRun)
                .where(
                    JobRun.key == key,
                    or_(
                        and_(JobRun.status == "failed", JobRun.lease_until > retry_at),
                        and_(JobRun.status == "claimed", JobRun.claimed_by == worker),
                    ),
                )
                .values(status="failed", lease_until=retry_at)
            )
        return False
    return True


_FORGET_KEPT = delete(JobRun).where(
    JobRun.key.in_(bindparam("kept_keys", expanding=True)),
    JobRun.claimed_by == bindparam("kept_by"),
    JobRun.status == "claimed",
)
_START_KEPT = (
    update(JobRun)
    .where(JobRun.key == bindparam("kept_key"), JobRun.status == "failed")
    .values(
        status="claimed",
        claimed_by=bindparam("kept_by"),
        claimed_at=bindparam("kept_now"),
        lease_until=bindparam("kept_until"),
        attempts=JobRun.attempts + 1,
    )
)


def _keep_statement(connection: HotConnection) -> Executable:
    return dialect_insert(connection, JobRun).on_conflict_do_nothing(index_elements=[JobRun.key])


async def keep_ahead(
    connection: HotConnection,
    work: Sequence[tuple[str, dict[str, Any]]],
    worker: str,
    due_at: datetime,
) -> None:
    """`park` each (key, payload) inside the caller's transaction, not yet started and due at
    `due_at`: if the process dies before it starts the work (`start_kept`), a later tick
    finds it. A key kept already stays."""
    if not work:
        return
    now = utcnow()
    await connection.execute(
        for_dialect(connection, "keep_ahead", _keep_statement),
        [
            {
                "key": key,
                "status": "failed",
                "claimed_by": worker,
                "claimed_at": now,
                "lease_until": due_at,
                "attempts": 0,
                "result": payload,
            }
            for key, payload in work
        ],
    )


async def start_kept(db: Database, key: str, worker: str, now: datetime, until: datetime) -> bool:
    """Mark kept work as started by `worker` at `now`, before it is done (a message before it
    goes to Teams); until `until` nobody else takes it. False if it was started already
    (by a tick, or another process) or is done: then `worker` must leave it alone."""
    async with db.writing_once() as connection:
        started = await connection.execute(
            _START_KEPT, {"kept_key": key, "kept_by": worker, "kept_now": now, "kept_until": until}
        )
    return bool(started.rowcount)


async def forget_kept(db: Database, keys: Sequence[str], worker: str) -> None:
    """Drop kept work `worker` started and finished (unless a tick has taken it meanwhile)."""
    if not keys:
        return
    async with db.writing_once() as connection:
        await connection.execute(_FORGET_KEPT, {"kept_keys": list(keys), "kept_by": worker})


async def replace_kept(db: Database, key: str, changes: dict[str, Any]) -> None:
    """Change the payload of work kept under `key` that is not done: a later try does it
    as it now stands."""
    async with db.writing() as connection:
        result = (
            await connection.execute(
                select(JobRun.result).where(JobRun.key == key, JobRun.status != "done")
            )
        ).scalar()
        if result is not None:
            await connection.execute(
                update(JobRun)
                .where(JobRun.key == key, JobRun.status != "done")
                .values(result={**result, **changes})
            )


async def due(db: Database, prefix: str, now: datetime, limit: int = 50) -> list[JobRow]:
    """Parked or failed work under `prefix` whose time has come, oldest first."""
    async with db.reading() as connection:
        rows = await connection.execute(
            select(*_JOB_COLUMNS)
            .where(
                JobRun.key.startswith(prefix, autoescape=True),
                JobRun.status != "done",
                JobRun.lease_until < now,
            )
            .order_by(JobRun.id)
            .limit(limit)
        )
        return [JobRow(*row) for row in rows]


async def retry_at(db: Database, key: str, worker: str, error: str, when: datetime) -> None:
    """Give the claim back, to be tried again from `when` on."""
    async with db.writing() as connection:
        await connection.execute(
            update(JobRun)
            .where(JobRun.key == key, JobRun.claimed_by == worker)
            .values(status="failed", lease_until=when, last_error=error[:500])
        )


async def waiting(db: Database, prefix: str, limit: int = 50) -> list[JobRow]:
    """Work under `prefix` that is not done, due or not, oldest first."""
    async with db.reading() as connection:
        rows = await connection.execute(
            select(*_JOB_COLUMNS)
            .where(JobRun.key.startswith(prefix, autoescape=True), JobRun.status != "done")
            .order_by(JobRun.id)
            .limit(limit)
        )
        return [JobRow(*row) for row in rows]


async def reopen_failed(db: Database, key: str) -> bool:
    """Forget work under `key` that was given up after failing (its result names the
    failure), so that it may be claimed and tried afresh; False if there is no such work."""
    async with db.writing() as connection:
        run = (
            await connection.execute(select(JobRun.status, JobRun.result).where(JobRun.key == key))
        ).first()
        if run is None or run.status != "done" or not (run.result or {}).get("failed"):
            return False
        await connection.execute(delete(JobRun).where(JobRun.key == key))
        return True


async def discard(db: Database, key: str) -> None:
    """Forget work under `key` that is not done (it will not be done, and a later ask for the
    same work starts afresh)."""
    async with db.writing() as connection:
        await connection.execute(delete(JobRun).where(JobRun.key == key, JobRun.status != "done"))
