"""Instruction and training records at the retention boundary: a person's records in a unit
are kept whole while the newest of them is within the period (counted from its day), and all
of them lose the person, activity, trainer and proof the day after; the counts stay, the
audit trail says so without the text, and nobody reads such a record any more."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from domain.i18n import COPENHAGEN
from domain.retention import REMOVED_PERSON_AAD, RetentionSettings
from services.retention_jobs import RetentionJob
from storage import audit, training
from storage.db import Database
from storage.models import AuditEvent, Person, Unit
from storage.training_models import TrainingRecord
from tests.support.databases import orm_session, orm_transaction

pytestmark = pytest.mark.now("2026-12-07T12:00+01:00")

NEWEST = date(2021, 12, 7)  # Lise's newest record in Kemi
LAST_DAY = datetime(2026, 12, 7, 23, 59, tzinfo=COPENHAGEN)  # 5 years on: still kept
NEXT_DAY = datetime(2026, 12, 8, 0, 0, tzinfo=COPENHAGEN)
ACTIVITY = "Lise Hansen: alenearbejde med flussyre"


async def _records(db: Database) -> dict[str, int]:
    """Lise: two old records in Kemi (the newest on `NEWEST`); Per: an old and a recent one."""
    async with orm_transaction(db) as session:
        kemi = (await session.execute(select(Unit.id).where(Unit.name == "Kemi"))).scalar_one()
        lise = Person(upn="lise@uni.dk", name="Lise Hansen")
        per = Person(upn="per@uni.dk", name="Per Koordinator")
        session.add_all([lise, per])
        await session.flush()
        for person, given_on in (
            (lise, date(2019, 3, 1)),
            (lise, NEWEST),
            (per, date(2015, 5, 5)),
            (per, date(2024, 1, 10)),
        ):
            session.add(
                TrainingRecord(
                    unit_id=kemi,
                    person_id=person.id,
                    activity=ACTIVITY,
                    kind="training",
                    given_on=given_on,
                    given_by="Per Koordinator",
                    proof="https://kurser.uni.dk/bevis/lise",
                    lone_work=True,
                    recorded_by_id=per.id,
                )
            )
        return {"kemi": kemi, "lise": lise.id, "per": per.id}


def test_the_period_is_a_setting_with_a_default() -> None:
    assert RetentionSettings.from_mapping({}).training_years == 5
    assert RetentionSettings.from_mapping({"TRAINING_RETENTION_YEARS": "10"}).training_years == 10
    with pytest.raises(ValueError, match="TRAINING_RETENTION_YEARS"):
        RetentionSettings.from_mapping({"TRAINING_RETENTION_YEARS": "0"})


async def test_kept_while_the_newest_is_in_its_period_then_only_counts_remain(
    db: Database,
) -> None:
    ids = await _records(db)
    job = RetentionJob(db, RetentionSettings())

    await job.run(LAST_DAY.astimezone(UTC))
    async with db.reading() as connection:
        lise = await training.of_person(connection, ids["lise"])
    assert [record.given_on for record in lise] == [NEWEST, date(2019, 3, 1)]

    await job.run(NEXT_DAY.astimezone(UTC))
    async with orm_session(db) as session:
        rows = (await session.scalars(select(TrainingRecord).order_by(TrainingRecord.id))).all()
        stand_in = await session.get(Person, rows[0].person_id)
        in_table = await session.scalar(select(func.count()).select_from(TrainingRecord))
        chain = await audit.verify_chain(session)
        events = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "training.retention")
            )
        ).all()
    async with db.reading() as connection:
        lise_now = await training.of_person(connection, ids["lise"])
        per_now = await training.of_person(connection, ids["per"])
        listed, total = await training.of_unit(connection, ids["kemi"])
        counts = await training.unit_counts(connection, ids["kemi"])
    removed, kept = rows[:2], rows[2:]
    assert stand_in is not None and stand_in.aad_object_id == REMOVED_PERSON_AAD
    for record in removed:
        assert (record.activity, record.given_by, record.proof, record.recorded_by_id) == (
            "",
            "",
            None,
            None,
        )
        assert record.personal_data_removed_at is not None
    assert [(r.kind, r.lone_work, r.unit_id) for r in removed] == [
        ("training", True, ids["kemi"])
    ] * 2
    assert [r.given_on for r in removed] == [date(2019, 3, 1), NEWEST], "the day stays"
    assert all(r.activity == ACTIVITY for r in kept), "Per's newest is recent: his old one stays"
    assert in_table == 4, "the counts of past years do not change"
    assert lise_now == [] and len(per_now) == 2
    assert total == 2 and {r.person_id for r in listed} == {ids["per"]} and counts == (2, 1)
    assert sorted(int(e.entity_id or 0) for e in events) == sorted(r.id for r in removed)
    assert all("flussyre" not in str(e.after) and "Lise" not in str(e.after) for e in events)
    assert chain.intact

    await job.apply(datetime(2026, 12, 9, 12, tzinfo=UTC))
    async with orm_session(db) as session:
        again = await session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "training.retention")
        )
    assert again == 2, "a record is handled once"
