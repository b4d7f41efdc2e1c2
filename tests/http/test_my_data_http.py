"""A person's own data over HTTP: "mine data" shows what the bot holds about the speaker
(never which anonymous report was theirs), and an administrator's erasure leaves their
name, e-mail and ids nowhere in the database while the records the law requires stay."""

from __future__ import annotations

import io
import json
import os
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import MetaData, select
from sqlalchemy.engine import Connection

from bot.file_hosts import FileHosts
from domain.audit import person_actor
from domain.i18n import COPENHAGEN
from domain.my_data import ACCESS_ACTION, ERASE_ACTION
from services.my_data import DatabaseMyDataServices
from storage import audit
from storage.audit import audited
from storage.lone_work_models import LoneWorkRequest
from storage.models import AuditEvent, Person
from storage.near_miss_models import NearMissReport
from tests.conftest import DatabaseTarget
from tests.http.test_lone_work_http import LISE, MAJA, OLE, _request, _setup
from tests.http.test_lone_work_http import form as lone_work_form
from tests.support.clock import child_environment
from tests.support.databases import orm_session
from tests.support.fake_connector import FakeConnector
from tests.support.near_miss import AMK
from tests.support.near_miss import report as near_miss_report
from tests.support.teams import BotUnderTest, User

FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"


async def _person(bot: BotUnderTest, user: User) -> Person:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return (await session.execute(select(Person).where(Person.upn == user.upn))).scalar_one()


async def _numbers(bot: BotUnderTest) -> dict[bool, list[str]]:
    """Near-miss numbers by whether the report was anonymous."""
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        rows = (await session.scalars(select(NearMissReport).order_by(NearMissReport.id))).all()
    found: dict[bool, list[str]] = {True: [], False: []}
    for row in rows:
        found[row.anonymous].append(row.number)
    return found


async def test_my_data_lists_what_the_bot_holds_but_not_anonymous_reports(
    bot: BotUnderTest,
) -> None:
    kemi = await _setup(bot, amk=AMK)
    await _request(bot, kemi)
    await near_miss_report(bot, MAJA, kemi)
    await near_miss_report(bot, MAJA, kemi, anonymous="true")
    numbers = await _numbers(bot)
    lone_work = await _only_number(bot)

    (answer,) = await bot.say(MAJA, "mine data")
    text = answer.card_text()
    assert "Det har AMK-bot gemt om dig" in text
    assert "Maja Kemiker" in text and "maja@uni.dk" in text
    assert "Dine anmodninger om alenearbejde (1)" in text and lone_work in text
    assert "Nærved-hændelser, du har meldt med navn (1)" in text
    assert numbers[False][0] in text and numbers[True][0] not in text
    assert "anonyme" in text.lower() and "Vis det hele" not in text

    me = await _person(bot, MAJA)
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        access = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == ACCESS_ACTION))
        ).one()
    assert access.actor == person_actor(me.id) and access.entity_id == str(me.id)
    assert access.after == {
        "records": {
            "lone_work": 1,
            "checkins": 0,
            "near_miss": 1,
            "wellbeing_items": 0,
            "work_accidents": 0,
            "precursors": 0,
            "training": 0,
        }
    }

    (leader,) = await bot.say(LISE, "my data")
    assert "leder i Kemi" in leader.card_text()


async def _only_number(bot: BotUnderTest) -> str:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return str((await session.execute(select(LoneWorkRequest.number))).scalar_one())


async def test_a_long_register_shows_the_newest_and_everything_on_request(
    bot: BotUnderTest,
) -> None:
    kemi = await _setup(bot, amk=AMK)
    for _ in range(4):
        await near_miss_report(bot, MAJA, kemi)
    numbers = (await _numbers(bot))[False]

    (answer,) = await bot.submit(MAJA, {"action": "my_data.show"})
    text = answer.card_text()
    assert "Nærved-hændelser, du har meldt med navn (4)" in text
    assert all(number in text for number in numbers[1:]) and numbers[0] not in text
    assert "… og 1 mere" in text and "Vis det hele" in text

    reply = await bot.invoke(MAJA, "my_data.show", {"all": True})
    shown = json.dumps(reply.body["value"], ensure_ascii=False)
    assert all(number in shown for number in numbers) and "Vis det hele" not in shown


async def test_the_welcome_card_and_help_offer_your_data(bot: BotUnderTest) -> None:
    await _setup(bot)
    (help_card,) = await bot.say(MAJA, "hjælp")
    assert "mine data" in help_card.card_text() and "Se dine data" in help_card.card_text()


def _read_every_table(connection: Connection) -> dict[str, list[dict[str, Any]]]:
    reflected = MetaData()
    reflected.reflect(bind=connection)
    return {
        table.name: [dict(row) for row in connection.execute(select(table)).mappings()]
        for table in reflected.sorted_tables
    }


def _text(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


async def _traces(bot: BotUnderTest, user: User) -> list[str]:
    """Every column of every row that still names `user` (name, e-mail, ids, chat)."""
    assert bot.runtime is not None
    async with bot.runtime.db.engine.connect() as connection:
        rows = await connection.run_sync(_read_every_table)
    needles = [n.lower() for n in (user.name, user.upn, user.aad, user.teams_id, user.chat_id)]
    return [
        f"{table}.{column}"
        for table, items in rows.items()
        for row in items
        for column, value in row.items()
        if value is not None and any(needle in _text(value).lower() for needle in needles)
    ]


async def test_erasure_leaves_no_trace_of_the_person_and_keeps_the_records(
    bot: BotUnderTest,
) -> None:
    kemi = await _setup(bot, amk=AMK)
    await bot.install_personal(OLE)
    await _request(bot, kemi)
    await near_miss_report(bot, MAJA, kemi, description="Maja Kemiker så en åben flaske.")
    # Ole names Maja as his emergency contact; the AMK gives her a corrective action
    await bot.say(OLE, "alenearbejde")
    await bot.submit(OLE, lone_work_form(kemi, emergency_name="Maja Kemiker"))
    await bot.submit(OLE, {"action": "lone_work.form.send"})
    report_id = (await _numbers_and_ids(bot))[0]
    due = (datetime.now(COPENHAGEN).date() + timedelta(days=3)).isoformat()
    await bot.invoke(AMK, "near_miss.acknowledge", {"report_id": report_id})
    await bot.invoke(
        AMK,
        "near_miss.action.add",
        {
            "report_id": report_id,
            "action_description": "Hylde",
            "action_owner": MAJA.upn,
            "action_due": due,
        },
    )
    await bot.say(MAJA, "mine data")
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    me = await _person(bot, MAJA)
    async with audited(bot.runtime.db) as connection:
        # as when two person rows of hers were merged: the audit trail kept her e-mail
        await audit.record(
            connection,
            actor="system",
            action="person.merge",
            entity_type="person",
            entity_id=me.id,
            before={"upn": MAJA.upn},
        )
    assert await _traces(bot, MAJA)

    services = DatabaseMyDataServices(bot.runtime.db)
    dry = await services.erase(MAJA.upn.upper(), dry_run=True, actor="cli:person-erase")
    assert dry is not None and dry.pseudonym == f"Slettet person {me.id}"
    assert dry.records["lone_work_request"] == 1 and dry.open_items == 1
    assert await _traces(bot, MAJA), "a dry run changes nothing"

    erased = await services.erase(MAJA.upn, dry_run=False, actor="cli:person-erase")
    assert erased is not None
    assert await _traces(bot, MAJA) == []

    async with orm_session(bot.runtime.db) as session:
        requests = (
            await session.scalars(select(LoneWorkRequest).order_by(LoneWorkRequest.id))
        ).all()
        report = (await session.execute(select(NearMissReport))).scalar_one()
        pseudonymised = await session.get(Person, me.id)
        events = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == ERASE_ACTION))
        ).all()
        chain = await audit.verify_chain(session)
    # her request keeps its content without her; Ole's names the pseudonym as his contact
    assert requests[0].requester_id == me.id and requests[0].task.startswith("Destillation")
    assert requests[1].emergency_name == f"Slettet person {me.id}"
    assert report.reporter_id == me.id and "Slettet person" in report.description
    assert pseudonymised is not None and pseudonymised.name == f"Slettet person {me.id}"
    assert pseudonymised.upn is None and pseudonymised.aad_object_id is None
    (event,) = events
    assert event.actor == "cli:person-erase" and event.entity_id == str(me.id)
    assert "maja" not in json.dumps(event.after).lower()
    assert chain.intact and chain.redacted == 1 and erased.audit_events == 1


async def _numbers_and_ids(bot: BotUnderTest) -> list[int]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list((await session.scalars(select(NearMissReport.id))).all())


async def test_work_accidents_show_whether_the_person_was_hurt_or_reported(
    bot: BotUnderTest,
) -> None:
    from tests.support import work_accident as accident

    kemi = await accident.setup(bot)
    await accident.report(bot, accident.INJURED, kemi)
    await accident.report(
        bot,
        accident.LEADER,
        kemi,
        reporter_role="leader",
        injured_email=accident.INJURED.upn,
    )
    numbers = [row.number for row in await accident.accidents(bot)]

    (injured,) = await bot.say(accident.INJURED, "mine data")
    text = injured.card_text()
    assert "Arbejdsulykker, hvor du kom til skade eller meldte (2)" in text
    assert all(number in text for number in numbers)
    assert text.count("· du kom til skade") == 2 and "du meldte den" not in text

    (leader,) = await bot.say(accident.LEADER, "mine data")
    text = leader.card_text()
    assert "(1)" in text and numbers[1] in text and numbers[0] not in text
    assert "du meldte den" in text


@pytest.fixture
async def files_bot(
    database_target: DatabaseTarget, connector: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[BotUnderTest]:
    """The bot taking any upload URL (the fake connector's), its export worker on the test's
    clock."""
    for key, value in child_environment().items():
        if os.environ.get(key) != value:
            monkeypatch.setenv(key, value)
    under_test = BotUnderTest(
        database_target, connector, admin_upns=set(), file_hosts=FileHosts(enforced=False)
    )
    await under_test.start()
    try:
        yield under_test
    finally:
        await under_test.stop()


async def test_my_data_as_an_excel_file_holds_mine_and_no_one_elses(
    files_bot: BotUnderTest,
) -> None:
    bot = files_bot
    kemi = await _setup(bot, amk=AMK)
    await _request(bot, kemi)
    mine = await _only_number(bot)
    await bot.say(AMK, "alenearbejde")
    await bot.submit(AMK, lone_work_form(kemi))
    await bot.submit(AMK, {"action": "lone_work.form.send"})
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    async with orm_session(bot.runtime.db) as session:
        numbers = set((await session.scalars(select(LoneWorkRequest.number))).all())
    (theirs,) = numbers - {mine}

    (answer,) = await bot.say(MAJA, "mine data")
    assert answer.card is not None
    (button,) = [
        action
        for item in answer.card["body"]
        if item.get("type") == "ActionSet"
        for action in item["actions"]
    ]
    assert button["title"] == "Hent som Excel-fil"
    # the button names no person or unit: whose data comes from who presses it
    assert button["data"] == {"action": "export.offer", "kind": "my_data"}
    offered = await bot.submit(MAJA, {**button["data"], "unit_id": kemi, "person_id": 99})
    (consent,) = [
        item
        for message in offered
        for item in message.body.get("attachments") or []
        if item.get("contentType") == FILE_CONSENT
    ]
    assert consent["name"] == "mine-data-2026-11-25.xlsx"
    assert consent["content"]["acceptContext"]["export"] == {"kind": "my_data"}
    before = len(bot.connector.sent)
    await bot.file_consent(MAJA, consent)
    workbook = load_workbook(io.BytesIO(bot.connector.uploaded()), read_only=True)
    cells = {
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell
    }
    assert mine in cells and theirs not in cells
    assert "Maja Kemiker" in cells and "maja@uni.dk" in cells
    assert "Per Koordinator" not in " ".join(cells)
    assert "Alenearbejde" in workbook.sheetnames
    said = " ".join(item.text for item in bot.connector.sent[before:])
    assert "Her er mine-data-2026-11-25.xlsx" in said

    me = await _person(bot, MAJA)
    async with orm_session(bot.runtime.db) as session:
        events = (
            await session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == ACCESS_ACTION)
                .order_by(AuditEvent.sequence)
            )
        ).all()
    # the card, then the file: each an access request about Maja herself
    assert [event.entity_id for event in events] == [str(me.id), str(me.id)]
    assert events[-1].actor == person_actor(me.id)
    assert events[-1].after is not None and events[-1].after["file"] == "xlsx"
