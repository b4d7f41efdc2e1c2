"""`org sync`: the roles taken from Entra ID groups through the (fake) Microsoft Graph over
HTTPS, printed as a diff with --dry-run and otherwise applied all at once, audited; bad
input (a group that does not exist, one of 20,000 members, a person in two units' leader
groups, a deleted owner of open tasks) gets a clear message and no half-applied sync."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
import yaml
from sqlalchemy import func, select

from bot import org_sync_cli
from bot.__main__ import main
from bot.composition import ORG_SYNC_ACTOR
from bot.config import GraphSettings, Settings
from bot.org_directory import EntraDirectory, entra_directory
from domain.i18n import COPENHAGEN
from domain.org import OrgFile
from domain.org_mapping import SyncMapping
from services.org_sync import OrgSync
from services.org_sync_jobs import OrgSyncJob
from storage import org
from storage.audit import audited
from storage.db import Database
from storage.models import AuditEvent, Person, RoleAssignment, Unit
from storage.wellbeing_models import WellbeingActionItem
from tests.support.card_nodes import walk
from tests.support.databases import orm_session, orm_transaction
from tests.support.fake_graph import FakeGraph
from tests.support.teams import BotUnderTest, User, make_user

LISE = make_user("Lise Leder", "lise@uni.dk")
OLE = make_user("Ole Amk", "ole@uni.dk")
FRIDA = make_user("Frida Fysik", "frida@uni.dk")
SARA = make_user("Sara Sekretariat", "sara@uni.dk")
KAI = make_user("Kai Kontor", "kai@uni.dk")
MIA = make_user("Mia Miljø", "mia@uni.dk")
BENT = make_user("Bent Borte", "bent@uni.dk")  # deleted in Entra ID
OTTO = make_user("Otto Ejer", "otto@uni.dk")
ADMIN = make_user("Anne Admin", "admin@uni.dk")


def group() -> str:
    return str(uuid.uuid4())


KEMI_LEADERS, KEMI_AMK, FYSIK_LEADERS, FYSIK_AMK, SECRETARIAT, COORDINATORS = (
    group() for _ in range(6)
)


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


@pytest.fixture
async def directory(graph: FakeGraph) -> AsyncIterator[EntraDirectory]:
    client = entra_directory(graph.settings())
    try:
        yield client
    finally:
        await client.close()


def person(user: User) -> dict[str, str]:
    return {"upn": user.upn, "aad_object_id": user.aad, "name": user.name}


async def setup(bot: BotUnderTest, graph: FakeGraph) -> dict[str, int]:
    """The bot's roles (as `org import` left them): Kemi led by Lise with the AMK Ole and
    Bent as precursor contact, Fysik led by Frida, Sara in the secretariat. Entra ID: the
    same people in the same groups (Ole through a nested group), Bent deleted."""
    assert bot.runtime is not None
    unit_file = {
        "units": [
            {
                "name": "Kemi",
                "leader": [person(LISE)],
                "amk": [person(OLE)],
                "precursor_contact": [person(BENT)],
            },
            {"name": "Fysik", "leader": [person(FRIDA)]},
        ],
        "secretariat": [person(SARA)],
    }
    async with audited(bot.runtime.db) as connection:
        await org.import_org(connection, OrgFile.model_validate(unit_file), actor="test")
        units = dict((await connection.execute(select(Unit.name, Unit.id))).all())
    for user in (LISE, OLE, FRIDA, SARA, KAI, MIA, OTTO):
        graph.add_user(user.aad, user.upn, user.name)
    graph.groups.update(
        {
            KEMI_LEADERS: [LISE.aad],
            KEMI_AMK: [COORDINATORS],
            COORDINATORS: [OLE.aad],
            FYSIK_LEADERS: [FRIDA.aad],
            FYSIK_AMK: [],
            SECRETARIAT: [SARA.aad, KAI.aad, MIA.aad],
        }
    )
    return {name: int(unit_id) for name, unit_id in units.items()}


def mapping(**changes: Any) -> SyncMapping:
    raw: dict[str, Any] = {
        "units": [
            {"name": "Kemi", "leader": [KEMI_LEADERS], "amk": [KEMI_AMK], "precursor_contact": []},
            {"name": "Fysik", "leader": [FYSIK_LEADERS], "amk": [FYSIK_AMK]},
        ],
        "secretariat": [SECRETARIAT],
    }
    raw.update(changes)
    return SyncMapping.model_validate(raw)


async def roles(bot: BotUnderTest) -> set[tuple[str, str, str]]:
    """(unit or "*", role, UPN) for every role the bot has now."""
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        rows = await session.execute(
            select(Unit.name, RoleAssignment.role, Person.upn)
            .join(Person, Person.id == RoleAssignment.person_id)
            .outerjoin(Unit, Unit.id == RoleAssignment.unit_id)
        )
        return {(unit or "*", role, upn) for unit, role, upn in rows}


async def audit_events(bot: BotUnderTest) -> list[AuditEvent]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list((await session.scalars(select(AuditEvent).order_by(AuditEvent.id))).all())


async def run(
    bot: BotUnderTest, directory: EntraDirectory, sync_mapping: SyncMapping, *, dry_run: bool
) -> tuple[int, list[str], list[str]]:
    """The command's own code on the test's database: exit code, printed lines, errors."""
    assert bot.runtime is not None
    out: list[str] = []
    err: list[str] = []
    code = await org_sync_cli.sync(
        bot.runtime.db,
        directory,
        bot.runtime.notifier,
        sync_mapping,
        dry_run=dry_run,
        out=out.append,
        err=err.append,
    )
    await bot.runtime.background.drain()
    return code, out, err


def move_ole_to_fysik(graph: FakeGraph) -> None:
    """In Entra ID, Ole leaves Kemi's AMK group (its nested group) for Fysik's."""
    graph.groups[COORDINATORS] = []
    graph.groups[FYSIK_AMK] = [OLE.aad]


async def test_dry_run_prints_the_diff_and_changes_nothing(
    bot: BotUnderTest, graph: FakeGraph, directory: EntraDirectory
) -> None:
    await setup(bot, graph)
    move_ole_to_fysik(graph)
    before_roles, before_events = await roles(bot), len(await audit_events(bot))

    code, out, err = await run(bot, directory, mapping(), dry_run=True)

    assert (code, err) == (0, [])
    assert "- Kemi amk: Ole Amk <ole@uni.dk>" in out
    assert "+ Fysik amk: Ole Amk <ole@uni.dk>" in out
    assert "+ university secretariat: Kai Kontor <kai@uni.dk>" in out
    assert "- Kemi precursor_contact: Bent Borte <bent@uni.dk>" in out
    assert out[-1] == (
        "dry run, nothing changed: 3 role(s) to add, 2 to remove, "
        "0 open task(s) of users deleted in Entra ID"
    )
    assert await roles(bot) == before_roles
    assert len(await audit_events(bot)) == before_events
    # the secretariat's three members came in pages of two, following the next link
    pages = graph.graph_calls("GET", f"/groups/{SECRETARIAT}/transitiveMembers")
    assert len(pages) == 2 and pages[1].query["$skiptoken"] == "2"


async def test_a_sync_moves_an_amk_to_another_unit_and_the_audit_trail_shows_both(
    bot: BotUnderTest, graph: FakeGraph, directory: EntraDirectory
) -> None:
    units = await setup(bot, graph)
    move_ole_to_fysik(graph)
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        ole = await org.find_person(session, aad_object_id=OLE.aad)
    assert ole is not None
    people_before = await _count(bot, Person)

    code, out, err = await run(bot, directory, mapping(), dry_run=False)

    assert (code, err) == (0, [])
    assert out[-1].startswith("synchronised: 3 role(s) added, 2 removed")
    now = await roles(bot)
    assert ("Fysik", "amk", OLE.upn) in now and ("Kemi", "amk", OLE.upn) not in now
    assert {("*", "secretariat", KAI.upn), ("*", "secretariat", MIA.upn)} <= now
    assert not any(upn == BENT.upn for _, _, upn in now)
    events = [e for e in await audit_events(bot) if e.actor == org_sync_cli.ACTOR]
    removed = [e.before for e in events if e.action == "role.remove"]
    added = [e.after for e in events if e.action == "role.assign"]
    assert {"person_id": ole.id, "unit_id": units["Kemi"], "role": "amk"} in removed
    assert {"person_id": ole.id, "unit_id": units["Fysik"], "role": "amk"} in added
    assert [e.action for e in events][-1] == "org.sync"
    # the same person moved (their history stays theirs); Kai and Mia are new to the bot
    assert await _count(bot, Person) == people_before + 2

    again, out, _ = await run(bot, directory, mapping(), dry_run=False)
    assert again == 0 and out[-1].startswith("synchronised: 0 role(s) added, 0 removed")


async def test_graph_throttling_is_waited_out_as_retry_after_says(
    bot: BotUnderTest, graph: FakeGraph, directory: EntraDirectory
) -> None:
    await setup(bot, graph)
    move_ole_to_fysik(graph)
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    directory.graph.sleep = record
    graph.throttle(3, "7")

    code, _, err = await run(bot, directory, mapping(), dry_run=False)

    assert (code, err) == (0, [])
    assert waits == [7.0, 7.0, 7.0]
    assert ("Fysik", "amk", OLE.upn) in await roles(bot)


async def test_a_group_that_does_not_exist_stops_the_whole_sync(
    bot: BotUnderTest, graph: FakeGraph, directory: EntraDirectory
) -> None:
    await setup(bot, graph)
    move_ole_to_fysik(graph)
    missing = group()
    before_roles, before_events = await roles(bot), len(await audit_events(bot))

    broken = mapping()
    broken.units[1].amr = [missing]
    code, out, err = await run(bot, directory, broken, dry_run=False)

    assert code == 1 and out == []
    assert err[0] == (
        f"error: group {missing} (Fysik amr) does not exist in Entra ID: "
        "check the id in the mapping file"
    )
    assert err[-1].startswith("nothing was changed: 1 problem(s)")
    assert await roles(bot) == before_roles  # Ole's move is not applied either
    assert len(await audit_events(bot)) == before_events


async def test_someone_in_two_units_leader_groups_is_named_with_both_units(
    bot: BotUnderTest, graph: FakeGraph, directory: EntraDirectory
) -> None:
    await setup(bot, graph)
    graph.groups[FYSIK_LEADERS].append(LISE.aad)
    graph.groups[SECRETARIAT].append(OTTO.aad)
    before_roles = await roles(bot)

    code, out, err = await run(bot, directory, mapping(), dry_run=False)

    assert code == 1 and out == []
    assert err[0] == (
        f"error: Lise Leder <lise@uni.dk> is in the leader groups of 2 units: "
        f"Kemi (group {KEMI_LEADERS}), Fysik (group {FYSIK_LEADERS}); a person leads one "
        "unit here, so remove them from all but one of these groups"
    )
    assert await roles(bot) == before_roles


@pytest.mark.parametrize("database_target", ["sqlite"], indirect=True)
async def test_a_group_of_20000_is_read_page_by_page_and_refused_as_a_role_group(
    bot: BotUnderTest, graph: FakeGraph, directory: EntraDirectory
) -> None:
    await setup(bot, graph)
    everyone = group()
    graph.groups[everyone] = [
        graph.add_user(str(uuid.uuid4()), f"ansat{n}@uni.dk", f"Ansat {n}") for n in range(20_000)
    ]
    graph.page_size = 999
    before_roles = await roles(bot)

    code, out, err = await run(
        bot, directory, mapping(units=[{"name": "Kemi", "amk": [everyone]}]), dry_run=True
    )

    assert code == 1 and out == []
    assert err[0] == (
        f"error: group {everyone} (Kemi amk) has 20000 members, more than max_role_members "
        "(500): a role group holds the few people with that role; is it the right group?"
    )
    pages = graph.graph_calls("GET", f"/groups/{everyone}/transitiveMembers")
    assert len(pages) == 21 and all(call.status == 200 for call in pages)
    assert pages[0].query["$top"] == "999"
    assert await roles(bot) == before_roles


async def test_open_tasks_of_a_user_deleted_in_entra_are_listed_to_the_amk(
    bot: BotUnderTest, graph: FakeGraph, directory: EntraDirectory
) -> None:
    units = await setup(bot, graph)
    await bot.install_personal(OLE)
    assert bot.runtime is not None
    async with audited(bot.runtime.db) as connection:
        bent = await org.find_person(connection, aad_object_id=BENT.aad)
        lise = await org.find_person(connection, aad_object_id=LISE.aad)
        # Otto was typed as an owner by e-mail and has never written to the bot
        otto = await org.upsert_person(connection, aad_object_id=None, upn=OTTO.upn, name=None)
        assert bent is not None and lise is not None
    async with orm_transaction(bot.runtime.db) as session:
        for owner, action in ((bent, "Nye stole i laboratoriet"), (otto, "Stilletimer")):
            session.add(
                WellbeingActionItem(
                    unit_id=units["Kemi"],
                    problem="Ondt i ryggen",
                    action=action,
                    owner_id=owner.id,
                    deadline=date(2026, 12, 18),
                    follow_up_on=date(2027, 2, 1),
                    created_by_id=lise.id,
                )
            )
    bot.connector.clear()

    code, out, err = await run(bot, directory, mapping(), dry_run=True)
    assert (code, err) == (0, [])
    assert any(line.startswith("! Kemi: Bent Borte is not in Entra ID") for line in out)
    assert not any("Otto" in line or OTTO.upn in line for line in out)
    assert bot.connector.messages() == []  # a dry run tells nobody

    code, out, err = await run(bot, directory, mapping(), dry_run=False)
    assert (code, err) == (0, [])
    assert "listed to 1 AMK(s)" in out[-1]
    to_ole = [m for m in bot.connector.messages() if m.conversation_id == OLE.chat_id]
    assert len(to_ole) == 1
    card = str(to_ole[0].body)
    assert "Opgaver uden ansvarlig: Kemi" in card and "Nye stole i laboratoriet" in card
    assert "Bent Borte" in card and "Stilletimer" not in card
    async with orm_session(bot.runtime.db) as session:
        items = (await session.scalars(select(WellbeingActionItem))).all()
    assert {(item.owner_id, item.status) for item in items} == {
        (bent.id, "open"),
        (otto.id, "open"),
    }

    await run(bot, directory, mapping(), dry_run=False)
    assert len([m for m in bot.connector.messages() if m.conversation_id == OLE.chat_id]) == 1


async def _count(bot: BotUnderTest, model: type[Any]) -> int:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return int((await session.scalar(select(func.count()).select_from(model))) or 0)


def write_mapping(path: Path, sync_mapping: SyncMapping) -> Path:
    path.write_text(
        yaml.safe_dump(sync_mapping.model_dump(mode="json", exclude_none=True)), encoding="utf-8"
    )
    return path


async def test_the_nightly_job_syncs_once_a_night_from_two_oclock(
    bot: BotUnderTest, graph: FakeGraph, directory: EntraDirectory, tmp_path: Path
) -> None:
    await setup(bot, graph)
    move_ole_to_fysik(graph)
    assert bot.runtime is not None
    path = write_mapping(tmp_path / "mapping.yaml", mapping())
    sync = OrgSync(bot.runtime.db, directory, bot.runtime.notifier, actor=ORG_SYNC_ACTOR)
    job = OrgSyncJob(sync, path)
    night = datetime(2026, 11, 26, 1, 59, tzinfo=COPENHAGEN)

    await job.run(night)
    assert ("Kemi", "amk", OLE.upn) in await roles(bot)

    await job.run(night + timedelta(minutes=1))
    assert ("Fysik", "amk", OLE.upn) in await roles(bot)
    assert ("Kemi", "amk", OLE.upn) not in await roles(bot)

    graph.groups[FYSIK_AMK] = []  # later the same day: the next sync is tomorrow night
    await job.run(night + timedelta(hours=5))
    assert ("Fysik", "amk", OLE.upn) in await roles(bot)
    await job.run(night + timedelta(days=1, minutes=1))
    assert ("Fysik", "amk", OLE.upn) not in await roles(bot)
    actors = {e.actor for e in await audit_events(bot) if e.action == "org.sync"}
    assert actors == {ORG_SYNC_ACTOR}


async def test_the_nightly_job_changes_nothing_when_the_mapping_names_a_missing_group(
    bot: BotUnderTest, graph: FakeGraph, directory: EntraDirectory, tmp_path: Path
) -> None:
    await setup(bot, graph)
    move_ole_to_fysik(graph)
    assert bot.runtime is not None
    broken = mapping()
    broken.units[0].amr = [group()]
    sync = OrgSync(bot.runtime.db, directory, bot.runtime.notifier, actor=ORG_SYNC_ACTOR)
    before = await roles(bot)

    await bot.install_personal(ADMIN)
    bot.connector.clear()
    job = OrgSyncJob(
        sync, write_mapping(tmp_path / "m.yaml", broken), admin_upns=frozenset({ADMIN.upn})
    )

    assert await job.once("2026-11-26") == {"problems": 1}
    assert await roles(bot) == before
    await bot.runtime.background.drain()
    [notice] = [m for m in bot.connector.messages() if m.conversation_id == ADMIN.chat_id]
    assert "Organisationen blev ikke opdateret i nat" in str(notice.body)
    assert "fandt 1 problem(er)" in str(notice.body)


def test_the_job_runs_only_when_the_mapping_and_the_app_registration_are_set(
    graph_settings: GraphSettings, tmp_path: Path
) -> None:
    from bot.composition import periodic_jobs

    def names(**changes: Any) -> set[str]:
        settings = dataclasses.replace(Settings(), **changes)
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'jobs.db'}")
        return {job.name for job in periodic_jobs(db, cast(Any, _NoOpener()), settings)}

    assert "org.sync" not in names(graph=graph_settings)
    assert "org.sync" not in names(org_sync_mapping=tmp_path / "m.yaml")
    assert "org.sync" in names(graph=graph_settings, org_sync_mapping=tmp_path / "m.yaml")
    from_env = Settings.from_env({"ORG_SYNC_MAPPING": "/etc/amkbot/entra.yaml"}, dotenv=None)
    assert from_env.org_sync_mapping == Path("/etc/amkbot/entra.yaml")


class _NoOpener:
    opener = None
    sender = None


@pytest.fixture
def graph_settings() -> GraphSettings:
    return GraphSettings(client_id="app", client_secret="secret", tenant_id="tenant")


@pytest.mark.parametrize("database_target", ["sqlite"], indirect=True)
async def test_the_command_line_prints_the_diff_against_graph(
    bot: BotUnderTest,
    graph: FakeGraph,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`python -m bot org sync --mapping FILE --dry-run` as an operator types it, with the
    Graph settings from the environment."""
    await setup(bot, graph)
    move_ole_to_fysik(graph)
    settings = graph.settings()
    env = {
        "DATABASE_URL": bot.database.url,
        "MicrosoftAppId": settings.client_id,
        "MicrosoftAppPassword": settings.client_secret,
        "MicrosoftAppTenantId": settings.tenant_id,
        "GRAPH_BASE_URL": settings.base_url,
        "GRAPH_AUTHORITY": settings.authority,
        "GRAPH_CA_BUNDLE": settings.ca_bundle,
    }
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = write_mapping(tmp_path / "mapping.yaml", mapping())
    before = await roles(bot)

    code = await asyncio.to_thread(main, ["org", "sync", "--mapping", str(path), "--dry-run"])

    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "- Kemi amk: Ole Amk <ole@uni.dk>" in printed.out
    assert "+ Fysik amk: Ole Amk <ole@uni.dk>" in printed.out
    assert await roles(bot) == before

    code = await asyncio.to_thread(main, ["org", "sync", "--mapping", str(path)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "synchronised: 3 role(s) added, 2 removed" in printed.out
    assert ("Fysik", "amk", OLE.upn) in await roles(bot)

    (tmp_path / "bad.yaml").write_text("units:\n  - name: Kemi\n    amk: [not-a-group]\n")
    assert await asyncio.to_thread(main, ["org", "sync", "--mapping", "bad.yaml"]) == 2
    assert "not an Entra group id (GUID): 'not-a-group'" in capsys.readouterr().err

    monkeypatch.delenv("MicrosoftAppPassword")
    assert await asyncio.to_thread(main, ["org", "sync", "--mapping", str(path)]) == 2
    assert "GroupMember.Read.All" in capsys.readouterr().err


async def test_missing_graph_permissions_are_named_and_nothing_changes(
    bot: BotUnderTest, graph: FakeGraph, directory: EntraDirectory
) -> None:
    await setup(bot, graph)
    move_ole_to_fysik(graph)
    graph.forbidden = True
    before = await roles(bot)

    code, out, err = await run(bot, directory, mapping(), dry_run=False)

    assert code == 1 and out == []
    assert "(403 Authorization_RequestDenied)" in err[0]
    assert "GroupMember.Read.All and User.Read.All" in err[0]
    assert err[-1] == "nothing was changed"
    assert await roles(bot) == before


EMIL = make_user("Emil Medarbejder", "emil@uni.dk")
NORA = make_user("Nora Ny", "nora@uni.dk")


def _unit_input(card: dict[str, Any] | None) -> dict[str, Any]:
    assert card is not None
    return next(node for node in walk(card) if node.get("id") == "unit_id")


def with_members(kemi: list[str], fysik: list[str]) -> SyncMapping:
    sync_mapping = mapping()
    sync_mapping.units[0].members = kemi
    sync_mapping.units[1].members = fysik
    return sync_mapping


@pytest.mark.parametrize("database_target", ["sqlite"], indirect=True)
async def test_a_members_group_of_20000_gives_the_known_employees_their_unit_quickly(
    bot: BotUnderTest, graph: FakeGraph, directory: EntraDirectory
) -> None:
    units = await setup(bot, graph)
    await bot.install_personal(EMIL)  # Emil has talked to the bot; Nora never has
    staff, fysik_staff = group(), group()
    graph.groups[staff] = [
        graph.add_user(str(uuid.uuid4()), f"ansat{n}@uni.dk", f"Ansat {n}") for n in range(19_998)
    ]
    graph.groups[staff] += [graph.add_user(EMIL.aad, EMIL.upn, EMIL.name)]
    graph.groups[staff] += [graph.add_user(NORA.aad, NORA.upn, NORA.name)]
    graph.groups[fysik_staff] = []
    graph.page_size = 999
    [before] = await bot.say(EMIL, "alenearbejde")
    assert "value" not in _unit_input(before.card)
    await bot.say(EMIL, "annullér")
    people = await _count(bot, Person)

    code, out, err = await run(bot, directory, with_members([staff], [fysik_staff]), dry_run=False)

    assert (code, err) == (0, [])
    assert "+ Kemi member: Emil Medarbejder <emil@uni.dk>" in out
    assert "1 own unit(s) set and 0 cleared" in out[-1]
    assert len(graph.graph_calls("GET", f"/groups/{staff}/transitiveMembers")) == 21
    assert await _count(bot, Person) == people + 2  # Kai and Mia (secretariat); no employees
    [form] = await bot.say(EMIL, "alenearbejde")
    assert _unit_input(form.card)["value"] == str(units["Kemi"])


async def test_an_employee_who_moves_unit_in_entra_gets_the_new_unit(
    bot: BotUnderTest, graph: FakeGraph, directory: EntraDirectory
) -> None:
    units = await setup(bot, graph)
    await bot.install_personal(EMIL)
    kemi_staff, fysik_staff = group(), group()
    graph.add_user(EMIL.aad, EMIL.upn, EMIL.name)
    graph.groups.update({kemi_staff: [EMIL.aad], fysik_staff: []})
    assert (await run(bot, directory, with_members([kemi_staff], [fysik_staff]), dry_run=False))[
        0
    ] == 0

    graph.groups.update({kemi_staff: [], fysik_staff: [EMIL.aad]})
    code, out, _ = await run(
        bot, directory, with_members([kemi_staff], [fysik_staff]), dry_run=True
    )
    assert code == 0
    assert "- Kemi member: Emil Medarbejder <emil@uni.dk>" in out
    assert "+ Fysik member: Emil Medarbejder <emil@uni.dk>" in out
    [form] = await bot.say(EMIL, "alenearbejde")
    assert _unit_input(form.card)["value"] == str(units["Kemi"])  # a dry run changed nothing
    await bot.say(EMIL, "annullér")

    assert (await run(bot, directory, with_members([kemi_staff], [fysik_staff]), dry_run=False))[
        0
    ] == 0
    [form] = await bot.say(EMIL, "alenearbejde")
    assert _unit_input(form.card)["value"] == str(units["Fysik"])
    await bot.say(EMIL, "annullér")

    graph.groups[fysik_staff] = []  # left both: the unit Entra ID gave is cleared
    code, out, _ = await run(
        bot, directory, with_members([kemi_staff], [fysik_staff]), dry_run=False
    )
    assert "- Fysik member: Emil Medarbejder <emil@uni.dk>" in out
    [form] = await bot.say(EMIL, "alenearbejde")
    assert "value" not in _unit_input(form.card)


async def test_the_department_attribute_gives_the_known_employees_their_unit(
    bot: BotUnderTest, graph: FakeGraph, directory: EntraDirectory
) -> None:
    units = await setup(bot, graph)
    await bot.install_personal(EMIL)
    graph.add_user(EMIL.aad, EMIL.upn, EMIL.name, department="DTU Fysik")
    graph.add_user(NORA.aad, NORA.upn, NORA.name, department="DTU Fysik")
    by_department = mapping(unit_attribute="department")
    by_department.units[1].attribute_values = ["DTU Fysik"]

    code, out, err = await run(bot, directory, by_department, dry_run=False)

    assert (code, err) == (0, [])
    assert "+ Fysik member: Emil Medarbejder <emil@uni.dk>" in out
    assert not any(NORA.upn in line for line in out)  # never talked to the bot: not stored
    [users] = graph.graph_calls("GET", "/v1.0/users")[:1]
    assert "department" in users.query["$select"].split(",")
    [form] = await bot.say(EMIL, "alenearbejde")
    assert _unit_input(form.card)["value"] == str(units["Fysik"])
