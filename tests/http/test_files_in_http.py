"""Files sent into the chat over HTTP: a precursor sheet dropped in Teams is fetched from the
(fake) download URL, checked row by row, and imported only after **Importér**."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

from openpyxl import Workbook
from sqlalchemy import func, select

from domain.files import FILE_DOWNLOAD_INFO
from domain.org import OrgFile
from reports.precursor_import import IMPORT_COLUMNS
from storage import org
from storage.audit import audited
from storage.models import AuditEvent
from storage.precursor_models import PrecursorEntry
from tests.support.card_nodes import walk
from tests.support.databases import orm_session
from tests.support.fake_connector import Sent
from tests.support.precursors import services_of
from tests.support.teams import BotUnderTest, User, make_user

KARIN = make_user("Karin Kemi", "karin@uni.dk", "da-DK")
OLE = make_user("Ole Olsen", "ole@uni.dk", "en-US")
NOW = datetime(2026, 5, 20, 8, 0, tzinfo=UTC)
LOCATION = "Bygning 207, giftskab 2"
GOOD_ROWS: list[list[Any]] = [
    ["Kemi", "108-24-7", "startbeholdning", date(2026, 1, 5), 1, "L", None, None, None, None,
     LOCATION, None],
    ["Kemi", "Eddikesyreanhydrid", "køb", date(2026, 3, 2), 2500, "mL", "Sigma-Aldrich",
     "KE-2026-4", "F-88123", None, None, None],
    ["Kemi", "108-24-7", "forbrug", date(2026, 3, 10), "0,5", "L", None, None, None,
     "Acetylering", None, None],
]  # fmt: skip


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Posteringer"
    sheet.append([name for name, _ in IMPORT_COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def _setup(bot: BotUnderTest) -> None:
    """Kemi with Karin as its precursor contact; Fysik with Ole as AMK."""
    assert bot.runtime is not None
    services_of(bot.runtime).clock = lambda: NOW
    async with audited(bot.runtime.db) as connection:
        await org.import_org(
            connection,
            OrgFile.model_validate(
                {
                    "units": [
                        {
                            "name": "Kemi",
                            "precursor_contact": [{"upn": KARIN.upn, "aad_object_id": KARIN.aad}],
                        },
                        {"name": "Fysik", "amk": [{"upn": OLE.upn, "aad_object_id": OLE.aad}]},
                    ]
                }
            ),
            actor="test",
        )
    for user in (KARIN, OLE):
        await bot.install_personal(user)
    bot.connector.clear()


async def send_file(bot: BotUnderTest, user: User, name: str, data: bytes) -> list[Sent]:
    """A file dropped into the personal chat, as Teams sends it: no text, one
    `file.download.info` attachment with a pre-authorised download URL."""
    url = bot.connector.serve_file(name, data)
    attachment = {
        "contentType": FILE_DOWNLOAD_INFO,
        "name": name,
        "contentUrl": "https://uni-my.sharepoint.com/personal/x/Documents/" + name,
        "content": {
            "downloadUrl": url,
            "uniqueId": "8b3c0d6e-1f2a-4b5c-9d8e-7f6a5b4c3d2e",
            "fileType": name.rsplit(".", 1)[-1],
        },
    }
    return await bot._exchange(bot.personal(user, attachments=[attachment]))


def _text(sent: list[Sent]) -> str:
    return " ".join(item.text + " " + item.card_text() for item in sent)


async def _entries(bot: BotUnderTest) -> int:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return int(await session.scalar(select(func.count()).select_from(PrecursorEntry)) or 0)


def _button(sent: list[Sent], action: str) -> dict[str, Any]:
    for item in sent:
        for node in walk(item.card):
            data = node.get("data")
            is_submit = node.get("type") == "Action.Submit" and isinstance(data, dict)
            if is_submit and data.get("action") == action:
                return dict(data)
    raise AssertionError(f"no {action} button in {_text(sent)}")


async def test_a_good_sheet_is_summarised_and_imported_only_after_importer(
    bot: BotUnderTest,
) -> None:
    await _setup(bot)
    summary = await send_file(bot, KARIN, "kemi-2026.xlsx", workbook(GOOD_ROWS))
    text = _text(summary)
    assert "Klar til import: kemi-2026.xlsx" in text
    assert "Alle 3 rækker er i orden" in text and "Kemi" in text and "Intet er gemt endnu" in text
    assert [download.path for download in bot.connector.downloads] == ["/files/kemi-2026.xlsx"]
    assert bot.connector.downloads[0].authorization is None  # pre-authorised: no bot token
    assert await _entries(bot) == 0
    done = await bot.submit(KARIN, _button(summary, "precursors.import.confirm"))
    assert "3 posteringer importeret for Kemi (1 nye stoffer" in _text(done)
    assert await _entries(bot) == 3
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        event = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "precursors.import")
            )
        ).one()
    assert event.after is not None and event.after["source"] == "teams"
    again = await bot.submit(KARIN, _button(summary, "precursors.import.confirm"))
    assert "importeret" not in _text(again)
    assert await _entries(bot) == 3


async def test_a_second_sheet_replaces_the_waiting_summary_and_annuller_writes_nothing(
    bot: BotUnderTest,
) -> None:
    await _setup(bot)
    first = await send_file(bot, KARIN, "kemi-2026.xlsx", workbook(GOOD_ROWS))
    second = await send_file(bot, KARIN, "kemi-ny.xlsx", workbook(GOOD_ROWS))
    assert "Klar til import: kemi-ny.xlsx" in _text(second)
    cancelled = await bot.submit(KARIN, _button(second, "precursors.import.cancel"))
    assert "Intet er importeret" in _text(cancelled)
    late = await bot.submit(KARIN, _button(first, "precursors.import.confirm"))
    assert "importeret for Kemi" not in _text(late)
    assert await _entries(bot) == 0


async def test_a_sheet_with_errors_lists_them_by_row_and_writes_nothing(
    bot: BotUnderTest,
) -> None:
    await _setup(bot)
    rows = [
        *GOOD_ROWS,
        ["Kemi", "Sukker", "køb", date(2026, 3, 3), 1, "kg", "Brugsen", None, None, None,
         LOCATION, None],
        ["Fysik", "108-24-7", "startbeholdning", date(2026, 1, 5), 1, "L", None, None, None,
         None, LOCATION, None],
        ["Kemi", "108-24-7", "forbrug", date(2026, 3, 12), 9, "L", None, None, None, "X", None,
         None],
    ]  # fmt: skip
    answer = await send_file(bot, KARIN, "kemi.xlsx", workbook(rows))
    text = _text(answer)
    assert "kemi.xlsx kan ikke importeres" in text
    assert "række 5: «Sukker» står ikke på listen" in text
    assert "række 6: du fører ikke prækursorregnskab for Fysik" in text
    assert "række 7: beholdningen af Eddikesyreanhydrid i Kemi bliver negativ" in text
    assert "intet er gemt" in text
    assert "Importér" not in text
    assert await _entries(bot) == 0


async def test_only_a_workbook_is_taken_for_the_import(bot: BotUnderTest) -> None:
    await _setup(bot)
    await bot.say(KARIN, "prækursor")
    in_flow = await send_file(bot, KARIN, "liste.docx", b"PK\x03\x04 not a workbook")
    assert "skal være et Excel-regneark (.xlsx), og liste.docx er ikke et" in _text(in_flow)
    assert bot.connector.downloads == []  # refused by its type: nothing fetched
    damaged = await send_file(bot, KARIN, "kemi.xlsx", b"this is not a zip file")
    assert "kemi.xlsx kan ikke læses som et Excel-regneark" in _text(damaged)
    elsewhere = await send_file(bot, OLE, "notes.pdf", b"%PDF-1.7")
    assert "I cannot use that file here" in _text(elsewhere)
    assert await _entries(bot) == 0


async def test_a_20_mb_file_is_refused_with_the_limit_and_not_read_to_the_end(
    bot: BotUnderTest,
) -> None:
    await _setup(bot)
    answer = await send_file(bot, KARIN, "stor.xlsx", b"\0" * (20 * 1024 * 1024))
    assert "stor.xlsx er for stor: jeg tager imod filer på højst 10 MB" in _text(answer)
    (download,) = bot.connector.downloads
    assert not download.complete
    assert download.served < 20 * 1024 * 1024
    assert await _entries(bot) == 0


async def test_importer_says_how_to_send_the_sheet(bot: BotUnderTest) -> None:
    await _setup(bot)
    answer = await bot.say(KARIN, "importér")
    assert "Træk det udfyldte importark (.xlsx) ind i chatten" in _text(answer)


ADMIN = make_user("Anna Admin", "admin@uni.dk", "da-DK")
ORG_YAML = """
units:
  - name: Biologi
    amk:
      - upn: bo@uni.dk
        name: Bo Biolog
"""


async def _unit_names(bot: BotUnderTest) -> set[str]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return {unit.name for unit in await org.list_units(session)}


async def test_an_administrators_organisation_file_is_checked_then_applied(
    bot: BotUnderTest,
) -> None:
    await _setup(bot)
    await bot.install_personal(ADMIN)
    summary = await send_file(bot, ADMIN, "organisation.yaml", ORG_YAML.encode())
    text = _text(summary)
    assert "Klar til import: organisation.yaml" in text
    assert "1 nye enheder, 1 roller tilføjet og 0 roller fjernet" in text
    assert "Nye enheder: Biologi" in text
    assert "Biologi" not in await _unit_names(bot)
    done = await bot.submit(ADMIN, _button(summary, "org.import.confirm"))
    assert "Organisationen er importeret: 1 nye enheder" in _text(done)
    assert "Biologi" in await _unit_names(bot)


async def test_a_second_organisation_file_replaces_the_waiting_one_and_annuller_keeps_all(
    bot: BotUnderTest,
) -> None:
    await _setup(bot)
    await bot.install_personal(ADMIN)
    await send_file(bot, ADMIN, "organisation.yaml", ORG_YAML.encode())
    second = await send_file(bot, ADMIN, "rettet.yaml", ORG_YAML.encode())
    assert "Klar til import: rettet.yaml" in _text(second)
    cancelled = await bot.submit(ADMIN, _button(second, "org.import.cancel"))
    assert "Intet er importeret, og organisationen er uændret" in _text(cancelled)
    assert "Biologi" not in await _unit_names(bot)


async def test_a_broken_organisation_file_changes_nothing_and_only_admins_are_heard(
    bot: BotUnderTest,
) -> None:
    await _setup(bot)
    await bot.install_personal(ADMIN)
    broken = await send_file(bot, ADMIN, "org.yml", b"units:\n  - name: Biologi\n    boss: x\n")
    assert "org.yml kan ikke importeres, og intet er ændret" in _text(broken)
    assert "units.0.boss" in _text(broken)
    from_keeper = await send_file(bot, KARIN, "org.yaml", ORG_YAML.encode())
    assert "Den fil kan jeg ikke bruge her" in _text(from_keeper)
    assert "Biologi" not in await _unit_names(bot)
