"""Well-being storage on SQLite and PostgreSQL: actions with their audit trail, the queries of
the jobs and the digest, retention, and the annual discussion."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from domain.audit import canonical_json
from domain.org import OrgFile
from domain.wellbeing import (
    Access,
    AmdForm,
    DialogueForm,
    Effect,
    GoalsMet,
    ItemStatus,
    WellbeingSettings,
    local_today,
)
from domain.wellbeing_items import ItemDraft
from services.wellbeing_jobs import WellbeingRetention
from storage import audit, documentation, org, wellbeing, wellbeing_counts, wellbeing_items
from storage.audit import audited
from storage.db import Database
from storage.models import AuditEvent, Person, Unit
from storage.wellbeing import DialogueRow
from storage.wellbeing_items import ItemRow
from storage.wellbeing_models import WellbeingActionItem
from tests.support.databases import orm_session, orm_transaction

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)
TODAY = local_today(NOW)
NOTES = "Mange afbrydelser og uklar prioritering"


async def _org(db: Database) -> dict[str, int]:
    """Kemi (leader Lise, AMK Per), Fysik; returns unit and person ids by name."""
    org_file = OrgFile.model_validate(
        {
            "units": [
                {
                    "name": "Kemi",
                    "leader": [{"upn": "lise@uni.dk", "name": "Lise Leder"}],
                    "amk": [{"upn": "per@uni.dk", "name": "Per Koordinator"}],
                },
                {"name": "Fysik"},
            ],
            "secretariat": [{"upn": "sara@uni.dk", "name": "Sara Sekretariat"}],
        }
    )
    async with audited(db) as connection:
        await org.import_org(connection, org_file, actor="test")
        units = dict((await connection.execute(select(Unit.name, Unit.id))).all())
        people = dict((await connection.execute(select(Person.upn, Person.id))).all())
    return {"kemi": units["Kemi"], "fysik": units["Fysik"], **people}


def _form(unit_id: int, held_on: date = date(2026, 11, 20), **changes: object) -> DialogueForm:
    values: dict[str, object] = {
        "unit_id": unit_id,
        "group_name": "Analysegruppen",
        "held_on": held_on,
        "facilitator": "HR-partner",
        "participants": 9,
        "themes": ["stress", "other"],
        "theme_other": "Kantineordning",
        "works_well": "Godt kollegaskab",
        "challenges": NOTES,
        "absence_considered": True,
        "absence_note": "Ingen sammenhæng set",
    }
    values.update(changes)
    return DialogueForm.model_validate(values)


def _draft(**changes: object) -> ItemDraft:
    values: dict[str, object] = {
        "problem": "Afbrydelser i kontorlandskabet",
        "action": "Stilletimer om formiddagen",
        "owner_upn": "otto@uni.dk",
        "deadline": date(2026, 12, 15),
        "follow_up_on": date(2027, 1, 15),
    }
    values.update(changes)
    return ItemDraft.model_validate(values)


async def _dialogue_with_item(
    db: Database, ids: dict[str, int], **draft: object
) -> tuple[DialogueRow, ItemRow]:
    async with audited(db) as connection:
        dialogue = await wellbeing.record_dialogue(
            connection,
            _form(ids["kemi"]),
            recorded_by_id=ids["lise@uni.dk"],
            flags_confirmed=0,
            now=NOW,
        )
        [item] = await wellbeing_items.add_items(
            connection,
            [_draft(**draft)],
            unit_id=ids["kemi"],
            dialogue_id=dialogue.id,
            actor_id=ids["lise@uni.dk"],
            now=NOW,
        )
    return dialogue, item


async def _access(db: Database, person_id: int, *, is_admin: bool = False) -> Access:
    async with db.reading() as connection:
        return await wellbeing.access_of(connection, person_id, is_admin=is_admin)


async def test_roles_become_access(db: Database) -> None:
    ids = await _org(db)
    lise = await _access(db, ids["lise@uni.dk"])
    assert lise.leader_of == {ids["kemi"]} and lise.may_record(ids["kemi"])
    assert not lise.may_record(ids["fysik"])
    sara = await _access(db, ids["sara@uni.dk"])
    assert sara.secretariat and not sara.may_read_notes(ids["kemi"], recorded_by_id=None)


async def test_recording_and_items_are_audited_without_text(db: Database) -> None:
    ids = await _org(db)
    dialogue, item = await _dialogue_with_item(db, ids)
    async with orm_session(db) as session:
        owner = await session.get(Person, item.owner_id)
        events = (await session.scalars(select(AuditEvent).order_by(AuditEvent.sequence))).all()
        report = await audit.verify_chain(session)
    assert owner is not None and owner.upn == "otto@uni.dk" and owner.aad_object_id is None
    mine = [e for e in events if e.action.startswith("wellbeing.")]
    assert [e.action for e in mine] == ["wellbeing.dialogue.record", "wellbeing.item.add"]
    assert mine[0].after == {
        "unit_id": ids["kemi"],
        "held_on": "2026-11-20",
        "participants": 9,
        "themes": ["stress", "other"],
        "absence_considered": True,
        "flags_confirmed": 0,
    }
    dumped = canonical_json([e.after for e in mine])
    for secret in (NOTES, "Kantine", "Afbrydelser", "Stilletimer", "HR-partner"):
        assert secret not in dumped
    assert report.intact
    assert dialogue.theme_other == "Kantineordning"


async def test_owner_known_only_by_email_is_the_same_person_later(db: Database) -> None:
    ids = await _org(db)
    _, item = await _dialogue_with_item(db, ids, owner_upn="Otto@Uni.DK")
    async with audited(db) as connection:
        person = await org.upsert_person(
            connection,
            aad_object_id="3f9a7c21-5b8e-4d6a-9c1f-2e4b6d8a0c13",
            upn="otto@uni.dk",
            name="Otto Ejer",
        )
    assert person.id == item.owner_id


async def test_status_changes_follow_the_rules(db: Database) -> None:
    ids = await _org(db)
    _, item = await _dialogue_with_item(db, ids)
    owner = await _access(db, item.owner_id)
    stranger = Access(person_id=ids["sara@uni.dk"] + 100)
    async with audited(db) as connection:
        refused = await wellbeing_items.set_status(
            connection, item.id, ItemStatus.DONE, access=stranger, note=None, now=NOW
        )
        no_reason = await wellbeing_items.set_status(
            connection, item.id, ItemStatus.DROPPED, access=owner, note=" ", now=NOW
        )
        started = await wellbeing_items.set_status(
            connection, item.id, ItemStatus.IN_PROGRESS, access=owner, note=None, now=NOW
        )
        same = await wellbeing_items.set_status(
            connection, item.id, ItemStatus.IN_PROGRESS, access=owner, note=None, now=NOW
        )
        done = await wellbeing_items.set_status(
            connection, item.id, ItemStatus.DONE, access=owner, note="Aftalt", now=NOW
        )
        late = await wellbeing_items.set_status(
            connection, item.id, ItemStatus.DROPPED, access=owner, note="x", now=NOW
        )
    assert (refused.changed, refused.refused) == (False, "not_allowed")
    assert (no_reason.changed, no_reason.refused) == (False, "reason_required")
    assert started.changed and (same.changed, same.refused) == (False, "unchanged")
    assert done.changed and (late.changed, late.refused) == (False, "closed")
    assert done.item is not None and done.item.closed_at == NOW
    assert done.item.follow_up_on == date(2027, 1, 15)


async def test_done_after_the_follow_up_date_moves_the_follow_up(db: Database) -> None:
    ids = await _org(db)
    _, item = await _dialogue_with_item(db, ids)
    owner = await _access(db, item.owner_id)
    later = datetime(2027, 2, 1, 10, tzinfo=UTC)
    async with audited(db) as connection:
        done = await wellbeing_items.set_status(
            connection, item.id, ItemStatus.DONE, access=owner, note=None, now=later
        )
    assert done.item is not None and done.item.follow_up_on == date(2027, 3, 3)


async def test_concurrent_clicks_give_one_change(database_target: object, db: Database) -> None:
    ids = await _org(db)
    _, item = await _dialogue_with_item(db, ids)
    owner = await _access(db, item.owner_id)

    async def click(status: ItemStatus) -> bool:
        async with audited(db) as connection:
            outcome = await wellbeing_items.set_status(
                connection, item.id, status, access=owner, note="x", now=NOW
            )
            return outcome.changed

    results = await asyncio.gather(
        *[click(status) for status in (ItemStatus.DONE, ItemStatus.DROPPED) * 4]
    )
    assert results.count(True) == 1


async def test_follow_up_no_reopens_and_answers_once(db: Database) -> None:
    ids = await _org(db)
    _, item = await _dialogue_with_item(db, ids)
    owner = await _access(db, item.owner_id)
    async with audited(db) as connection:
        early = await wellbeing_items.evaluate(
            connection, item.id, Effect.YES, access=owner, note=None, now=NOW
        )
        await wellbeing_items.set_status(
            connection, item.id, ItemStatus.DONE, access=owner, note=None, now=NOW
        )
        silent = await wellbeing_items.evaluate(
            connection, item.id, Effect.NO, access=owner, note=None, now=NOW
        )
        answered = await wellbeing_items.evaluate(
            connection, item.id, Effect.NO, access=owner, note="Virker ikke", now=NOW
        )
        again = await wellbeing_items.evaluate(
            connection, item.id, Effect.YES, access=owner, note=None, now=NOW
        )
    assert early.refused == "not_done" and silent.refused == "note_required"
    assert answered.changed and again.refused == "already"
    reopened = answered.reopened
    assert reopened is not None
    assert reopened.reopened_from_id == item.id and reopened.status == "open"
    assert reopened.deadline == TODAY + timedelta(days=30)
    assert reopened.follow_up_on == reopened.deadline + timedelta(days=30)


async def test_plan_shows_open_items_first_and_hides_old_closed_ones(db: Database) -> None:
    ids = await _org(db)
    lise = await _access(db, ids["lise@uni.dk"])
    async with audited(db) as connection:
        items = await wellbeing_items.add_items(
            connection,
            [
                _draft(problem="Sent", deadline=date(2027, 3, 1), follow_up_on=date(2027, 4, 1)),
                _draft(problem="Tidligt"),
                _draft(problem="Gammelt lukket"),
                _draft(problem="Nyligt lukket"),
            ],
            unit_id=ids["kemi"],
            dialogue_id=None,
            actor_id=ids["lise@uni.dk"],
            now=NOW - timedelta(days=500),
        )
        await wellbeing_items.set_status(
            connection,
            items[2].id,
            ItemStatus.DONE,
            access=lise,
            note=None,
            now=NOW - timedelta(days=400),
        )
        await wellbeing_items.set_status(
            connection,
            items[3].id,
            ItemStatus.DROPPED,
            access=lise,
            note="x",
            now=NOW - timedelta(days=10),
        )
    async with db.reading() as connection:
        plan = await wellbeing_items.plan_items(connection, ids["kemi"], NOW)
    assert [item.problem for item in plan] == ["Tidligt", "Sent", "Nyligt lukket"]


async def test_job_queries_pick_exactly_what_is_due(db: Database) -> None:
    ids = await _org(db)
    _, item = await _dialogue_with_item(db, ids)
    async with db.reading() as connection:
        assert await wellbeing_items.undelivered_items(connection) == []  # no chat with the owner
        assert await wellbeing_items.due_overdue(connection, date(2026, 12, 15)) == []
        assert await wellbeing_items.due_overdue(connection, date(2026, 12, 16)) == [item.id]
        assert await wellbeing_items.due_follow_ups(connection, date(2027, 2, 1)) == []  # not done
    async with db.writing() as connection:
        await wellbeing_items.mark(connection, item.id, overdue_reminded_for=date(2026, 12, 15))
    async with db.reading() as connection:
        assert await wellbeing_items.due_overdue(connection, date(2026, 12, 20)) == []
        stored = await wellbeing_items.get_item(connection, item.id)
    assert stored is not None and stored.deadline == date(2026, 12, 15)
    async with orm_transaction(db) as session:
        await session.execute(
            update(WellbeingActionItem)
            .where(WellbeingActionItem.id == item.id)
            .values(deadline=date(2026, 12, 18))
        )
    async with db.reading() as connection:
        assert await wellbeing_items.due_overdue(connection, date(2026, 12, 20)) == [item.id]


async def test_digest_queries_count_and_never_read_text(db: Database) -> None:
    ids = await _org(db)
    await _dialogue_with_item(db, ids)
    async with audited(db) as connection:
        await wellbeing.record_dialogue(
            connection,
            _form(ids["fysik"], held_on=date(2024, 10, 1)),
            recorded_by_id=ids["lise@uni.dk"],
            flags_confirmed=0,
            now=NOW,
        )
        await wellbeing.save_amd(
            connection,
            AmdForm.model_validate(
                {
                    "unit_id": ids["kemi"],
                    "year": 2026,
                    "held_on": date(2026, 11, 1),
                    "participant_roles": ["leader"],
                    "goals_met": "yes",
                    "goals_next_year": "Mål",
                    "cooperation": "Møder",
                    "competence_needs": "Kursus",
                }
            ),
            actor_id=ids["lise@uni.dk"],
            now=NOW,
        )
    async with db.reading() as connection:
        assert await wellbeing_counts.overdue_counts_by_unit(connection, TODAY) == {}
        assert await wellbeing_counts.overdue_counts_by_unit(connection, date(2026, 12, 16)) == {
            ids["kemi"]: 1
        }
        due = {s.unit for s in await wellbeing_counts.dialogues_due(connection, TODAY, 2)}
        assert "Fysik" in due and "Kemi" not in due and "Wind" in due  # never held: due now
        soon = {
            s.unit
            for s in await wellbeing_counts.dialogues_due(connection, TODAY, 2, within_days=0)
        }
        assert soon == due
        three = {s.unit for s in await wellbeing_counts.dialogues_due(connection, TODAY, 3)}
        assert "Fysik" not in three
        missing = {u.name for u in await wellbeing_counts.units_without_amd(connection, 2026)}
        assert "Kemi" not in missing and "Fysik" in missing
        assert {u.name for u in await wellbeing_counts.units_without_amd(connection, 2025)} >= {
            "Kemi"
        }
        [kemi] = await wellbeing_counts.unit_statuses(connection, TODAY, 2, [ids["kemi"]])
    assert (kemi.dialogues, kemi.open_items, kemi.last_held) == (1, 1, date(2026, 11, 20))
    assert kemi.due_on == date(2028, 11, 20) and kemi.amd_held_on == date(2026, 11, 1)


async def test_dialogues_are_due_per_group_in_the_digest_and_the_documentation(
    db: Database,
) -> None:
    """A unit is due from the day its least recent group's latest dialogue is two years old,
    whatever its other groups did since; the documentation overview takes the same day."""
    ids = await _org(db)
    async with audited(db) as connection:
        for group, held in (
            ("Analysegruppen", date(2026, 11, 20)),
            ("Værkstedet", date(2024, 11, 27)),
            ("VÆRKSTEDET ", date(2024, 6, 1)),
        ):
            await wellbeing.record_dialogue(
                connection,
                _form(ids["kemi"], held_on=held, group_name=group),
                recorded_by_id=ids["lise@uni.dk"],
                flags_confirmed=0,
                now=NOW,
            )
    async with db.reading() as connection:
        due_today = {s.unit for s in await wellbeing_counts.dialogues_due(connection, TODAY, 2)}
        day_before = TODAY - timedelta(days=1)
        due_before = {
            s.unit for s in await wellbeing_counts.dialogues_due(connection, day_before, 2)
        }
        [kemi] = await wellbeing_counts.unit_statuses(connection, TODAY, 2, [ids["kemi"]])
        met = await documentation.last_met(connection, [ids["kemi"]])
    assert "Kemi" in due_today and "Kemi" not in due_before
    assert kemi.last_held == date(2026, 11, 20) and kemi.due_on == date(2026, 11, 27)
    assert [(g.group, g.last_held) for g in kemi.groups] == [
        ("Værkstedet", date(2024, 11, 27)),
        ("Analysegruppen", date(2026, 11, 20)),
    ]
    assert met[(ids["kemi"], "wellbeing", None)] == (date(2024, 11, 27), None)


async def test_annual_discussion_is_one_row_per_unit_and_year(db: Database) -> None:
    ids = await _org(db)
    form = AmdForm.model_validate(
        {
            "unit_id": ids["kemi"],
            "year": 2026,
            "held_on": date(2026, 11, 1),
            "participant_roles": ["leader", "amk"],
            "goals_met": "no_goals",
            "goals_next_year": "Mål for næste år",
            "cooperation": "Kvartalsmøder",
            "competence_needs": "Kursus",
        }
    )
    async with audited(db) as connection:
        _, first = await wellbeing.save_amd(connection, form, actor_id=ids["per@uni.dk"], now=NOW)
    async with audited(db) as connection:
        row, second = await wellbeing.save_amd(
            connection,
            form.model_copy(update={"goals_met": GoalsMet.YES}),
            actor_id=ids["per@uni.dk"],
            now=NOW,
        )
    assert first and not second and row.goals_met == "yes"
    async with orm_session(db) as session:
        events = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action.like("wellbeing.amd.%"))
            )
        ).all()
    assert [e.action for e in events] == ["wellbeing.amd.record", "wellbeing.amd.update"]
    assert "Mål for næste år" not in canonical_json([e.after for e in events])


@pytest.mark.parametrize("years", [5, 2])
async def test_retention_deletes_old_note_text_once_and_audits_it(db: Database, years: int) -> None:
    ids = await _org(db)
    old_day = date(2026 - years, 11, 26)  # one day past the period
    async with audited(db) as connection:
        old = await wellbeing.record_dialogue(
            connection,
            _form(ids["kemi"], held_on=old_day),
            recorded_by_id=ids["lise@uni.dk"],
            flags_confirmed=0,
            now=NOW,
        )
        kept = await wellbeing.record_dialogue(
            connection,
            _form(ids["kemi"], held_on=date(2026 - years, 11, 27)),
            recorded_by_id=ids["lise@uni.dk"],
            flags_confirmed=0,
            now=NOW,
        )
        await wellbeing_items.add_items(
            connection,
            [_draft()],
            unit_id=ids["kemi"],
            dialogue_id=old.id,
            actor_id=ids["lise@uni.dk"],
            now=NOW,
        )
    job = WellbeingRetention(db, WellbeingSettings(retention_years=years))
    await asyncio.gather(job.run(NOW), job.run(NOW))
    await job.run(NOW + timedelta(hours=1))
    async with db.reading() as connection:
        gone = await wellbeing.get_dialogue(connection, old.id)
        still = await wellbeing.get_dialogue(connection, kept.id)
    async with orm_session(db) as session:
        items = (await session.scalars(select(WellbeingActionItem))).all()
        events = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "wellbeing.notes.delete")
            )
        ).all()
        report = await audit.verify_chain(session)
    assert gone is not None and still is not None
    assert (gone.works_well, gone.challenges, gone.absence_note, gone.theme_other) == (
        None,
        None,
        None,
        None,
    )
    assert gone.facilitator is None and gone.notes_deleted_at is not None
    assert (gone.participants, gone.themes, gone.absence_considered) == (
        9,
        ["stress", "other"],
        True,
    )
    assert still.challenges == NOTES and still.notes_deleted_at is None
    assert len(items) == 1 and items[0].problem == "Afbrydelser i kontorlandskabet"
    assert len(events) == 1 and events[0].entity_id == str(old.id)
    assert events[0].before == {
        "held_on": old_day.isoformat(),
        "fields_with_text": [
            "facilitator",
            "theme_other",
            "works_well",
            "challenges",
            "absence_note",
        ],
    }
    assert events[0].after is not None and events[0].after["retention_years"] == years
    assert NOTES not in canonical_json([events[0].before, events[0].after])
    assert report.intact


async def test_notes_are_read_only_by_those_allowed_and_reads_are_audited(db: Database) -> None:
    ids = await _org(db)
    dialogue, _ = await _dialogue_with_item(db, ids)
    per = await _access(db, ids["per@uni.dk"])
    sara = await _access(db, ids["sara@uni.dk"])
    async with audited(db) as connection:
        stored = await wellbeing.get_dialogue(connection, dialogue.id)
        assert stored is not None
        notes = await wellbeing.read_notes(connection, per, stored)
        refused = await wellbeing.read_notes(connection, sara, stored)
        readable = await wellbeing.readable_dialogues(connection, sara, ids["kemi"])
    assert notes is not None and notes.challenges == NOTES and notes.items == 1
    assert refused is None and readable == []
    async with orm_session(db) as session:
        actions = list(
            (
                await session.scalars(
                    select(AuditEvent.action).where(AuditEvent.action.like("wellbeing.notes.%"))
                )
            ).all()
        )
    assert actions == ["wellbeing.notes.read", "wellbeing.notes.read.refused"]
