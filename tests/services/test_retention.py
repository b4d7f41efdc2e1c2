"""Retention of every register at the boundary moment: a record is kept whole on the last day
of its period and loses its people and free text the next day; the counts stay."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from bot import audit_trail
from domain.i18n import COPENHAGEN
from domain.numbering import year_bounds
from domain.org import OrgFile
from domain.retention import REMOVED_PERSON_AAD, RetentionSettings, days_cutoff, years_cutoff
from services.retention_jobs import RetentionJob
from storage import audit, near_miss_lists, near_miss_photos, org
from storage.audit import audited
from storage.checkin_models import CheckinEvent, CheckinSession
from storage.db import Database
from storage.lone_work_models import LoneWorkRequest
from storage.models import (
    AuditEvent,
    ConversationRef,
    DialogStateRow,
    Person,
    PostedActivity,
    Unit,
)
from storage.near_miss_models import NearMissAction, NearMissPhoto, NearMissReport
from tests.support.databases import orm_session, orm_transaction

pytestmark = pytest.mark.now("2026-12-07T12:00+01:00")

# Closed, ended, finished: the last minute of 7 December 2021 (Copenhagen).
ENDED = datetime(2021, 12, 7, 23, 59, tzinfo=COPENHAGEN)
LAST_DAY = datetime(2026, 12, 7, 23, 59, tzinfo=COPENHAGEN)  # 5 years on: still kept
NEXT_DAY = datetime(2026, 12, 8, 0, 0, tzinfo=COPENHAGEN)  # past the period
DESCRIPTION = "Mette Reporter gled i syre ved stinkskab 3"


async def _org(db: Database) -> dict[str, int]:
    org_file = OrgFile.model_validate(
        {
            "units": [
                {
                    "name": "Kemi",
                    "leader": [{"upn": "lise@uni.dk", "name": "Lise Leder"}],
                    "amk": [{"upn": "per@uni.dk", "name": "Per Koordinator"}],
                }
            ]
        }
    )
    async with audited(db) as connection:
        await org.import_org(connection, org_file, actor="test")
        units = dict((await connection.execute(select(Unit.name, Unit.id))).all())
        people = dict((await connection.execute(select(Person.upn, Person.id))).all())
    return {"kemi": units["Kemi"], **people}


async def _near_miss(db: Database, ids: dict[str, int], number: str, **changes: Any) -> int:
    created = datetime(2021, 11, 30, 9, tzinfo=COPENHAGEN)
    values: dict[str, Any] = {
        "number": number,
        "unit_id": ids["kemi"],
        "anonymous": False,
        "reporter_id": ids["lise@uni.dk"],
        "occurred_at": created - timedelta(hours=1),
        "campus": "Lyngby",
        "building": "207",
        "room": "112",
        "description": DESCRIPTION,
        "category": "hazardous_substance",
        "severity": "serious",
        "injury": True,
        "immediate_action": "Lise skyllede med vand",
        "prevention": "Ny hylde",
        "photo_url": "https://uni-my.sharepoint.com/personal/lise_uni_dk/foto.jpg",
        "status": "closed",
        "investigator_id": ids["per@uni.dk"],
        "acknowledged_at": created + timedelta(hours=3),
        "acknowledged_by_id": ids["per@uni.dk"],
        "closed_at": ENDED,
        "closed_by_id": ids["per@uni.dk"],
        "conclusion": "Lise var uheldig",
        "created_at": created,
    }
    values.update(changes)
    async with orm_transaction(db) as session:
        report = NearMissReport(**values)
        session.add(report)
        await session.flush()
        session.add(
            NearMissAction(
                report_id=report.id,
                description="Per køber hylde",
                owner_id=ids["per@uni.dk"],
                due_date=created.date() + timedelta(days=7),
                status="done",
                created_by_id=ids["per@uni.dk"],
                done_by_id=ids["per@uni.dk"],
                done_at=created + timedelta(days=2),
            )
        )
        return report.id


async def _events(db: Database, action: str) -> list[AuditEvent]:
    async with orm_session(db) as session:
        return list(
            (await session.scalars(select(AuditEvent).where(AuditEvent.action == action))).all()
        )


def test_a_period_ends_at_midnight_copenhagen_time() -> None:
    assert years_cutoff(LAST_DAY.astimezone(UTC), 5) == datetime(2021, 12, 7, tzinfo=COPENHAGEN)
    assert years_cutoff(NEXT_DAY.astimezone(UTC), 5) == datetime(2021, 12, 8, tzinfo=COPENHAGEN)
    assert days_cutoff(NEXT_DAY.astimezone(UTC), 180) == datetime(2026, 6, 11, tzinfo=COPENHAGEN)


def test_settings_have_defaults_and_refuse_nonsense() -> None:
    assert RetentionSettings.from_mapping({}) == RetentionSettings(5, 5, 180, 5, 90)
    assert RetentionSettings.from_mapping({"CHECKIN_RETENTION_DAYS": "30"}).checkin_days == 30
    with pytest.raises(ValueError, match="NEAR_MISS_RETENTION_YEARS"):
        RetentionSettings.from_mapping({"NEAR_MISS_RETENTION_YEARS": "0"})


async def test_near_miss_kept_on_its_last_day_and_pseudonymised_the_next(db: Database) -> None:
    ids = await _org(db)
    old = await _near_miss(db, ids, "NM-2021-0001")
    still_open = await _near_miss(
        db, ids, "NM-2021-0002", status="actions_decided", closed_at=None, closed_by_id=None
    )
    start, end = year_bounds(2021)
    async with db.reading() as connection:
        before = await near_miss_lists.statistics(connection, start, end, now=NEXT_DAY)
    job = RetentionJob(db, RetentionSettings())

    await job.run(LAST_DAY.astimezone(UTC))
    async with orm_session(db) as session:
        kept = await session.get(NearMissReport, old)
        assert kept is not None and kept.description == DESCRIPTION
        assert kept.personal_data_removed_at is None

    await asyncio.gather(job.run(NEXT_DAY.astimezone(UTC)), job.run(NEXT_DAY.astimezone(UTC)))
    async with orm_session(db) as session:
        report = await session.get(NearMissReport, old)
        untouched = await session.get(NearMissReport, still_open)
        action = (
            await session.scalars(select(NearMissAction).where(NearMissAction.report_id == old))
        ).one()
        stand_in = await session.get(Person, action.owner_id)
        chain = await audit.verify_chain(session)
    async with db.reading() as connection:
        after = await near_miss_lists.statistics(connection, start, end, now=NEXT_DAY)
    assert report is not None and untouched is not None and stand_in is not None
    assert (report.number, report.category, report.severity, report.status) == (
        "NM-2021-0001",
        "hazardous_substance",
        "serious",
        "closed",
    )
    assert report.description == "" and report.conclusion is None and report.photo_url is None
    assert (report.reporter_id, report.investigator_id, report.closed_by_id) == (None, None, None)
    assert (report.building, report.room) == (None, None)
    assert action.description == "" and action.done_by_id is None
    assert (stand_in.aad_object_id, stand_in.name, stand_in.upn) == (REMOVED_PERSON_AAD, None, None)
    assert untouched.description == DESCRIPTION, "an open case is kept whole"
    assert after == before, "KAMU's statistics of 2021 do not change"
    removals = await _events(db, "near_miss.retention")
    assert [event.entity_id for event in removals] == [str(old)]
    assert DESCRIPTION not in str(removals[0].after) and chain.intact


async def test_lone_work_and_its_timeline_at_the_boundary(db: Database) -> None:
    ids = await _org(db)
    async with orm_transaction(db) as session:
        request = LoneWorkRequest(
            number="AL-2021-0001",
            requester_id=ids["lise@uni.dk"],
            unit_id=ids["kemi"],
            approver_id=ids["per@uni.dk"],
            task="Lise destillerer om natten",
            campus="Lyngby",
            building="207",
            room="112",
            schedule="once",
            starts_at=ENDED - timedelta(hours=6),
            expires_at=ENDED,
            hazards=["chemicals"],
            mitigations=["checkin"],
            checkin_person="Per",
            emergency_name="Hans Hansen",
            emergency_phone="+45 12345678",
            trained=True,
            adult=True,
            risky=True,
            status="expired",
            decided_by_id=ids["per@uni.dk"],
            decided_at=ENDED - timedelta(days=1),
            conditions="Ring til Per",
        )
        session.add(request)
        await session.flush()
        checkin = CheckinSession(
            request_id=request.id,
            worker_id=ids["lise@uni.dk"],
            interval_minutes=60,
            started_at=ENDED - timedelta(hours=5),
            ends_at=ENDED,
            due_at=ENDED,
            status="done",
            finished_at=ENDED - timedelta(hours=1),
        )
        session.add(checkin)
        await session.flush()
        session.add(CheckinEvent(session_id=checkin.id, at=ENDED, kind="ok", detail={}))
        request_id = request.id
    job = RetentionJob(db, RetentionSettings(checkin_days=3650))

    await job.run(LAST_DAY.astimezone(UTC))
    async with orm_session(db) as session:
        kept = await session.get(LoneWorkRequest, request_id)
        assert kept is not None and kept.task == "Lise destillerer om natten"
        assert await session.scalar(select(CheckinSession.id)) is not None

    await job.run(NEXT_DAY.astimezone(UTC))
    async with orm_session(db) as session:
        gone = await session.get(LoneWorkRequest, request_id)
        requester = await session.get(Person, gone.requester_id) if gone else None
        sessions = (await session.scalars(select(CheckinSession))).all()
        events = (await session.scalars(select(CheckinEvent))).all()
    assert gone is not None and requester is not None
    assert requester.aad_object_id == REMOVED_PERSON_AAD
    assert org.describe_person(requester) == "–", "cards and exports show no id"
    assert (gone.task, gone.emergency_name, gone.emergency_phone, gone.conditions) == (
        "",
        "",
        "",
        None,
    )
    assert (gone.approver_id, gone.decided_by_id, gone.status, gone.hazards) == (
        None,
        None,
        "expired",
        ["chemicals"],
    )
    assert sessions == [] and events == []
    assert len(await _events(db, "lone_work.retention")) == 1


async def test_checkin_timelines_go_after_their_own_period(db: Database) -> None:
    ids = await _org(db)
    finished = datetime(2026, 6, 10, 23, 59, tzinfo=COPENHAGEN)  # 180 days before 7 Dec
    async with orm_transaction(db) as session:
        request = LoneWorkRequest(
            number="AL-2026-0001",
            requester_id=ids["lise@uni.dk"],
            unit_id=ids["kemi"],
            task="Måling",
            campus="Lyngby",
            building="207",
            room="1",
            schedule="once",
            starts_at=finished - timedelta(hours=3),
            expires_at=datetime(2027, 1, 1, tzinfo=UTC),
            hazards=[],
            mitigations=[],
            emergency_name="X",
            emergency_phone="1",
            trained=True,
            adult=True,
            risky=False,
            status="approved",
        )
        session.add(request)
        await session.flush()
        checkin = CheckinSession(
            request_id=request.id,
            worker_id=ids["lise@uni.dk"],
            interval_minutes=60,
            started_at=finished - timedelta(hours=2),
            ends_at=finished,
            due_at=finished,
            status="done",
            finished_at=finished,
        )
        session.add(checkin)
        await session.flush()
        session.add(CheckinEvent(session_id=checkin.id, at=finished, kind="ok", detail={}))
    job = RetentionJob(db, RetentionSettings())
    await job.run(LAST_DAY.astimezone(UTC))
    async with orm_session(db) as session:
        assert len((await session.scalars(select(CheckinEvent))).all()) == 1
    await job.run(NEXT_DAY.astimezone(UTC))
    async with orm_session(db) as session:
        assert (await session.scalars(select(CheckinSession))).all() == []
        assert (await session.scalars(select(CheckinEvent))).all() == []
        request_left = await session.get(LoneWorkRequest, request.id)
    assert request_left is not None and request_left.task == "Måling"
    (deletion,) = await _events(db, "checkin.retention.delete")
    assert deletion.after == {"sessions": 1, "events": 1, "retention_days": 180}


async def test_conversation_references_and_states_of_chats_left_behind(db: Database) -> None:
    ids = await _org(db)
    left = datetime(2026, 9, 8, 23, 59, tzinfo=COPENHAGEN)  # 90 days before 7 Dec
    async with orm_transaction(db) as session:
        for name, active in (("left", False), ("open", True)):
            ref = ConversationRef(
                conversation_id=f"a:{name}",
                kind="personal",
                service_url="https://smba.example/",
                bot_id="28:bot",
                user_id=f"29:{name}",
                person_id=ids["lise@uni.dk"],
                active=active,
                created_at=left,
                updated_at=left,
            )
            session.add(ref)
            await session.flush()
            session.add(
                PostedActivity(dedupe_key=f"card:{name}", conversation_ref_id=ref.id, status="sent")
            )
        for name in ("left", "open"):
            session.add(DialogStateRow(key=f"msteams/conversations/a:{name}", etag="1", data="{}"))
    # The ORM stamps updated_at on insert; set it as the last change left it (the open
    # chat's state was saved a day later).
    async with orm_transaction(db) as session:
        await session.execute(update(ConversationRef).values(updated_at=left))
        await session.execute(update(DialogStateRow).values(updated_at=left))
        await session.execute(
            update(DialogStateRow)
            .where(DialogStateRow.key.endswith("a:open"))
            .values(updated_at=left + timedelta(days=1))
        )
    job = RetentionJob(db, RetentionSettings())
    await job.run(LAST_DAY.astimezone(UTC))
    async with orm_session(db) as session:
        assert len((await session.scalars(select(ConversationRef))).all()) == 2
        assert len((await session.scalars(select(DialogStateRow))).all()) == 2
    await job.run(NEXT_DAY.astimezone(UTC))
    async with orm_session(db) as session:
        refs = (await session.scalars(select(ConversationRef.conversation_id))).all()
        posts = (await session.scalars(select(PostedActivity.dedupe_key))).all()
        states = (await session.scalars(select(DialogStateRow.key))).all()
    assert refs == ["a:open"] and posts == ["card:open"]
    assert states == ["msteams/conversations/a:open"], "an abandoned form is not kept"


async def test_old_audit_events_lose_their_people_and_the_chain_still_verifies(
    db: Database,
) -> None:
    ids = await _org(db)
    async with audited(db) as connection:
        await audit.record(
            connection,
            actor=f"person:{ids['per@uni.dk']}",
            action="lone_work.decide",
            entity_type="lone_work_request",
            entity_id=7,
            before={"status": "pending"},
            after={"conditions": "Ring til Lise Leder"},
        )
    async with orm_session(db) as session:
        written = await session.scalar(select(func.max(AuditEvent.sequence)))
    later = datetime.now(UTC) + timedelta(days=5 * 366 + 2)
    await RetentionJob(db, RetentionSettings()).run(later)
    async with orm_session(db) as session:
        events = (await session.scalars(select(AuditEvent).order_by(AuditEvent.sequence))).all()
        report = await audit.verify_chain(session)
    redacted = [event for event in events if event.personal_data_removed_at is not None]
    assert len(redacted) == written
    decision = next(event for event in redacted if event.action == "lone_work.decide")
    assert (decision.actor, decision.entity_id, decision.before, decision.after) == (
        "person",
        "7",
        None,
        None,
    )
    assert all(event.entity_id is None for event in redacted if event.entity_type == "person")
    assert "Lise Leder" not in str([(e.actor, e.before, e.after) for e in events])
    assert report.intact and report.redacted == written
    verdict = await audit_trail.verify(db, "", None)
    assert verdict.code == 0
    assert f"intact: {written + 1} events ({written} of them past retention" in verdict.notes[0]
    assert events[-1].action == "audit.redact"
    assert events[-1].after == {
        "events": written,
        "through_sequence": written,
        "retention_years": 5,
    }


async def test_an_event_emptied_outside_retention_breaks_the_chain(db: Database) -> None:
    await _org(db)
    async with orm_transaction(db) as session:
        await session.execute(
            update(AuditEvent)
            .where(AuditEvent.sequence == 1)
            .values(after=None, personal_data_removed_at=datetime.now(UTC))
        )
    async with orm_session(db) as session:
        report = await audit.verify_chain(session)
    assert report.first_broken_sequence == 1
    assert report.reason is not None and "no retention event" in report.reason


async def test_near_miss_photos_go_with_the_reports_people_and_unsent_ones_after_a_day(
    db: Database,
) -> None:
    ids = await _org(db)
    old = await _near_miss(db, ids, "NM-2021-0001")
    still_open = await _near_miss(
        db, ids, "NM-2021-0002", status="actions_decided", closed_at=None, closed_by_id=None
    )
    async with db.writing() as connection:
        for report_id in (old, still_open):
            await near_miss_photos.add(
                connection,
                data=b"\xff\xd8photo",
                content_type="image/jpeg",
                now=ENDED,
                report_id=report_id,
            )
        for key, sent_at in (
            ("fresh", NEXT_DAY - timedelta(hours=23)),
            ("stale", NEXT_DAY - timedelta(hours=25)),
        ):
            await near_miss_photos.add(
                connection, data=b"\xff\xd8photo", content_type="image/jpeg", now=sent_at,
                pending_key=key,
            )  # fmt: skip
    await RetentionJob(db, RetentionSettings()).run(NEXT_DAY.astimezone(UTC))
    async with orm_session(db) as session:
        left = (
            await session.execute(select(NearMissPhoto.report_id, NearMissPhoto.pending_key))
        ).all()
    assert sorted(left, key=str) == sorted([(still_open, None), (None, "fresh")], key=str)
