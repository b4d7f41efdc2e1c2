"""Near-miss storage on SQLite and (with TEST_DATABASE_URL) PostgreSQL: one transaction per
action with its audit event, numbering under concurrency, permissions, reminders, figures."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from domain.near_miss import Status
from domain.near_miss_forms import ActionForm, NearMissForm
from domain.numbering import year_bounds
from domain.org import Role
from storage import audit, near_miss, near_miss_follow_up, near_miss_lists, org, rows
from storage.audit import audited
from storage.db import Database
from storage.models import AuditEvent, Person, Unit
from storage.near_miss_models import NearMissAction, NearMissCounter, NearMissReport
from tests.support.databases import orm_session, orm_transaction

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _form(unit_id: int, **changes: Any) -> NearMissForm:
    value: dict[str, Any] = {
        "unit_id": unit_id,
        "occurred_date": "2026-03-02",
        "occurred_time": "08:15",
        "campus": "Lyngby",
        "building": "101",
        "room": None,
        "description": "Gaffeltruck kørte for tæt på fodgængere.",
        "category": "traffic",
        "severity": "very_serious",
        "injured": False,
        "anonymous": False,
    }
    value.update(changes)
    return NearMissForm.model_validate(value)


class Org:
    """Kemi and Fysik with their AMKs, the secretariat, a reporter and an owner."""

    kemi: int
    fysik: int
    amk: int
    amk2: int
    fysik_amk: int
    secretariat: int
    reporter: int
    owner: int


async def _org(db: Database) -> Org:
    found = Org()
    async with audited(db) as connection:
        units = {u.name: u for u in await org.list_units(connection)}
        found.kemi, found.fysik = units["Kemi"].id, units["Fysik"].id
        people: dict[str, Person] = {}
        for key, upn in (
            ("amk", "amk@uni.dk"),
            ("amk2", "amk2@uni.dk"),
            ("fysik_amk", "fysik@uni.dk"),
            ("secretariat", "sek@uni.dk"),
            ("reporter", "rep@uni.dk"),
            ("owner", "owner@uni.dk"),
        ):
            people[key] = await org.upsert_person(connection, aad_object_id=None, upn=upn, name=key)
            setattr(found, key, people[key].id)
        for key, unit in (("amk", "Kemi"), ("amk2", "Kemi"), ("fysik_amk", "Fysik")):
            await org.assign_role(
                connection, actor="test", unit=units[unit], person=people[key], role=Role.AMK
            )
        await org.assign_role(
            connection, actor="test", unit=None, person=people["secretariat"], role=Role.SECRETARIAT
        )
    return found


async def _submit(
    db: Database, form: NearMissForm, reporter: int | None, now: datetime = T0
) -> int:
    async with audited(db) as connection:
        report, created = await near_miss.submit(connection, form, reporter_id=reporter, now=now)
        assert created
        return report.id


async def _actions(db: Database, action: str) -> list[AuditEvent]:
    async with orm_session(db) as session:
        return list(
            (await session.scalars(select(AuditEvent).where(AuditEvent.action == action))).all()
        )


async def _report(db: Database, report_id: int) -> near_miss.ReportRow:
    async with db.reading() as connection:
        found = await near_miss.get(connection, report_id)
    assert found is not None
    return found


# -- reporting ---------------------------------------------------------------------------------


async def test_a_named_report_is_stored_and_audited_with_its_reporter(db: Database) -> None:
    people = await _org(db)
    report_id = await _submit(db, _form(people.kemi), people.reporter)
    report = await _report(db, report_id)
    assert report.number == "NM-2026-0001" and report.status == "reported"
    assert report.reporter_id == people.reporter and not report.anonymous
    assert report.occurred_at == datetime(2026, 3, 2, 7, 15, tzinfo=UTC)
    (event,) = await _actions(db, "near_miss.report")
    assert event.actor == f"person:{people.reporter}"
    assert event.after is not None and event.after["reporter_id"] == people.reporter
    assert "description" not in event.after


async def test_an_anonymous_report_has_no_reporter_even_if_one_is_passed(db: Database) -> None:
    people = await _org(db)
    report_id = await _submit(db, _form(people.kemi, anonymous=True), people.reporter)
    report = await _report(db, report_id)
    assert report.anonymous and report.reporter_id is None
    (event,) = await _actions(db, "near_miss.report")
    assert event.actor == near_miss.ANONYMOUS_ACTOR
    assert event.after is not None and "reporter_id" not in event.after


async def test_numbers_are_per_year_in_copenhagen_time(db: Database) -> None:
    people = await _org(db)
    await _submit(db, _form(people.kemi), None)
    await _submit(db, _form(people.kemi), None)
    new_year = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 January locally
    third = await _submit(db, _form(people.kemi, occurred_date="2026-12-31"), None, new_year)
    numbers = [r.number for r in await _all(db)]
    assert numbers == ["NM-2026-0001", "NM-2026-0002", "NM-2027-0001"]
    assert (await _report(db, third)).number == "NM-2027-0001"


async def _all(db: Database) -> list[NearMissReport]:
    async with orm_session(db) as session:
        return list(
            (await session.scalars(select(NearMissReport).order_by(NearMissReport.id))).all()
        )


async def test_concurrent_reports_get_unique_consecutive_numbers(db: Database) -> None:
    people = await _org(db)
    await asyncio.gather(*(_submit(db, _form(people.kemi), None) for _ in range(12)))
    numbers = sorted(r.number for r in await _all(db))
    assert numbers == [f"NM-2026-{n:04d}" for n in range(1, 13)]
    async with orm_session(db) as session:
        counter = await session.get(NearMissCounter, 2026)
    assert counter is not None and counter.last_number == 12


async def test_the_same_submission_is_stored_once(db: Database) -> None:
    people = await _org(db)
    async with audited(db) as connection:
        first, created = await near_miss.submit(
            connection, _form(people.kemi), reporter_id=None, now=T0, submission_key="a" * 32
        )
    async with audited(db) as connection:
        again, created_again = await near_miss.submit(
            connection, _form(people.kemi), reporter_id=None, now=T0, submission_key="a" * 32
        )
    assert created and not created_again and again.id == first.id
    assert len(await _all(db)) == 1


async def test_a_unit_without_amk_is_followed_up_by_the_secretariat(db: Database) -> None:
    people = await _org(db)
    async with orm_session(db) as session:
        units = {u.name: u.id for u in await org.list_units(session)}
    async with db.reading() as connection:
        kemi = [p.id for p in await near_miss.follow_up_people(connection, people.kemi)]
        aqua = [p.id for p in await near_miss.follow_up_people(connection, units["Aqua"])]
    assert kemi == [people.amk, people.amk2]
    assert aqua == [people.secretariat]


async def test_a_new_report_goes_to_each_amk_and_never_names_an_anonymous_reporter(
    db: Database,
) -> None:
    people = await _org(db)
    named = await _submit(db, _form(people.kemi), people.reporter)
    anonymous = await _submit(db, _form(people.kemi, anonymous=True), people.reporter)
    async with db.reading() as connection:
        named_found = await near_miss.announcement(connection, named)
        anonymous_found = await near_miss.announcement(connection, anonymous)
    async with orm_session(db) as session:
        units = {u.name: u.id for u in await org.list_units(session)}
    aqua = await _submit(db, _form(units["Aqua"]), None)
    async with db.reading() as connection:
        aqua_found = await near_miss.announcement(connection, aqua)
        assert await near_miss.announcement(connection, 999_999) is None
    assert named_found is not None and anonymous_found is not None and aqua_found is not None
    context, recipients = named_found
    assert recipients == [people.amk, people.amk2]
    assert all(context.people[amk].is_amk and context.people[amk].manages for amk in recipients)
    assert context.report.reporter_name == "reporter"
    assert not context.people[people.reporter].manages
    context, recipients = anonymous_found
    assert recipients == [people.amk, people.amk2]
    assert set(context.people) == {people.amk, people.amk2}
    assert context.report.reporter_name is None
    context, recipients = aqua_found
    assert recipients == [people.secretariat]
    assert context.people[people.secretariat].is_secretariat
    assert not context.people[people.secretariat].is_amk


async def test_a_submission_answers_with_the_report_as_it_was_stored(db: Database) -> None:
    people = await _org(db)
    for anonymous, key in ((False, "b" * 32), (True, "c" * 32)):
        form = _form(people.kemi, anonymous=anonymous, room="2.14", photo_url="https://x.dk/p")
        async with audited(db) as connection:
            stored, created = await near_miss.submit(
                connection, form, reporter_id=people.reporter, now=T0, submission_key=key
            )
        async with db.reading() as connection:
            read_back = await near_miss.stored_by_submission(connection, key)
        assert created and read_back == stored
        assert stored.unit_name == "Kemi" and stored.status is Status.REPORTED
        assert stored.reporter_id == (None if anonymous else people.reporter)


async def test_a_new_reports_announcement_is_its_full_context(db: Database) -> None:
    """The announcement's one statement sees the report, its recipients and its named
    reporter as the follow-up's full context does, whoever holds which roles."""
    people = await _org(db)
    async with audited(db) as connection:
        units = {u.name: u for u in await org.list_units(connection)}
        persons = await rows.people(connection, [people.reporter, people.amk2, people.owner])
        # The reporter is also secretariat; an AMK of Kemi is also secretariat.
        for person_id in (people.reporter, people.amk2):
            await org.assign_role(
                connection,
                actor="test",
                unit=None,
                person=persons[person_id],
                role=Role.SECRETARIAT,
            )
        await org.assign_role(
            connection,
            actor="test",
            unit=units["Kemi"],
            person=persons[people.owner],
            role=Role.AMK,
        )
    cases = [
        (people.kemi, False, people.reporter),
        (people.kemi, True, people.reporter),
        (units["Aqua"].id, False, people.reporter),
        (units["Aqua"].id, False, people.owner),
        (people.fysik, False, people.amk),
        (people.kemi, False, None),
    ]
    for unit_id, anonymous, reporter in cases:
        report_id = await _submit(db, _form(unit_id, anonymous=anonymous), reporter)
        async with db.reading() as connection:
            found = await near_miss.announcement(connection, report_id)
            full = await near_miss.context(connection, report_id)
        assert found is not None and full is not None
        context, recipients = found
        assert context == full, (unit_id, anonymous, reporter)
        followers = await _followers(db, unit_id)
        assert recipients == followers


async def _followers(db: Database, unit_id: int) -> list[int]:
    async with db.reading() as connection:
        return [person.id for person in await near_miss.follow_up_people(connection, unit_id)]


# -- follow-up ---------------------------------------------------------------------------------


async def _do(db: Database, call: Any, *args: Any, **kwargs: Any) -> near_miss_follow_up.Outcome:
    async with audited(db) as connection:
        outcome: near_miss_follow_up.Outcome = await call(connection, *args, **kwargs)
        return outcome


async def test_the_whole_follow_up_with_an_audit_event_for_each_step(db: Database) -> None:
    people = await _org(db)
    report_id = await _submit(db, _form(people.kemi), people.reporter)
    t = T0 + timedelta(hours=3)
    ack = await _do(db, near_miss_follow_up.acknowledge, report_id, actor_id=people.amk, now=t)
    assert ack.changed and ack.acknowledged_now
    assigned = await _do(
        db,
        near_miss_follow_up.assign,
        report_id,
        actor_id=people.amk,
        investigator_upn="ida@uni.dk",
        now=t,
    )
    assert assigned.changed and not assigned.acknowledged_now
    assert assigned.person is not None and assigned.person.upn == "ida@uni.dk"
    action_form = ActionForm(
        action_description="Afmærk gangzone",
        action_owner="owner@uni.dk",
        action_due=date(2026, 3, 9),
    )
    added = await _do(
        db,
        near_miss_follow_up.add_action,
        report_id,
        actor_id=assigned.person.id,
        form=action_form,
        now=t,
    )
    assert added.changed and added.action is not None and added.person is not None
    assert added.person.id == people.owner
    refused = await _do(
        db,
        near_miss_follow_up.close,
        report_id,
        actor_id=people.amk,
        conclusion="Zonen er afmærket.",
        now=t,
    )
    assert refused.refused == "open_actions"
    done = await _do(
        db, near_miss_follow_up.complete_action, added.action.id, actor_id=people.owner, now=t
    )
    assert done.changed
    twice = await _do(
        db, near_miss_follow_up.complete_action, added.action.id, actor_id=people.owner, now=t
    )
    assert twice.refused == "action_done"
    closing = await _do(
        db, near_miss_follow_up.close, report_id, actor_id=people.amk, conclusion=" ok ", now=t
    )
    assert closing.refused == "no_conclusion"
    closed = await _do(
        db,
        near_miss_follow_up.close,
        report_id,
        actor_id=people.amk2,
        conclusion="Zonen er afmærket, og truckførerne er orienteret.",
        now=t + timedelta(days=2),
    )
    assert closed.changed
    report = await _report(db, report_id)
    assert report.status == "closed" and report.closed_by_id == people.amk2
    assert report.conclusion == "Zonen er afmærket, og truckførerne er orienteret."
    async with orm_session(db) as session:
        actions = (
            await session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.entity_type == near_miss.ENTITY)
                .order_by(AuditEvent.sequence)
            )
        ).all()
        chain = await audit.verify_chain(session)
    assert actions == [
        "near_miss.report",
        "near_miss.acknowledge",
        "near_miss.assign",
        "near_miss.action.add",
        "near_miss.action.done",
        "near_miss.close",
    ]
    assert chain.intact
    after_close = await _do(
        db, near_miss_follow_up.acknowledge, report_id, actor_id=people.amk, now=t
    )
    assert after_close.refused == "already"
    reassign = await _do(
        db,
        near_miss_follow_up.assign,
        report_id,
        actor_id=people.amk,
        investigator_upn="x@uni.dk",
        now=t,
    )
    assert reassign.refused == "status"


async def test_only_the_units_amk_or_the_secretariat_may_follow_up(db: Database) -> None:
    people = await _org(db)
    report_id = await _submit(db, _form(people.kemi), people.reporter)
    for actor in (people.fysik_amk, people.reporter, people.owner):
        outcome = await _do(db, near_miss_follow_up.acknowledge, report_id, actor_id=actor, now=T0)
        assert outcome.refused == "not_allowed"
    assert (await _report(db, report_id)).status == "reported"
    refused = await _actions(db, "near_miss.refused")
    assert [e.actor for e in refused] == [
        f"person:{people.fysik_amk}",
        f"person:{people.reporter}",
        f"person:{people.owner}",
    ]
    by_secretariat = await _do(
        db, near_miss_follow_up.acknowledge, report_id, actor_id=people.secretariat, now=T0
    )
    assert by_secretariat.changed


async def test_two_acknowledges_at_once_change_it_once(db: Database) -> None:
    people = await _org(db)
    report_id = await _submit(db, _form(people.kemi), None)
    outcomes = await asyncio.gather(
        *(
            _do(db, near_miss_follow_up.acknowledge, report_id, actor_id=actor, now=T0)
            for actor in (people.amk, people.amk2, people.amk, people.amk2)
        )
    )
    assert sum(o.changed for o in outcomes) == 1
    assert sorted(str(o.refused) for o in outcomes) == ["None", "already", "already", "already"]
    assert len(await _actions(db, "near_miss.acknowledge")) == 1


async def test_assigning_right_away_acknowledges(db: Database) -> None:
    people = await _org(db)
    report_id = await _submit(db, _form(people.kemi), None)
    outcome = await _do(
        db,
        near_miss_follow_up.assign,
        report_id,
        actor_id=people.amk,
        investigator_upn="ida@uni.dk",
        now=T0,
    )
    assert outcome.acknowledged_now
    report = await _report(db, report_id)
    assert (
        report.status == Status.UNDER_INVESTIGATION.value
        and report.acknowledged_by_id == people.amk
    )


async def test_a_missing_report_is_not_found(db: Database) -> None:
    people = await _org(db)
    outcome = await _do(db, near_miss_follow_up.acknowledge, 4711, actor_id=people.amk, now=T0)
    assert outcome.refused == "not_found"
    done = await _do(db, near_miss_follow_up.complete_action, 4711, actor_id=people.amk, now=T0)
    assert done.refused == "not_found"


# -- lists and reminders -----------------------------------------------------------------------


async def test_the_open_list_per_role(db: Database) -> None:
    people = await _org(db)
    kemi_open = await _submit(db, _form(people.kemi), None)
    kemi_closed = await _submit(db, _form(people.kemi), None)
    fysik = await _submit(db, _form(people.fysik), None)
    await _do(db, near_miss_follow_up.acknowledge, kemi_closed, actor_id=people.amk, now=T0)
    await _do(
        db,
        near_miss_follow_up.close,
        kemi_closed,
        actor_id=people.amk,
        conclusion="Ingen tiltag nødvendige.",
        now=T0,
    )
    async with db.reading() as connection:
        amk = await near_miss_lists.open_reports_for(connection, people.amk)
        secretariat = await near_miss_lists.open_reports_for(connection, people.secretariat)
        nobody = await near_miss_lists.open_reports_for(connection, people.reporter)
    assert amk is not None and [r.id for r in amk.reports] == [kemi_open]
    assert amk.units == ["Kemi"]
    assert secretariat is not None and secretariat.units is None
    assert {r.id for r in secretariat.reports} == {kemi_open, fysik}
    assert nobody is None


async def test_reminders_come_due_at_eight_on_the_due_date(db: Database) -> None:
    people = await _org(db)
    report_id = await _submit(db, _form(people.kemi), None)
    await _do(db, near_miss_follow_up.acknowledge, report_id, actor_id=people.amk, now=T0)
    form = ActionForm(
        action_description="Spejl", action_owner="owner@uni.dk", action_due=date(2026, 3, 10)
    )
    added = await _do(
        db, near_miss_follow_up.add_action, report_id, actor_id=people.amk, form=form, now=T0
    )
    assert added.action is not None
    before = datetime(2026, 3, 10, 6, 59, tzinfo=UTC)  # 07:59 in Copenhagen
    at = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    async with db.reading() as connection:
        assert await near_miss_lists.due_reminders(connection, before) == []
        due = await near_miss_lists.due_reminders(connection, at)
        assert [a.id for a in due] == [added.action.id]
    async with audited(db) as connection:
        await near_miss_lists.mark_reminded(connection, added.action.id, at)
    async with audited(db) as connection:
        await near_miss_lists.mark_reminded(connection, added.action.id, at + timedelta(hours=1))
    async with db.reading() as connection:
        assert await near_miss_lists.due_reminders(connection, at + timedelta(days=3)) == []
    assert len(await _actions(db, "near_miss.action.remind")) == 1
    async with orm_session(db) as session:
        action = await session.get(NearMissAction, added.action.id)
    assert action is not None and action.reminded_at == at


# -- the register and the figures --------------------------------------------------------------


async def test_statistics_count_everything_and_give_median_times(db: Database) -> None:
    people = await _org(db)
    ids = []
    for when, unit, category, severity in (
        (datetime(2026, 1, 5, 9, tzinfo=UTC), people.kemi, "traffic", "minor"),
        (datetime(2026, 2, 5, 9, tzinfo=UTC), people.kemi, "electrical", "serious"),
        (datetime(2026, 5, 5, 9, tzinfo=UTC), people.fysik, "traffic", "serious"),
        (datetime(2026, 11, 5, 9, tzinfo=UTC), people.kemi, "cryogenic", "life_threatening"),
        (datetime(2025, 12, 30, 9, tzinfo=UTC), people.kemi, "other", "minor"),
    ):
        form = _form(
            unit,
            category=category,
            severity=severity,
            occurred_date=when.date().isoformat(),
            anonymous=category == "electrical",
            injured=category == "cryogenic",
        )
        ids.append(await _submit(db, form, None, when))
    await _do(
        db,
        near_miss_follow_up.acknowledge,
        ids[0],
        actor_id=people.amk,
        now=datetime(2026, 1, 5, 11, tzinfo=UTC),
    )
    await _do(
        db,
        near_miss_follow_up.acknowledge,
        ids[1],
        actor_id=people.amk,
        now=datetime(2026, 2, 5, 13, tzinfo=UTC),
    )
    await _do(
        db,
        near_miss_follow_up.acknowledge,
        ids[2],
        actor_id=people.fysik_amk,
        now=datetime(2026, 5, 6, 9, tzinfo=UTC),
    )
    await _do(
        db,
        near_miss_follow_up.close,
        ids[0],
        actor_id=people.amk,
        conclusion="Skilte er sat op ved vejen.",
        now=datetime(2026, 1, 15, 9, tzinfo=UTC),
    )
    form = ActionForm(
        action_description="Nyt kabel", action_owner="owner@uni.dk", action_due=date(2026, 3, 1)
    )
    await _do(
        db,
        near_miss_follow_up.add_action,
        ids[1],
        actor_id=people.amk,
        form=form,
        now=datetime(2026, 2, 6, tzinfo=UTC),
    )
    start, end = year_bounds(2026)
    async with db.reading() as connection:
        stats = await near_miss_lists.statistics(
            connection, start, end, now=datetime(2026, 6, 1, tzinfo=UTC)
        )
    assert stats.total == 4 and stats.anonymous == 1 and stats.injuries == 1
    assert stats.by_unit == {"Fysik": 1, "Kemi": 3}
    assert stats.by_category["traffic"] == 2 and stats.by_category["other"] == 0
    assert len(stats.by_category) == 13 and sum(stats.by_category.values()) == 4
    assert stats.by_severity == {"minor": 1, "serious": 2, "very_serious": 0, "life_threatening": 1}
    assert stats.by_status == {
        "reported": 1,
        "acknowledged": 1,
        "under_investigation": 0,
        "actions_decided": 1,
        "closed": 1,
    }
    assert stats.by_quarter == {(2026, 1): 2, (2026, 2): 1, (2026, 3): 0, (2026, 4): 1}
    assert stats.acknowledged == 3 and stats.closed == 1
    assert stats.median_to_acknowledge == timedelta(hours=4)  # of 2 h, 4 h and 24 h
    assert stats.median_to_close == timedelta(days=10)
    assert stats.open_actions == 1 and stats.overdue_actions == 1
    async with db.reading() as connection:
        register = await near_miss_lists.reports_between(connection, start, end)
    assert [r.number for r in register] == [
        "NM-2026-0001",
        "NM-2026-0002",
        "NM-2026-0003",
        "NM-2026-0004",
    ]
    assert register[1].anonymous and register[1].reporter_name is None
    assert register[1].actions[0].owner_name == "owner"


async def test_deleting_a_unit_with_reports_is_refused(db: Database) -> None:
    """Reports are documentation: their unit cannot silently disappear under them."""
    people = await _org(db)
    await _submit(db, _form(people.kemi), None)
    async with orm_session(db) as session:
        count = await session.scalar(select(func.count()).select_from(NearMissReport))
        unit = await session.get(Unit, people.kemi)
    assert count == 1 and unit is not None
    try:
        async with orm_transaction(db) as session:
            await session.delete(await session.get(Unit, people.kemi))
    except Exception as error:  # IntegrityError from either database
        assert "foreign key" in str(error).lower() or "constraint" in str(error).lower()
    else:
        raise AssertionError("the unit was deleted under its reports")
