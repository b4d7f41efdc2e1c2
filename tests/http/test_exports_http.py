"""Registers as Excel files in the chat, over HTTP as in Teams: "eksport" shows what the
person may have, a choice sends a file consent card, accepting it PUTs the workbook to the
upload URL Teams gives (the fake connector's `/upload/…`) and shows a file info card;
declining sends nothing; a failing or slow upload URL is tried again, then the person is
told and nothing is claimed as sent; an upload URL off the Teams file hosts is refused;
nobody exports another unit's register.

The Microsoft 365 Agents Playground cannot be used for this: its client lists the file
consent card among the card types it does not support (it shows "unsupported card" in its
place, so there is nothing to accept, and it has no OneDrive to upload to); these HTTP tests
against the fake connector are the end-to-end check."""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot import files_out
from bot.file_hosts import FileHosts
from domain.org import OrgFile
from storage import org
from storage.audit import audited
from storage.models import AuditEvent, Unit
from tests.conftest import DatabaseTarget
from tests.support.clock import child_environment
from tests.support.databases import orm_session
from tests.support.fake_connector import FakeConnector, Sent, slow, status
from tests.support.near_miss import REPORTER, person, report
from tests.support.teams import BotUnderTest, make_user
from tests.support.work_accident import report as report_accident

PER = make_user("Per Koordinator", "per.amk@uni.dk", "da-DK")
LENE = make_user("Lene Leder", "lene@uni.dk", "da-DK")
OLE = make_user("Ole Fysiker", "ole@uni.dk", "en-US")
SANNE = make_user("Sanne Sekretær", "sanne@uni.dk", "da-DK")
NOBODY = make_user("Nils Ingen", "nils@uni.dk", "da-DK")
CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"


@pytest.fixture(autouse=True)
def _worker_on_the_test_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The export worker process inherits the environment: on the test's clock, like any
    process a test starts."""
    for key, value in child_environment().items():
        if os.environ.get(key) != value:
            monkeypatch.setenv(key, value)


@pytest.fixture
async def local_bot(
    database_target: DatabaseTarget, connector: FakeConnector
) -> AsyncIterator[BotUnderTest]:
    """The bot in local mode's file rules (any http(s) upload URL, as with the Playground)."""
    under_test = BotUnderTest(
        database_target,
        connector,
        admin_upns={"admin@uni.dk"},
        file_hosts=FileHosts(enforced=False),
    )
    await under_test.start()
    try:
        yield under_test
    finally:
        await under_test.stop()


async def _setup(bot: BotUnderTest) -> dict[str, int]:
    """Kemi (AMK Per, leader Lene), Fysik (AMK Ole), the secretariat (Sanne); one near miss
    in Kemi."""
    assert bot.runtime is not None
    org_file = OrgFile.model_validate(
        {
            "units": [
                {"name": "Kemi", "amk": [person(PER)], "leader": [person(LENE)]},
                {"name": "Fysik", "amk": [person(OLE)]},
            ],
            "secretariat": [person(SANNE)],
        }
    )
    async with audited(bot.runtime.db) as connection:
        await org.import_org(connection, org_file, actor="test")
        found = (await connection.execute(select(Unit.name, Unit.id))).all()
    for user in (PER, LENE, OLE, SANNE, NOBODY, REPORTER):
        await bot.install_personal(user)
    units = {name: int(unit_id) for name, unit_id in found}
    await report(bot, REPORTER, units["Kemi"])
    bot.connector.clear()
    return units


def _attachments(sent: list[Sent], content_type: str) -> list[dict[str, Any]]:
    return [
        item
        for message in sent
        for item in message.body.get("attachments") or []
        if item.get("contentType") == content_type
    ]


def _consent(sent: list[Sent]) -> dict[str, Any]:
    (card,) = _attachments(sent, CONSENT)
    return card


def _said(sent: list[Sent]) -> str:
    return " ".join(item.text + " " + item.card_text() for item in sent)


async def _events(bot: BotUnderTest, prefix: str) -> list[AuditEvent]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        rows = await session.scalars(
            select(AuditEvent).where(AuditEvent.action.startswith(prefix)).order_by(AuditEvent.id)
        )
        return list(rows.all())


def _since(bot: BotUnderTest, before: int) -> list[Sent]:
    return [item for item in bot.connector.sent[before:] if item.method == "POST"]


async def _offer(bot: BotUnderTest, user: Any, **data: Any) -> list[Sent]:
    return await bot.submit(user, {"action": "export.offer", **data})


async def test_the_word_shows_what_each_person_may_export(local_bot: BotUnderTest) -> None:
    bot = local_bot
    units = await _setup(bot)
    amk = (await bot.say(PER, "eksport"))[-1].card
    assert amk is not None
    kinds = next(item for item in amk["body"] if item.get("id") == "kind")
    assert [choice["value"] for choice in kinds["choices"]] == [
        "lone_work",
        "near_miss",
        "work_accidents",
        "action_plan",
        "precursors",
        "documentation",
        "precursor_template",
    ]
    unit = next(item for item in amk["body"] if item.get("id") == "unit_id")
    assert unit["choices"] == [{"title": "Kemi", "value": str(units["Kemi"])}]
    leader = (await bot.say(LENE, "export"))[-1].card
    assert leader is not None
    leader_kinds = next(item for item in leader["body"] if item.get("id") == "kind")
    assert [c["value"] for c in leader_kinds["choices"]] == [
        "lone_work",
        "work_accidents",
        "action_plan",
        "documentation",
    ]
    secretariat = (await bot.say(SANNE, "eksport"))[-1]
    assert secretariat.card is not None
    text = secretariat.card_text()
    assert "årsopgørelse til Toldstyrelsen" in text and "skabelon til import" in text
    assert "Alle enheder" in text and "Fysik" in text
    nothing = await bot.say(NOBODY, "eksport")
    assert "Der er ikke noget, du kan eksportere" in _said(nothing)
    help_text = _said(await bot.say(PER, "hjælp"))
    assert "**eksport**" in help_text


async def test_accepting_uploads_the_register_and_shows_the_file(
    local_bot: BotUnderTest,
) -> None:
    bot = local_bot
    units = await _setup(bot)
    offered = await _offer(bot, PER, kind="near_miss", unit_id=str(units["Kemi"]), year="2026")
    consent = _consent(offered)
    assert consent["name"] == "naerved-kemi-2026.xlsx"
    size = consent["content"]["sizeInBytes"]
    assert size > 1000
    assert consent["content"]["acceptContext"]["export"] == {
        "kind": "near_miss",
        "unit_id": units["Kemi"],
        "year": 2026,
    }
    before = len(bot.connector.sent)
    answer = await bot.file_consent(PER, consent)
    assert answer.status == 200
    (put,) = bot.connector.uploads
    assert put.content_range == f"bytes 0-{size - 1}/{size}" and len(put.body) == size
    workbook = load_workbook(io.BytesIO(put.body), read_only=True)
    cells = [
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]
    assert "NM-2026-0001" in cells and "Kemi" in cells
    sent = _since(bot, before)
    (info,) = _attachments(sent, FILE_INFO)
    assert info["name"] == "naerved-kemi-2026.xlsx"
    assert info["contentUrl"].endswith("/naerved-kemi-2026.xlsx")
    assert info["content"] == {
        "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
        "fileType": "xlsx",
    }
    assert "Her er naerved-kemi-2026.xlsx" in _said(sent)
    (event,) = await _events(bot, "export.")
    assert event.action == "export.near_miss.sent" and event.entity_id == str(units["Kemi"])
    assert event.after is not None
    assert event.after["year"] == 2026 and event.after["kind"] == "near_miss"
    assert "Flaske" not in str(event.after)


async def test_declining_sends_nothing_and_says_so(local_bot: BotUnderTest) -> None:
    bot = local_bot
    units = await _setup(bot)
    consent = _consent(await _offer(bot, PER, kind="action_plan", unit_id=units["Kemi"]))
    assert consent["name"] == "handlingsplan-kemi-2026-11-25.xlsx"
    before = len(bot.connector.sent)
    answer = await bot.file_consent(PER, consent, "decline")
    assert answer.status == 200
    assert "OK, der er ikke sendt noget" in _said(_since(bot, before))
    assert bot.connector.uploads == [] and await _events(bot, "export.") == []


async def test_a_failing_upload_is_tried_again_then_nothing_is_claimed(
    local_bot: BotUnderTest,
) -> None:
    bot = local_bot
    assert bot.runtime is not None and bot.runtime.bot.files is not None
    bot.runtime.bot.files.pause = 0.01
    units = await _setup(bot)
    consent = _consent(await _offer(bot, PER, kind="lone_work", unit_id=units["Kemi"]))
    assert consent["name"] == "alenearbejde-kemi-2026.xlsx"
    bot.connector.plan("PUT /upload/", status(503), status(502), status(500))
    before = len(bot.connector.sent)
    await bot.file_consent(PER, consent)
    assert [item.failed_with for item in bot.connector.uploads] == [503, 502, 500]
    sent = _since(bot, before)
    assert "kunne ikke lægges i din OneDrive" in _said(sent)
    assert _attachments(sent, FILE_INFO) == [] and await _events(bot, "export.") == []
    # one 503, then OneDrive takes it: the person gets the file
    consent = _consent(await _offer(bot, PER, kind="lone_work", unit_id=units["Kemi"]))
    bot.connector.plan("PUT /upload/", status(503))
    before = len(bot.connector.sent)
    await bot.file_consent(PER, consent)
    assert [item.failed_with for item in bot.connector.uploads[3:]] == [503, None]
    assert len(_attachments(_since(bot, before), FILE_INFO)) == 1
    assert [event.action for event in await _events(bot, "export.")] == ["export.lone_work.sent"]


async def test_an_upload_url_that_does_not_answer_times_out(local_bot: BotUnderTest) -> None:
    bot = local_bot
    assert bot.runtime is not None and bot.runtime.bot.files is not None
    files = bot.runtime.bot.files
    files.pause, files.timeout = 0.01, 0.3
    units = await _setup(bot)
    consent = _consent(await _offer(bot, PER, kind="documentation", unit_id=units["Kemi"]))
    bot.connector.plan("PUT /upload/", slow(1.0), slow(1.0), slow(1.0))
    before = len(bot.connector.sent)
    await bot.file_consent(PER, consent)
    sent = _since(bot, before)
    assert "OneDrive svarede ikke" in _said(sent)
    assert _attachments(sent, FILE_INFO) == [] and await _events(bot, "export.") == []


async def test_an_upload_url_off_the_teams_file_hosts_is_refused(bot: BotUnderTest) -> None:
    """The default settings enforce the hosts (as with an app id): the fake connector's
    http://127.0.0.1 upload URL is not SharePoint."""
    units = await _setup(bot)
    consent = _consent(await _offer(bot, PER, kind="near_miss", unit_id=units["Kemi"]))
    before = len(bot.connector.sent)
    await bot.file_consent(PER, consent, upload_url="https://evil.example.com/upload/x.xlsx")
    await bot.file_consent(PER, consent)
    sent = _since(bot, before)
    assert _said(sent).count("et sted, jeg ikke sender filer til") == 2
    assert bot.connector.uploads == [] and _attachments(sent, FILE_INFO) == []
    assert await _events(bot, "export.") == []


async def test_nobody_exports_another_units_register(local_bot: BotUnderTest) -> None:
    bot = local_bot
    units = await _setup(bot)
    refused = await _offer(bot, PER, kind="near_miss", unit_id=units["Fysik"], year=2026)
    assert "Det må du ikke eksportere" in _said(refused) and not _attachments(refused, CONSENT)
    leader = await _offer(bot, LENE, kind="near_miss", unit_id=units["Kemi"])
    assert "Det må du ikke eksportere" in _said(leader)
    everything = await _offer(bot, PER, kind="precursors_all", year=2026)
    assert "Det må du ikke eksportere" in _said(everything)
    # a consent card's context changed to name Fysik: checked again on accept
    consent = _consent(await _offer(bot, PER, kind="near_miss", unit_id=units["Kemi"]))
    forged = {
        **consent,
        "content": {
            **consent["content"],
            "acceptContext": {
                "export": {"kind": "near_miss", "unit_id": units["Fysik"], "year": 2026},
                "token": consent["content"]["acceptContext"]["token"],
            },
        },
    }
    before = len(bot.connector.sent)
    await bot.file_consent(PER, forged)
    assert "Det må du ikke eksportere" in _said(_since(bot, before))
    assert bot.connector.uploads == []
    refusals = [event.action for event in await _events(bot, "export.")]
    assert refusals == [
        "export.near_miss.refused",
        "export.near_miss.refused",
        "export.precursors_all.refused",
        "export.near_miss.refused",
    ]


async def test_the_secretariat_gets_the_roll_up_and_the_template_in_parts(
    local_bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files over one part are sent in several PUTs, each with its own Content-Range."""
    bot = local_bot
    await _setup(bot)
    monkeypatch.setattr(files_out, "CHUNK_BYTES", 4096)
    roll_up = _consent(await _offer(bot, SANNE, kind="precursors_all", year="2026"))
    assert roll_up["name"] == "praekursorer-toldstyrelsen-2026.xlsx"
    await bot.file_consent(SANNE, roll_up)
    size = roll_up["content"]["sizeInBytes"]
    ranges = [item.content_range for item in bot.connector.uploads]
    assert len(ranges) == -(-size // 4096) and ranges[0] == f"bytes 0-4095/{size}"
    assert ranges[-1] == f"bytes {4096 * (len(ranges) - 1)}-{size - 1}/{size}"
    load_workbook(io.BytesIO(bot.connector.uploaded()), read_only=True)
    bot.connector.uploads.clear()
    template = _consent(await _offer(bot, SANNE, kind="precursor_template"))
    assert template["name"] == "praekursor-skabelon-2026-11-25.xlsx"
    await bot.file_consent(SANNE, template)
    workbook = load_workbook(io.BytesIO(bot.connector.uploaded()), read_only=True)
    assert workbook.sheetnames
    all_units = _consent(await _offer(bot, SANNE, kind="near_miss", unit_id="all", year=2026))
    assert all_units["name"] == "naerved-2026.xlsx"


def _cells(content: bytes) -> dict[str, list[str]]:
    """Every non-empty cell of each sheet, as text."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {
        sheet.title: [
            str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell
        ]
        for sheet in workbook.worksheets
    }


async def test_the_work_accident_register_and_statistics_as_a_file(
    local_bot: BotUnderTest,
) -> None:
    """The unit's AMK gets its accidents and KAMU statistics; a psychological accident's
    name, place and texts stay out (its name may have been withheld from the AMK), as in
    the CLI's register; the secretariat gets every unit's."""
    bot = local_bot
    units = await _setup(bot)
    await report_accident(bot, REPORTER, units["Kemi"])
    await report_accident(
        bot,
        REPORTER,
        units["Kemi"],
        injury_kind="psychological",
        withhold_name="true",
        place="Kontoret ved siden af chefens",
        description="Blev truet af en kollega på gangen.",
    )
    await report_accident(bot, REPORTER, units["Fysik"], place="Fysik, kælderen")
    bot.connector.clear()
    consent = _consent(
        await _offer(bot, PER, kind="work_accidents", unit_id=str(units["Kemi"]), year="2026")
    )
    assert consent["name"] == "arbejdsulykker-kemi-2026.xlsx"
    await bot.file_consent(PER, consent)
    sheets = _cells(bot.connector.uploaded())
    register, _actions, statistics = sheets.values()
    assert "AU-2026-0001" in register and "AU-2026-0002" in register
    assert "AU-2026-0003" not in register and "Fysik, kælderen" not in register
    text = " ".join(register)
    assert "Lyngby, bygning 207, lab 112" in text and text.count("Mette Reporter") == 1
    assert "Kontoret ved siden af chefens" not in text and "truet" not in text
    assert "Kemi" in statistics
    (event,) = await _events(bot, "export.")
    assert event.action == "export.work_accidents.sent"
    assert event.entity_id == str(units["Kemi"]) and event.after is not None
    assert event.after["rows"] == 2 and "Lyngby" not in str(event.after)

    bot.connector.uploads.clear()
    everything = _consent(await _offer(bot, SANNE, kind="work_accidents", unit_id="all"))
    assert everything["name"] == "arbejdsulykker-2026.xlsx"
    await bot.file_consent(SANNE, everything)
    register = next(iter(_cells(bot.connector.uploaded()).values()))
    assert {"AU-2026-0001", "AU-2026-0003", "Mette Reporter"} <= set(register)
    assert "Blev truet af en kollega på gangen." not in register


async def test_who_may_not_read_accidents_is_not_offered_them(local_bot: BotUnderTest) -> None:
    bot = local_bot
    units = await _setup(bot)
    await report_accident(bot, REPORTER, units["Kemi"])
    bot.connector.clear()
    ole = (await bot.say(OLE, "export"))[-1].card
    assert ole is not None and "work_accidents" in str(ole)
    nobody = await _offer(bot, REPORTER, kind="work_accidents", unit_id=units["Kemi"])
    assert "Det må du ikke eksportere" in _said(nobody)
    other_unit = await _offer(bot, OLE, kind="work_accidents", unit_id=units["Kemi"])
    assert "You may not export that" in _said(other_unit)
    assert not _attachments(other_unit, CONSENT)
    all_units = await _offer(bot, PER, kind="work_accidents", unit_id="all")
    assert "Det må du ikke eksportere" in _said(all_units)
    # Ole's consent card for Fysik, changed to name Kemi: checked again on accept
    consent = _consent(await _offer(bot, OLE, kind="work_accidents", unit_id=units["Fysik"]))
    forged = {
        **consent,
        "content": {
            **consent["content"],
            "acceptContext": {
                "export": {"kind": "work_accidents", "unit_id": units["Kemi"], "year": 2026},
                "token": consent["content"]["acceptContext"]["token"],
            },
        },
    }
    before = len(bot.connector.sent)
    await bot.file_consent(OLE, forged)
    assert "You may not export that" in _said(_since(bot, before))
    assert bot.connector.uploads == []
    assert [event.action for event in await _events(bot, "export.")] == [
        "export.work_accidents.refused"
    ] * 4
