"""The hot path's plain connections (`Database.reading/writing/writing_once`) behave as
SQLAlchemy's do on both databases: types, defaults, lists, errors and rollbacks. On PostgreSQL
they run on the driver's own connections (storage/pg_driver.py); how those survive lost
connections and cancellations is in tests/storage/test_database_pool.py."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import DialogStateRow, JobRun, Person

_INSERT_JOB = insert(JobRun).values(
    key=bindparam("job_key"),
    claimed_by=bindparam("worker"),
    lease_until=bindparam("lease"),
    result=bindparam("outcome"),
)
_JOB = select(
    JobRun.key, JobRun.status, JobRun.attempts, JobRun.claimed_at, JobRun.lease_until, JobRun.result
).where(JobRun.key == bindparam("job_key"))
_PEOPLE = select(Person.upn).where(Person.id.in_(bindparam("ids", expanding=True)))
_INSERT_PERSON = insert(Person).values(upn=bindparam("person_upn"))
_STATE = select(DialogStateRow.updated_at).where(DialogStateRow.key == bindparam("row_key"))
_TOUCH_STATE = (
    update(DialogStateRow)
    .where(DialogStateRow.key == bindparam("row_key"))
    .values(data=bindparam("new_data"))
)


async def _job(db: Database, key: str) -> tuple[object, ...] | None:
    async with db.reading() as connection:
        row = (await connection.execute(_JOB, {"job_key": key})).first()
    return None if row is None else tuple(row)


async def test_values_come_back_as_they_went_in_with_the_columns_defaults(db: Database) -> None:
    lease = datetime(2026, 11, 28, 7, 30, tzinfo=UTC) + timedelta(microseconds=5)
    async with db.writing() as connection:
        await connection.execute(
            _INSERT_JOB,
            {
                "job_key": "k1",
                "worker": "w",
                "lease": lease,
                "outcome": {"sent": [1, 2], "ok": True},
            },
        )
    async with db.reading() as connection:
        row = (await connection.execute(_JOB, {"job_key": "k1"})).one()
    assert row.key == "k1"
    assert (row.status, row.attempts) == ("claimed", 1), "Python-side defaults were applied"
    assert row.lease_until == lease and row.lease_until.tzinfo is not None
    assert row.claimed_at.tzinfo is not None
    assert abs(row.claimed_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert row.result == {"sent": [1, 2], "ok": True}


async def test_an_update_sets_the_columns_onupdate_and_counts_its_rows(db: Database) -> None:
    async with db.writing_once() as connection:
        await connection.execute(insert(DialogStateRow).values(key="s", etag="e", data="{}"), None)
    async with db.reading() as connection:
        before = (await connection.execute(_STATE, {"row_key": "s"})).scalar_one()
    await asyncio.sleep(0.01)
    async with db.writing_once() as connection:
        changed = await connection.execute(_TOUCH_STATE, {"row_key": "s", "new_data": "[]"})
        missed = await connection.execute(_TOUCH_STATE, {"row_key": "none", "new_data": "[]"})
    assert (changed.rowcount, missed.rowcount) == (1, 0)
    async with db.reading() as connection:
        after = (await connection.execute(_STATE, {"row_key": "s"})).scalar_one()
    assert after > before


async def test_lists_and_many_rows_at_once(db: Database) -> None:
    upns = [f"p{n}@example.org" for n in range(5)]
    async with db.writing() as connection:
        await connection.execute(_INSERT_PERSON, [{"person_upn": upn} for upn in upns])
    async with db.reading() as connection:
        ids = [
            row.id
            for row in await connection.execute(
                select(Person.id).where(Person.upn.in_(upns)).order_by(Person.upn)
            )
        ]
        assert len(ids) == 5
        for wanted in (ids[:1], ids[1:4], ids):
            found = (await connection.execute(_PEOPLE, {"ids": wanted})).all()
            assert sorted(row.upn for row in found) == sorted(upns[ids.index(i)] for i in wanted)


async def test_a_failed_statement_rolls_back_the_whole_block_and_says_why(db: Database) -> None:
    async with db.writing() as connection:
        await connection.execute(_INSERT_PERSON, {"person_upn": "taken@example.org"})
    with pytest.raises(IntegrityError):
        async with db.writing() as connection:
            await connection.execute(_INSERT_PERSON, {"person_upn": "new@example.org"})
            await connection.execute(_INSERT_PERSON, {"person_upn": "taken@example.org"})
    async with db.reading() as connection:
        new = (
            await connection.execute(select(Person.id).where(Person.upn == "new@example.org"))
        ).first()
    assert new is None, "nothing of the failed block was kept"
    # and the connections still work afterwards, for writes and reads
    async with db.writing() as connection:
        await connection.execute(_INSERT_PERSON, {"person_upn": "new@example.org"})
    async with db.reading() as connection:
        assert (
            await connection.execute(select(Person.id).where(Person.upn == "new@example.org"))
        ).scalar_one_or_none() is not None


async def test_an_error_in_our_code_rolls_back_the_block(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.writing() as connection:
            await connection.execute(_INSERT_PERSON, {"person_upn": "half@example.org"})
            raise RuntimeError("validation failed after the first write")
    async with db.reading() as connection:
        gone = await connection.execute(select(Person.id).where(Person.upn == "half@example.org"))
        assert gone.first() is None


async def test_statements_built_per_call_bind_their_own_values(db: Database) -> None:
    """Statements of one shape share a compiled form; each must still use its own values."""
    upns = ["first@example.org", "second@example.org", "third@example.org"]
    async with db.writing() as connection:
        await connection.execute(_INSERT_PERSON, [{"person_upn": upn} for upn in upns])
    for _ in range(2):
        for upn in upns:
            async with db.reading() as connection:
                found = (
                    await connection.execute(select(Person.upn).where(Person.upn == upn))
                ).scalar_one()
            assert found == upn
        async with db.writing_once() as connection:
            renamed = await connection.execute(
                update(Person).where(Person.upn == upns[0]).values(name="Første")
            )
        assert renamed.rowcount == 1
