"""Storage against real databases: migrations, seed, audit chain, jobs, dialog state, org, chats.

Every test runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import math
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from botbuilder.dialogs import DialogInstance, DialogState
from sqlalchemy import JSON, bindparam, func, inspect, select, text, update
from sqlalchemy.engine import Connection

from bot.state import DatabaseStorage, UnsafeStateError
from domain.addresses import Address
from domain.org import SEED_UNITS, OrgFile, Role
from storage import audit, conversations, dialog_state, jobs, org
from storage.audit import audited
from storage.db import Database, alembic_config
from storage.dialog_state import EtagConflict
from storage.models import AuditEvent, ConversationRef, Person, RoleAssignment, Team, Unit
from storage.schema import metadata
from tests.conftest import DatabaseTarget
from tests.support.databases import orm_session, orm_transaction

REPO_ROOT = Path(__file__).resolve().parents[2]
AAD_BO = "0b1d2c3e-0000-4000-8000-00000000000b"
AAD_CARL = "0c1d2c3e-0000-4000-8000-00000000000c"
AAD_DINA = "0d1d2c3e-0000-4000-8000-00000000000d"


# -- migrations --------------------------------------------------------------------------------


def _schema_of(connection: Connection) -> tuple[set[str], list[Any]]:
    """The tables present and the differences between the models and the migrated schema."""
    tables = set(inspect(connection).get_table_names())
    diff = compare_metadata(MigrationContext.configure(connection), metadata)
    return tables, diff


HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


async def _revision(db: Database) -> str:
    async with db.engine.connect() as connection:
        return str(
            (await connection.execute(text("SELECT version_num FROM alembic_version"))).one()[0]
        )


async def test_upgrade_from_empty_creates_every_table_and_matches_the_models(
    database_target: DatabaseTarget,
) -> None:
    """A new deployment gets the schema the code expects: no missing table, no drift."""
    db = database_target.open()
    try:
        async with db.engine.connect() as connection:
            before = set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
        assert before == set()
        await db.upgrade()
        async with db.engine.connect() as connection:
            tables, diff = await connection.run_sync(_schema_of)
        revision = await _revision(db)
    finally:
        await db.dispose()
    assert tables == set(metadata.tables) | {"alembic_version"}
    assert diff == [], f"models and migrations differ: {diff}"
    assert revision == HEAD


async def test_upgrading_twice_is_a_no_op(db: Database) -> None:
    """Every start upgrades; an up-to-date database keeps its revision and its data."""
    revision = await _revision(db)
    async with orm_transaction(db) as session:
        session.add(Unit(name="Kept Across Restarts"))
    await db.upgrade()
    assert await _revision(db) == revision
    async with orm_session(db) as session:
        assert await org.unit_by_name(session, "kept across restarts") is not None


UPGRADE_SCRIPT = """
import asyncio, sys
from storage.db import Database

async def main() -> None:
    db = Database(sys.argv[1], search_path=sys.argv[2] or None)
    try:
        await db.upgrade()
    finally:
        await db.dispose()

asyncio.run(main())
"""
MIGRATION_LOCK = 7242001  # the advisory lock storage/migrations/env.py takes on PostgreSQL


async def _spawn_upgrade(target: DatabaseTarget) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        UPGRADE_SCRIPT,
        target.url,
        target.search_path or "",
        cwd=REPO_ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _wait_for_lock_waiters(db: Database, count: int) -> None:
    """Until `count` sessions queue for the migration lock (a guard, not a timing claim)."""
    for _ in range(600):
        async with db.engine.connect() as connection:
            waiting = await connection.scalar(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND objid = :key AND NOT granted"
                ),
                {"key": MIGRATION_LOCK},
            )
        if waiting is not None and waiting >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the upgrading processes never queued for the migration lock")


async def test_two_processes_upgrading_at_once_both_succeed(
    database_target: DatabaseTarget,
) -> None:
    """Two bot instances starting together on an empty database both come up, one schema."""
    db = database_target.open()
    try:
        if db.is_sqlite:
            processes = [await _spawn_upgrade(database_target) for _ in range(2)]
            outputs = [await process.communicate() for process in processes]
        else:
            # Hold the migration lock until both processes wait for it: they really collide.
            async with db.engine.connect() as holder:
                await holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
                try:
                    processes = [await _spawn_upgrade(database_target) for _ in range(2)]
                    await _wait_for_lock_waiters(db, 2)
                finally:
                    await holder.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK}
                    )
                    await holder.commit()
            outputs = [await process.communicate() for process in processes]
        assert [process.returncode for process in processes] == [0, 0], outputs
        async with db.engine.connect() as connection:
            tables, diff = await connection.run_sync(_schema_of)
        revision = await _revision(db)
    finally:
        await db.dispose()
    assert tables == set(metadata.tables) | {"alembic_version"}
    assert diff == []
    assert revision == HEAD


# -- seed --------------------------------------------------------------------------------------


async def test_seed_creates_the_31_units_once(db: Database) -> None:
    """The network's units are there after start; seeding again adds none."""
    async with orm_session(db) as session:
        names = [unit.name for unit in await org.list_units(session)]
    assert len(SEED_UNITS) == 31
    assert sorted(names) == sorted(SEED_UNITS)
    async with audited(db) as connection:
        assert await org.seed_units(connection) == 0
    async with orm_session(db) as session:
        assert await session.scalar(select(func.count()).select_from(Unit)) == 31


async def test_seed_keeps_a_unit_an_admin_renamed_in_case(db: Database) -> None:
    """A unit whose name only changed case is not seeded a second time."""
    async with orm_transaction(db) as session:
        unit = await org.unit_by_name(session, "Kemi")
        assert unit is not None
        await session.execute(update(Unit).where(Unit.id == unit.id).values(name="KEMI"))
    async with audited(db) as connection:
        assert await org.seed_units(connection) == 0


async def test_unit_names_match_whatever_the_case_also_for_danish_letters(db: Database) -> None:
    """Any spelling of AØR finds the seed unit, on SQLite too (its lower() is ASCII-only)."""
    async with orm_session(db) as session:
        for spelling in ("AØR", "aør", " Aør ", "AøR"):
            unit = await org.unit_by_name(session, spelling)
            assert unit is not None and unit.name == "AØR", spelling
        assert await org.unit_by_name(session, "AOR") is None


async def test_import_naming_a_seed_unit_in_other_case_reuses_it(db: Database) -> None:
    """An org file writing "aør" or "kemi" fills the existing units instead of adding twins."""
    org_file = OrgFile.model_validate(
        {
            "units": [
                {"name": "aør", "leader": [{"upn": "ann@uni.dk"}]},
                {"name": "kemi", "amk": [{"upn": "bo@uni.dk"}]},
            ]
        }
    )
    async with audited(db) as connection:
        summary = await org.import_org(connection, org_file, actor="cli:test")
    assert summary.units_created == []
    async with orm_session(db) as session:
        exported = _roles_by_unit(await org.export_org(session))
        count = await session.scalar(select(func.count()).select_from(Unit))
    assert count == len(SEED_UNITS)
    assert exported["AØR"] == {("leader", "ann@uni.dk")}
    assert exported["Kemi"] == {("amk", "bo@uni.dk")}


# -- audit trail -------------------------------------------------------------------------------


async def _record_events(db: Database, count: int) -> list[int]:
    sequences = []
    for number in range(count):
        async with audited(db) as connection:
            await audit.record(
                connection,
                actor=f"user{number}@uni.dk",
                action="role.assign",
                entity_type="role_assignment",
                entity_id=number,
                before=None,
                after={"role": "leader", "number": number, "note": "æøå"},
            )
        sequences.append(await _sequence_of(db, f"user{number}@uni.dk"))
    return sequences


async def _sequence_of(db: Database, actor: str) -> int:
    async with orm_session(db) as session:
        found = await session.scalars(select(AuditEvent.sequence).where(AuditEvent.actor == actor))
        return int(found.one())


async def _verify(db: Database) -> audit.ChainReport:
    async with orm_session(db) as session:
        return await audit.verify_chain(session)


async def _event_count(db: Database) -> int:
    async with orm_session(db) as session:
        return int(await session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


async def test_audit_chain_is_intact_after_appends(db: Database) -> None:
    """Events written in separate transactions form one verifiable chain."""
    before = await _event_count(db)
    sequences = await _record_events(db, 5)
    assert sequences == list(range(before + 1, before + 6))
    report = await _verify(db)
    assert report.intact, report
    assert report.events == before + 5


async def test_audit_detects_a_changed_after_value(db: Database) -> None:
    """Editing what an event says happened is found, at that event."""
    sequences = await _record_events(db, 5)
    target = sequences[2]
    async with orm_transaction(db) as session:
        await session.execute(
            text('UPDATE audit_event SET "after" = :after WHERE sequence = :seq').bindparams(
                bindparam("after", type_=JSON)
            ),
            {"after": {"role": "amk", "number": 2, "note": "æøå"}, "seq": target},
        )
    report = await _verify(db)
    assert not report.intact
    assert report.first_broken_sequence == target
    assert report.reason == "content changed after it was written"


async def test_audit_detects_a_changed_actor(db: Database) -> None:
    """Blaming someone else for an action is found."""
    sequences = await _record_events(db, 4)
    async with orm_transaction(db) as session:
        await session.execute(
            text("UPDATE audit_event SET actor = 'mallory@uni.dk' WHERE sequence = :seq"),
            {"seq": sequences[1]},
        )
    report = await _verify(db)
    assert report.first_broken_sequence == sequences[1]


async def test_audit_detects_a_deleted_event(db: Database) -> None:
    """Removing an event from the middle of the trail is found at the gap."""
    sequences = await _record_events(db, 5)
    async with orm_transaction(db) as session:
        await session.execute(
            text("DELETE FROM audit_event WHERE sequence = :seq"), {"seq": sequences[2]}
        )
    report = await _verify(db)
    assert not report.intact
    assert report.first_broken_sequence == sequences[3]


async def test_concurrent_appends_keep_one_linear_chain(db: Database) -> None:
    """Forty simultaneous writers, half in ORM sessions and half on the hot path's plain
    connections, never fork the chain nor reuse a sequence number."""
    before = await _event_count(db)

    async def append(number: int) -> int:
        event = {
            "actor": f"worker{number}",
            "action": "test.concurrent",
            "entity_type": "test",
            "entity_id": number,
            "after": {"number": number},
        }
        if number % 2:
            async with audit.audited(db) as connection:
                await audit.record(connection, **event)
        else:
            async with audited(db) as connection:
                await audit.record(connection, **event)
        return await _sequence_of(db, f"worker{number}")

    sequences = await asyncio.gather(*(append(number) for number in range(40)))
    assert sorted(sequences) == list(range(before + 1, before + 41))
    report = await _verify(db)
    assert report.intact, report
    assert report.events == before + 40
    async with orm_session(db) as session:
        actors = set((await session.scalars(select(AuditEvent.actor))).all())
    assert {f"worker{number}" for number in range(40)} <= actors


# -- jobs --------------------------------------------------------------------------------------

HOUR = timedelta(hours=1)


async def test_only_one_of_many_concurrent_claims_wins(db: Database) -> None:
    """Ten instances racing for the same digest: exactly one posts it."""
    key = "digest:channel-1:2026-W48"
    results = await asyncio.gather(*(jobs.claim(db, key, f"worker{i}", HOUR) for i in range(10)))
    assert results.count(True) == 1
    winner = f"worker{results.index(True)}"
    run = await jobs.status_of(db, key)
    assert run is not None
    assert (run.claimed_by, run.status, run.attempts) == (winner, "claimed", 1)


async def test_completed_job_is_never_claimed_again(db: Database) -> None:
    """A digest that was posted is not posted again, even after its lease ran out."""
    key = "digest:channel-1:2026-W49"
    assert await jobs.claim(db, key, "a", timedelta(seconds=-1))
    await jobs.complete(db, key, "a", {"posted": 3})
    assert not await jobs.claim(db, key, "b", HOUR)
    assert not await jobs.claim(db, key, "a", HOUR)
    run = await jobs.status_of(db, key)
    assert run is not None
    assert (run.status, run.claimed_by, run.result) == ("done", "a", {"posted": 3})
    assert run.finished_at is not None


async def test_failed_job_can_be_retried_at_once(db: Database) -> None:
    """A failed post is given back and another worker retries it."""
    key = "digest:channel-1:2026-W50"
    assert await jobs.claim(db, key, "a", HOUR)
    assert not await jobs.claim(db, key, "b", HOUR)
    await jobs.release_failed(db, key, "a", "HTTP 502 from Teams")
    assert await jobs.claim(db, key, "b", HOUR)
    run = await jobs.status_of(db, key)
    assert run is not None
    assert (run.claimed_by, run.status, run.attempts) == ("b", "claimed", 2)
    assert run.last_error == "HTTP 502 from Teams"


async def test_expired_lease_can_be_taken_over(db: Database) -> None:
    """A crashed worker's claim expires; a live one's does not."""
    assert await jobs.claim(db, "expired", "crashed", timedelta(seconds=-1))
    assert await jobs.claim(db, "expired", "rescuer", HOUR)
    assert await jobs.claim(db, "live", "busy", HOUR)
    assert not await jobs.claim(db, "live", "intruder", HOUR)
    expired = await jobs.status_of(db, "expired")
    live = await jobs.status_of(db, "live")
    assert expired is not None and live is not None
    assert (expired.claimed_by, expired.attempts) == ("rescuer", 2)
    assert live.claimed_by == "busy"


async def test_worker_that_lost_its_claim_cannot_finish_it(db: Database) -> None:
    """A slow worker whose lease was taken over does not mark the new holder's run done."""
    key = "reminder:42"
    assert await jobs.claim(db, key, "slow", timedelta(seconds=-1))
    assert await jobs.claim(db, key, "fresh", HOUR)
    await jobs.complete(db, key, "slow", {"late": True})
    await jobs.release_failed(db, key, "slow", "late failure")
    run = await jobs.status_of(db, key)
    assert run is not None
    assert (run.status, run.claimed_by, run.result) == ("claimed", "fresh", None)


# -- dialog state ------------------------------------------------------------------------------


async def test_dialog_state_write_read_update(db: Database) -> None:
    """State written in one turn is there in the next, with a fresh etag per write."""
    first = await dialog_state.write(db, "conv/user", '{"step": 1}', None)
    assert await dialog_state.read(db, ["conv/user", "missing"]) == {
        "conv/user": (first, '{"step": 1}')
    }
    second = await dialog_state.write(db, "conv/user", '{"step": 2}', first)
    assert second != first
    assert await dialog_state.read(db, ["conv/user"]) == {"conv/user": (second, '{"step": 2}')}


async def test_dialog_state_stale_etag_is_refused(db: Database) -> None:
    """Two turns racing on the same state: the second writer loses and changes nothing."""
    first = await dialog_state.write(db, "conv/user", '{"step": 1}', None)
    second = await dialog_state.write(db, "conv/user", '{"step": 2}', first)
    with pytest.raises(EtagConflict):
        await dialog_state.write(db, "conv/user", '{"step": "stale"}', first)
    assert await dialog_state.read(db, ["conv/user"]) == {"conv/user": (second, '{"step": 2}')}


async def test_dialog_state_concurrent_writers_with_one_etag(db: Database) -> None:
    """Of two simultaneous writes based on the same read, exactly one is kept."""
    etag = await dialog_state.write(db, "conv/user", "0", None)
    outcomes = await asyncio.gather(
        dialog_state.write(db, "conv/user", "a", etag),
        dialog_state.write(db, "conv/user", "b", etag),
        return_exceptions=True,
    )
    conflicts = [item for item in outcomes if isinstance(item, EtagConflict)]
    etags = [item for item in outcomes if isinstance(item, str)]
    assert len(conflicts) == 1 and len(etags) == 1
    stored = (await dialog_state.read(db, ["conv/user"]))["conv/user"]
    assert stored[0] == etags[0]
    assert stored[1] == ("a" if outcomes[0] == etags[0] else "b")


async def test_dialog_state_new_key_must_be_new(db: Database) -> None:
    """Writing without an etag never overwrites someone else's state."""
    etag = await dialog_state.write(db, "conv/user", "mine", None)
    with pytest.raises(EtagConflict):
        await dialog_state.write(db, "conv/user", "theirs", None)
    assert await dialog_state.read(db, ["conv/user"]) == {"conv/user": (etag, "mine")}


async def test_dialog_state_star_overwrites_or_creates(db: Database) -> None:
    """`*` is last-writer-wins, for an existing key or a new one."""
    await dialog_state.write(db, "a", "old", None)
    etag_a = await dialog_state.write(db, "a", "new", "*")
    etag_b = await dialog_state.write(db, "b", "created", "*")
    assert await dialog_state.read(db, ["a", "b"]) == {
        "a": (etag_a, "new"),
        "b": (etag_b, "created"),
    }


async def test_dialog_state_remove(db: Database) -> None:
    await dialog_state.write(db, "a", "1", None)
    await dialog_state.write(db, "b", "2", None)
    await dialog_state.remove(db, ["a", "never-written"])
    assert set(await dialog_state.read(db, ["a", "b"])) == {"b"}
    await dialog_state.write(db, "a", "again", None)


def _dialog_state() -> DialogState:
    return DialogState(
        [
            DialogInstance(id="main", state={"options": None, "values": {"instanceId": "x"}}),
            DialogInstance(
                id="admin.prompt",
                state={"card": {"type": "AdaptiveCard", "body": []}, "actions": ["admin.show"]},
            ),
        ]
    )


def _stack(state: DialogState) -> list[tuple[str, dict[str, Any]]]:
    return [(instance.id, instance.state) for instance in state.dialog_stack]


async def test_database_storage_round_trips_a_dialog_stack(database_target: DatabaseTarget) -> None:
    """A half-finished dialog survives a restart (a new Database handle) with its etag."""
    original = _dialog_state()
    db = database_target.open()
    await db.upgrade()
    try:
        await DatabaseStorage(db).write({"conv/user/dialogs": original})
        assert original.e_tag
    finally:
        await db.dispose()
    restarted = database_target.open()
    try:
        storage = DatabaseStorage(restarted)
        items = await storage.read(["conv/user/dialogs", "missing"])
        assert set(items) == {"conv/user/dialogs"}
        restored = items["conv/user/dialogs"]
        assert isinstance(restored, DialogState)
        assert isinstance(restored.dialog_stack[0], DialogInstance)
        assert _stack(restored) == _stack(_dialog_state())
        assert restored.e_tag == original.e_tag
        restored.dialog_stack.pop()
        await storage.write({"conv/user/dialogs": restored})
        with pytest.raises(EtagConflict):
            await storage.write({"conv/user/dialogs": original})
        again = (await storage.read(["conv/user/dialogs"]))["conv/user/dialogs"]
        assert [instance.id for instance in again.dialog_stack] == ["main"]
    finally:
        await restarted.dispose()


async def test_database_storage_round_trips_bot_state_dicts(db: Database) -> None:
    """ConversationState stores a dict holding the DialogState; `e_tag` rides along."""
    storage = DatabaseStorage(db)
    item: dict[Any, Any] = {"DialogState": _dialog_state(), "lang": "da", 3: "int key"}
    await storage.write({"conv": item})
    restored = (await storage.read(["conv"]))["conv"]
    assert restored["e_tag"] == item["e_tag"]
    assert restored["lang"] == "da"
    assert restored[3] == "int key"
    assert _stack(restored["DialogState"]) == _stack(_dialog_state())
    await storage.delete(["conv"])
    assert await storage.read(["conv"]) == {}


@pytest.mark.parametrize(
    "payload",
    [
        {"py/object": "os.system"},
        {"DialogState": {"py/object": "subprocess.Popen", "args": ["id"]}},
        {"stack": [{"py/type": "builtins.eval"}]},
    ],
)
async def test_database_storage_refuses_foreign_classes(
    db: Database, payload: dict[str, Any]
) -> None:
    """A state row that names a class outside the Bot Framework is never unpickled."""
    await dialog_state.write(db, "evil", json.dumps(payload), None)
    with pytest.raises(UnsafeStateError):
        await DatabaseStorage(db).read(["evil"])


@pytest.mark.parametrize("tag", ["py/reduce", "py/repr"])
async def test_database_storage_refuses_code_in_other_tags(
    db: Database, tmp_path: Path, tag: str
) -> None:
    """A state row must not be able to run code when read (here: create a directory)."""
    target = tmp_path / "should-not-exist"
    payload: dict[str, Any]
    if tag == "py/reduce":
        payload = {"py/reduce": [{"py/function": "os.makedirs"}, {"py/tuple": [str(target)]}]}
    else:
        payload = {"py/repr": f"os/os.makedirs({str(target)!r})"}
    await dialog_state.write(db, "evil", json.dumps({"x": payload}), None)
    with pytest.raises(UnsafeStateError):
        await DatabaseStorage(db).read(["evil"])
    assert not await asyncio.to_thread(target.exists)


# -- organisation ------------------------------------------------------------------------------


def _org_file(*, with_bo: bool = True, with_secretariat: bool = True) -> OrgFile:
    kemi: dict[str, Any] = {
        "name": "Kemi",
        "leader": [{"upn": "Ann@Uni.dk", "name": "Ann Leder"}],
        "precursor_contact": [{"aad_object_id": AAD_CARL, "upn": "carl@uni.dk"}],
    }
    if with_bo:
        kemi["amk"] = [{"aad_object_id": AAD_BO, "name": "Bo"}]
    return OrgFile.model_validate(
        {
            "units": [
                kemi,
                {"name": "Nyt Center", "leader": [{"upn": "ann@uni.dk"}]},
            ],
            "secretariat": [{"upn": "sec@uni.dk"}] if with_secretariat else [],
        }
    )


def _roles_by_unit(org_file: OrgFile) -> dict[str, set[tuple[str, str]]]:
    """{unit: {(role, person key)}} for units that have roles."""
    found: dict[str, set[tuple[str, str]]] = {}
    for unit in org_file.units:
        for role, people in unit.people_by_role().items():
            for person in people:
                found.setdefault(unit.name, set()).add((role.value, person.key))
    found["*secretariat*"] = {(Role.SECRETARIAT.value, p.key) for p in org_file.secretariat}
    return found


async def _audit_actions(db: Database) -> list[str]:
    async with orm_session(db) as session:
        query = select(AuditEvent.action).order_by(AuditEvent.sequence)
        return list((await session.scalars(query)).all())


async def test_import_then_export_gives_the_same_organisation(db: Database) -> None:
    """What an operator imports is what they get back, people found by UPN or object id."""
    events_before = len(await _audit_actions(db))
    async with audited(db) as connection:
        summary = await org.import_org(connection, _org_file(), actor="cli:test")
    assert summary.units_created == ["Nyt Center"]
    assert (summary.roles_added, summary.roles_removed) == (5, 0)
    async with orm_session(db) as session:
        exported = await org.export_org(session)
    assert _roles_by_unit(exported) == {
        "Kemi": {
            ("leader", "ann@uni.dk"),
            ("amk", AAD_BO),
            ("precursor_contact", "carl@uni.dk"),
        },
        "Nyt Center": {("leader", "ann@uni.dk")},
        "*secretariat*": {("secretariat", "sec@uni.dk")},
    }
    assert len(exported.units) == 32
    carl = next(unit.precursor_contact[0] for unit in exported.units if unit.name == "Kemi")
    assert carl.aad_object_id == AAD_CARL
    new_events = (await _audit_actions(db))[events_before:]
    assert sorted(new_events) == sorted(["unit.create"] + ["role.assign"] * 5)
    async with orm_session(db) as session:
        people = await session.scalar(select(func.count()).select_from(Person))
    assert people == 4
    assert (await _verify(db)).intact


async def test_reimporting_the_same_file_changes_nothing(db: Database) -> None:
    async with audited(db) as connection:
        await org.import_org(connection, _org_file(), actor="cli:test")
    events = len(await _audit_actions(db))
    async with audited(db) as connection:
        summary = await org.import_org(connection, _org_file(), actor="cli:test")
    assert (summary.units_created, summary.roles_added, summary.roles_removed) == ([], 0, 0)
    assert len(await _audit_actions(db)) == events


async def test_import_removes_roles_the_file_no_longer_lists(db: Database) -> None:
    """Dropping Bo as AMK and the secretariat removes exactly those roles, audited."""
    async with audited(db) as connection:
        await org.import_org(connection, _org_file(), actor="cli:test")
    events = len(await _audit_actions(db))
    async with audited(db) as connection:
        summary = await org.import_org(
            connection, _org_file(with_bo=False, with_secretariat=False), actor="cli:second"
        )
    assert (summary.units_created, summary.roles_added, summary.roles_removed) == ([], 0, 2)
    async with orm_session(db) as session:
        exported = _roles_by_unit(await org.export_org(session))
        removals = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "role.remove"))
        ).all()
    assert exported["Kemi"] == {("leader", "ann@uni.dk"), ("precursor_contact", "carl@uni.dk")}
    assert exported["*secretariat*"] == set()
    assert len(await _audit_actions(db)) == events + 2
    assert {event.actor for event in removals} == {"cli:second"}
    assert sorted(event.before["role"] for event in removals if event.before) == [
        "amk",
        "secretariat",
    ]


async def test_import_leaves_units_it_does_not_list_alone(db: Database) -> None:
    """A file about some units does not wipe the roles of the others."""
    async with audited(db) as connection:
        await org.import_org(connection, _org_file(), actor="cli:test")
    only_kemi = OrgFile.model_validate(
        {"units": [_org_file().units[0].model_dump()], "secretariat": [{"upn": "sec@uni.dk"}]}
    )
    async with audited(db) as connection:
        summary = await org.import_org(connection, only_kemi, actor="cli:test")
        exported = _roles_by_unit(await org.export_org(connection))
    assert summary.roles_removed == 0
    assert exported["Nyt Center"] == {("leader", "ann@uni.dk")}


async def test_teams_user_merges_with_the_person_an_import_created(db: Database) -> None:
    """Ann imported by UPN, then writing in Teams with object id + UPN, is one person
    who holds her roles."""
    async with audited(db) as connection:
        await org.import_org(connection, _org_file(), actor="cli:test")
    async with audited(db) as connection:
        person = await org.upsert_person(
            connection, aad_object_id=AAD_DINA.upper(), upn="ANN@uni.dk", name="Ann L."
        )
        person_id = person.id
    async with orm_session(db) as session:
        anns = (
            await session.scalars(
                select(Person).where(
                    (Person.upn == "ann@uni.dk") | (Person.aad_object_id == AAD_DINA)
                )
            )
        ).all()
        roles = await org.roles_of(session, person_id)
        names = {unit.id: unit.name for unit in await org.list_units(session, only_active=False)}
    assert [ann.id for ann in anns] == [person_id]
    assert anns[0].aad_object_id == AAD_DINA
    assert anns[0].name == "Ann L."
    assert sorted((names[r.unit_id] if r.unit_id else "", r.role) for r in roles) == [
        ("Kemi", "leader"),
        ("Nyt Center", "leader"),
    ]


async def test_teams_user_seen_first_merges_with_a_later_imported_upn(db: Database) -> None:
    """Someone who wrote before their UPN was known, then got a role by UPN, ends up as
    one person holding that role once Teams tells us their UPN."""
    async with audited(db) as connection:
        first = await org.upsert_person(connection, aad_object_id=AAD_DINA, upn=None, name="Dina")
        first_id = first.id
    async with audited(db) as connection:
        kemi = await org.unit_by_name(connection, "Kemi")
        invited = await org.upsert_person(
            connection, aad_object_id=None, upn="dina@uni.dk", name=None
        )
        assert invited.id != first_id
        await org.assign_role(
            connection, actor="admin", unit=kemi, person=invited, role=Role.LEADER
        )
    async with audited(db) as connection:
        person = await org.upsert_person(
            connection, aad_object_id=AAD_DINA, upn="dina@uni.dk", name="Dina"
        )
        assert person.id == first_id
    async with orm_session(db) as session:
        dinas = (
            await session.scalars(
                select(Person).where(
                    (Person.upn == "dina@uni.dk") | (Person.aad_object_id == AAD_DINA)
                )
            )
        ).all()
        holders = await org.holders(session, kemi.id if kemi else None, Role.LEADER)
    assert [(p.id, p.upn, p.aad_object_id) for p in dinas] == [(first_id, "dina@uni.dk", AAD_DINA)]
    assert [p.id for p in holders] == [first_id]
    assert (await _verify(db)).intact


async def test_upn_of_another_account_is_not_taken_over(db: Database) -> None:
    """Two different Entra accounts never merge, even if one claims the other's UPN."""
    async with audited(db) as connection:
        bo = await org.upsert_person(connection, aad_object_id=AAD_BO, upn="bo@uni.dk", name="Bo")
        other = await org.upsert_person(
            connection, aad_object_id=AAD_CARL, upn="bo@uni.dk", name="Carl"
        )
        assert other.id != bo.id
        assert (bo.upn, other.upn) == ("bo@uni.dk", None)


# -- conversations -----------------------------------------------------------------------------


def _address(conversation_id: str, kind: str = "channel", **fields: Any) -> Address:
    return Address(
        conversation_id=conversation_id,
        kind=kind,
        service_url="https://smba.example/emea/",
        tenant_id="tenant",
        bot_id="28:bot",
        **fields,
    )


async def test_claim_post_is_idempotent(db: Database) -> None:
    """The same digest or card is one posted row, however often (or concurrently) it is sent."""
    async with orm_transaction(db) as session:
        ref = await conversations.remember(session, _address("a:chat", kind="personal"))
        ref_id = ref.id
    first = await conversations.claim_post(
        db, dedupe_key="digest:a:chat:2026-W48", conversation_ref_id=ref_id
    )
    again = await conversations.claim_post(
        db, dedupe_key="digest:a:chat:2026-W48", conversation_ref_id=ref_id
    )
    assert again.id == first.id
    assert again.status == "sending"
    racing = await asyncio.gather(
        *(
            conversations.claim_post(db, dedupe_key="card:req:7", conversation_ref_id=ref_id)
            for _ in range(5)
        )
    )
    assert len({post.id for post in racing}) == 1
    await conversations.mark_sent(
        db, first.id, activity_id="activity-1", thread_conversation_id=None
    )
    third = await conversations.claim_post(
        db, dedupe_key="digest:a:chat:2026-W48", conversation_ref_id=ref_id
    )
    assert (third.id, third.status, third.activity_id) == (first.id, "sent", "activity-1")


async def test_removing_a_team_deactivates_its_channels(db: Database) -> None:
    """After the bot is removed from a team, none of its channels is posted to."""
    async with audited(db) as connection:
        team = await conversations.install_team(
            connection,
            team_id="19:team",
            name="AMK-netværket",
            aad_group_id=None,
            tenant_id="tenant",
            service_url="https://smba.example/emea/",
            actor="29:ann",
        )
        for channel in ("19:general", "19:digest"):
            await conversations.remember(
                connection, _address(channel, channel_id=channel), team=team
            )
        await conversations.remember(connection, _address("a:personal", kind="personal"))
    async with audited(db) as connection:
        assert await conversations.remove_team(connection, team_id="19:team", actor="29:ann")
        assert not await conversations.remove_team(connection, team_id="19:unknown", actor=None)
    async with orm_session(db) as session:
        channels = await conversations.team_channels(session, "19:team")
        stored_team = (await session.execute(select(Team))).scalar_one()
        personal = (
            await session.scalars(
                select(ConversationRef).where(ConversationRef.conversation_id == "a:personal")
            )
        ).one()
    assert [(c.conversation_id, c.active) for c in channels] == [
        ("19:general", False),
        ("19:digest", False),
    ]
    assert (stored_team.active, stored_team.removed_at is not None) == (False, True)
    assert personal.active
    actions = await _audit_actions(db)
    assert actions[-2:] == ["team.install", "team.remove"]


async def test_reinstalling_a_team_is_audited_again(db: Database) -> None:
    """Install, remove, install: the team is active again and each step is in the trail."""
    fields: dict[str, Any] = {
        "team_id": "19:team",
        "name": "AMK",
        "aad_group_id": None,
        "tenant_id": "t",
        "service_url": "https://smba.example/",
        "actor": None,
    }
    async with audited(db) as connection:
        await conversations.install_team(connection, **fields)
        await conversations.install_team(connection, **fields)
    async with audited(db) as connection:
        await conversations.remove_team(connection, team_id="19:team", actor=None)
    async with audited(db) as connection:
        team = await conversations.install_team(connection, **fields)
        assert team.active and team.removed_at is None
    assert (await _audit_actions(db))[-3:] == ["team.install", "team.remove", "team.install"]


async def test_role_assignments_are_removed_with_their_unit(db: Database) -> None:
    """Foreign keys hold on both backends: deleting a unit takes its role rows with it."""
    async with audited(db) as connection:
        await org.import_org(connection, _org_file(), actor="cli:test")
    async with orm_transaction(db) as session:
        await session.execute(text("DELETE FROM unit WHERE name = 'Nyt Center'"))
    async with orm_session(db) as session:
        units = await session.scalars(
            select(RoleAssignment.unit_id).where(RoleAssignment.unit_id.is_not(None))
        )
        remaining = set(units.all())
        kemi = await org.unit_by_name(session, "Kemi")
    assert kemi is not None
    assert remaining == {kemi.id}


async def test_database_storage_keeps_dates_and_tuples(db: Database) -> None:
    """Dialogs may keep a chosen date or time in their state across turns."""
    from datetime import UTC, date, datetime

    storage = DatabaseStorage(db)
    moment = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)
    await storage.write({"conv": {"values": {"when": moment, "day": date(2026, 12, 1)}}})
    restored = (await storage.read(["conv"]))["conv"]
    assert restored["values"] == {"when": moment, "day": date(2026, 12, 1)}
    with pytest.raises(TypeError):
        await storage.write({"other": {"thing": object()}})


async def test_database_storage_keeps_any_integer_and_letters_and_reads_older_rows(
    db: Database,
) -> None:
    """A number typed into a form stays that number whatever its size; æøå stay letters; a
    row written before the current encoding (with NaN, as `json` wrote it) still reads."""
    storage = DatabaseStorage(db)
    huge = 12345678901234567890123456789
    values = {"huge": huge, "negative": -(2**70), "edge": 2**64 - 1, "text": "Ærø åbner"}
    await storage.write({"conv": {"values": values}})
    assert (await storage.read(["conv"]))["conv"]["values"] == values
    stored = await dialog_state.read(db, ["conv"])
    assert "Ærø åbner" in stored["conv"][1]
    await dialog_state.write(db, "legacy", '{"values":{"ratio":NaN,"n":1}}', None)
    restored = (await storage.read(["legacy"]))["legacy"]["values"]
    assert math.isnan(restored["ratio"]) and restored["n"] == 1


async def test_sqlite_writers_take_turns_in_order_and_a_stuck_one_blocks_no_one_forever(
    db: Database,
) -> None:
    """Writers in one process wait their turn in arrival order; nobody waits without end."""
    if not db.is_sqlite:
        pytest.skip("PostgreSQL has row locks, not one writer at a time")
    order: list[int] = []
    release = asyncio.Event()

    async def writer(number: int) -> None:
        async with orm_transaction(db) as session:
            order.append(number)
            await session.execute(select(func.count()).select_from(Unit))
            if number == 0:
                await release.wait()

    first = asyncio.create_task(writer(0))
    await asyncio.sleep(0.05)
    others = [asyncio.create_task(writer(number)) for number in range(1, 6)]
    await asyncio.sleep(0.05)
    assert order == [0]
    release.set()
    await asyncio.gather(first, *others)
    assert order == [0, 1, 2, 3, 4, 5]

    db.write_wait_seconds = 0.2
    stuck = asyncio.Event()
    holder = asyncio.create_task(writer(0))
    release.clear()
    await asyncio.sleep(0.05)
    with pytest.raises(Exception, match="database is locked"):
        async with orm_transaction(db):
            stuck.set()
    assert not stuck.is_set()
    release.set()
    await holder
    async with orm_transaction(db) as session:
        assert await session.scalar(select(func.count()).select_from(Unit))


async def test_events_of_a_failed_transaction_are_not_chained(db: Database) -> None:
    """An audited change that rolls back leaves no event; the next one chains on."""
    before = await _event_count(db)
    with pytest.raises(RuntimeError):
        async with audited(db) as connection:
            await audit.record(connection, actor="ghost", action="test.rollback", entity_type="t")
            raise RuntimeError("the change failed")
    sequences = await _record_events(db, 2)
    assert sequences == [before + 1, before + 2]
    report = await _verify(db)
    assert report.intact and report.events == before + 2
    async with orm_session(db) as session:
        assert not (
            await session.scalars(select(AuditEvent).where(AuditEvent.actor == "ghost"))
        ).all()


async def test_several_events_of_one_transaction_chain_in_order(db: Database) -> None:
    before = await _event_count(db)
    async with audited(db) as connection:
        for number in range(3):
            await audit.record(
                connection, actor=f"batch{number}", action="test.batch", entity_type="t"
            )
    assert [await _sequence_of(db, f"batch{number}") for number in range(3)] == [
        before + 1,
        before + 2,
        before + 3,
    ]
    assert (await _verify(db)).intact
