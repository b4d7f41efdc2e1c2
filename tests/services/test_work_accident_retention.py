"""Work accidents at the retention boundary: kept whole on the last day of the period, then
without their people, free text, place and EASY reference, while what the statistics count
stays; one whose EASY report is still owed is kept."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from domain.i18n import COPENHAGEN
from domain.retention import RetentionSettings
from services.retention_jobs import RetentionJob
from storage.db import Database
from storage.models import AuditEvent, Person, Unit
from storage.work_accident_models import WorkAccident
from tests.support.databases import orm_session, orm_transaction

pytestmark = pytest.mark.now("2026-12-07T12:00+01:00")

REPORTED = datetime(2021, 12, 7, 23, 59, tzinfo=COPENHAGEN)
LAST_DAY = datetime(2026, 12, 7, 23, 59, tzinfo=COPENHAGEN)  # 5 years on: still kept
NEXT_DAY = datetime(2026, 12, 8, 0, 0, tzinfo=COPENHAGEN)
WHAT = "Ida Skadet blev truet af en gæst i lab 112"


async def _accident(db: Database, number: str, **changes: Any) -> int:
    async with orm_transaction(db) as session:
        unit_id = (await session.scalars(select(Unit.id).order_by(Unit.id))).first()
        person = (
            Person(upn="ida.skadet@uni.dk", name="Ida Skadet") if number.endswith("1") else None
        )
        if person is not None:
            session.add(person)
            await session.flush()
        values: dict[str, Any] = {
            "number": number,
            "submission_key": number.replace("-", "").lower().ljust(32, "0"),
            "unit_id": unit_id,
            "reporter_id": person.id if person else None,
            "reporter_role": "injured",
            "injured_party": "employee",
            "injured_id": person.id if person else None,
            "injured_upn": None if person else "ida.skadet@uni.dk",
            "occurred_at": REPORTED,
            "place": "Lyngby, bygning 207, lab 112",
            "description": WHAT,
            "injury_kind": "psychological",
            "absence_from": date(2021, 12, 8),
            "claim": "yes",
            "immediate_action": "Ida blev fulgt hjem",
            "witnesses": "Ole Olsen",
            "name_withheld": True,
            "easy_duty": "authority_and_insurer",
            "easy_due": date(2021, 12, 22),
            "easy_status": "filed",
            "easy_reference": "EASY-99",
            "easy_filed_on": date(2021, 12, 10),
            "easy_decided_by_id": person.id if person else None,
            "created_at": REPORTED,
            "updated_at": REPORTED,
        }
        values.update(changes)
        accident = WorkAccident(**values)
        session.add(accident)
        await session.flush()
        return accident.id


async def test_an_accident_is_kept_on_its_last_day_and_pseudonymised_the_next(
    db: Database,
) -> None:
    old = await _accident(db, "AU-2021-0001")
    owed = await _accident(db, "AU-2021-0002", easy_status="pending", easy_filed_on=None)
    job = RetentionJob(db, RetentionSettings())

    await job.run(LAST_DAY.astimezone(UTC))
    async with orm_session(db) as session:
        kept = await session.get(WorkAccident, old)
        assert kept is not None and kept.description == WHAT
        assert kept.personal_data_removed_at is None

    await job.run(NEXT_DAY.astimezone(UTC))
    async with orm_session(db) as session:
        removed = await session.get(WorkAccident, old)
        untouched = await session.get(WorkAccident, owed)
        events = list(
            (
                await session.scalars(
                    select(AuditEvent).where(AuditEvent.action == "work_accident.retention")
                )
            ).all()
        )
    assert removed is not None and untouched is not None
    row = {c.name: getattr(removed, c.name) for c in WorkAccident.__table__.columns}
    assert "Ida" not in json.dumps(row, default=str) and "112" not in json.dumps(row, default=str)
    assert (removed.reporter_id, removed.injured_id, removed.easy_decided_by_id) == (None,) * 3
    assert (removed.description, removed.place, removed.witnesses) == ("", "", None)
    assert removed.easy_reference is None and removed.personal_data_removed_at is not None
    assert (
        removed.number,
        removed.injury_kind,
        removed.injured_party,
        removed.absence_from,
        removed.claim,
        removed.easy_duty,
        removed.easy_status,
        removed.easy_due,
        removed.easy_filed_on,
    ) == (
        "AU-2021-0001",
        "psychological",
        "employee",
        date(2021, 12, 8),
        "yes",
        "authority_and_insurer",
        "filed",
        date(2021, 12, 22),
        date(2021, 12, 10),
    )
    assert untouched.description == WHAT, "a report still owed in EASY is kept whole"
    assert [event.entity_id for event in events] == [str(old)]
    assert WHAT not in json.dumps(events[0].after)


def test_the_period_is_configurable_within_bounds() -> None:
    settings = RetentionSettings.from_mapping({"WORK_ACCIDENT_RETENTION_YEARS": "10"})
    assert settings.work_accident_years == 10
    assert RetentionSettings().work_accident_years == 5
    with pytest.raises(ValueError, match="WORK_ACCIDENT_RETENTION_YEARS"):
        RetentionSettings.from_mapping({"WORK_ACCIDENT_RETENTION_YEARS": "31"})
