"""Lone-work request numbers (AL-<year>-<nnnn>) on SQLite and (with TEST_DATABASE_URL)
PostgreSQL: per Copenhagen year, gap-free, unique under concurrency, continuing after the
numbers a database already has."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from domain.lone_work import LoneWorkForm
from storage import lone_work, org
from storage.audit import audited
from storage.db import Database, alembic_config
from storage.lone_work_models import LoneWorkCounter, LoneWorkRequest
from storage.models import Unit
from tests.conftest import DatabaseTarget
from tests.domain.test_lone_work_domain import values
from tests.support.databases import orm_session, orm_transaction

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


class People:
    unit: int
    requester: int
    approver: int


async def _people(db: Database) -> People:
    found = People()
    async with audited(db) as connection:
        found.unit = (
            await connection.execute(select(Unit.id).where(Unit.name == "Kemi"))
        ).scalar_one()
        maja = await org.upsert_person(
            connection, aad_object_id=None, upn="maja@uni.dk", name="Maja"
        )
        lise = await org.upsert_person(
            connection, aad_object_id=None, upn="lise@uni.dk", name="Lise"
        )
        found.requester, found.approver = maja.id, lise.id
    return found


async def _submit(db: Database, people: People, now: datetime = NOW) -> str:
    form = LoneWorkForm.model_validate(values(unit_id=str(people.unit)))
    async with audited(db) as connection:
        request = await lone_work.submit(
            connection, form, requester_id=people.requester, approver_id=people.approver, now=now
        )
        return request.number


def _old_row(people: People, number: str) -> LoneWorkRequest:
    """A request as an earlier version (or an import) stored it, numbered without a counter."""
    return LoneWorkRequest(**_old_values(people, number))


def _old_values(people: People, number: str) -> dict[str, Any]:
    """The columns of `_old_row` (all of them already in revision 0007)."""
    return dict(
        number=number,
        requester_id=people.requester,
        unit_id=people.unit,
        approver_id=people.approver,
        task="Laserjustering",
        campus="Risø",
        building="101",
        room="S12",
        schedule="single",
        starts_at=NOW,
        expires_at=NOW + timedelta(hours=4),
        hazards=["lasers"],
        mitigations=["calling_distance"],
        emergency_name="Vagtcentralen",
        emergency_phone="45 25 10 10",
        trained=True,
        adult=True,
        risky=True,
        status="approved",
        created_at=NOW,
        updated_at=NOW,
    )


async def _counters(db: Database) -> dict[int, int]:
    async with orm_session(db) as session:
        rows = await session.scalars(select(LoneWorkCounter))
        return {row.year: row.last_number for row in rows}


async def test_numbers_run_on_within_a_year_and_start_again_in_the_next(db: Database) -> None:
    people = await _people(db)
    numbers = [await _submit(db, people) for _ in range(3)]
    numbers.append(await _submit(db, people, datetime(2027, 2, 1, 9, 0, tzinfo=UTC)))
    assert numbers == ["AL-2026-0001", "AL-2026-0002", "AL-2026-0003", "AL-2027-0001"]


async def test_the_year_is_the_year_in_copenhagen(db: Database) -> None:
    """23:30 UTC on New Year's Eve is 00:30 on 1 January in Copenhagen."""
    people = await _people(db)
    assert await _submit(db, people, datetime(2026, 12, 31, 22, 30, tzinfo=UTC)) == "AL-2026-0001"
    assert await _submit(db, people, datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "AL-2027-0001"


async def test_numbers_continue_after_the_highest_one_the_year_has(db: Database) -> None:
    """Requests stored without the counter (e.g. imported) are not numbered again."""
    people = await _people(db)
    async with orm_transaction(db) as session:
        session.add_all([_old_row(people, "AL-2026-0003"), _old_row(people, "AL-2026-0004")])
    assert await _submit(db, people) == "AL-2026-0005"
    assert await _submit(db, people) == "AL-2026-0006"


async def test_concurrent_submits_get_distinct_consecutive_numbers(db: Database) -> None:
    people = await _people(db)
    numbers = await asyncio.gather(*(_submit(db, people) for _ in range(20)))
    assert sorted(numbers) == [f"AL-2026-{n:04d}" for n in range(1, 21)]
    more = await asyncio.gather(*(_submit(db, people) for _ in range(20)))
    assert sorted(more) == [f"AL-2026-{n:04d}" for n in range(21, 41)]
    assert (await _counters(db))[2026] == 40


async def test_a_rolled_back_submit_gives_its_number_back(db: Database) -> None:
    people = await _people(db)
    assert await _submit(db, people) == "AL-2026-0001"
    form = LoneWorkForm.model_validate(values(unit_id=str(people.unit)))
    with pytest.raises(RuntimeError, match="after numbering"):
        async with audited(db) as connection:
            request = await lone_work.submit(
                connection, form, requester_id=people.requester, approver_id=None, now=NOW
            )
            assert request.number == "AL-2026-0002"
            raise RuntimeError("after numbering")
    assert await _submit(db, people) == "AL-2026-0002"
    async with orm_session(db) as session:
        stored = (await session.scalars(select(LoneWorkRequest.number))).all()
    assert sorted(stored) == ["AL-2026-0001", "AL-2026-0002"]


def _downgrade_to(connection: Connection, revision: str) -> None:
    command.downgrade(alembic_config(connection), revision)


async def test_the_migration_continues_each_year_after_its_highest_number(
    database_target: DatabaseTarget,
) -> None:
    db = database_target.open()
    try:
        # Units and people through today's code (it audits them), then back to 0007 for the
        # requests numbered before the counter existed.
        await db.upgrade()
        async with audited(db) as connection:
            await org.seed_units(connection)
        people = await _people(db)
        async with db.engine.begin() as connection:
            await connection.run_sync(_downgrade_to, "0007")
        async with orm_transaction(db) as session:
            old = ["AL-2025-0001", "AL-2025-0002", "AL-2025-0017", "AL-2026-0001", "AL-2026-0002"]
            # Only the columns revision 0007 has (the model has columns added since).
            await session.execute(
                insert(LoneWorkRequest.__table__), [_old_values(people, n) for n in old]
            )
        await db.upgrade()
        assert await _counters(db) == {2025: 17, 2026: 2}
        assert await _submit(db, people) == "AL-2026-0003"
        assert await _submit(db, people, datetime(2025, 6, 1, tzinfo=UTC)) == "AL-2025-0018"
        assert await _submit(db, people, datetime(2027, 6, 1, tzinfo=UTC)) == "AL-2027-0001"
    finally:
        await db.dispose()
