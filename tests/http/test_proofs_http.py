"""Proof files over HTTP, as in Teams: after a training or documentation record is saved, its
leader or AMK sends the proof into the chat with «bevis T-1»; the file is checked (its bytes,
not only its name), kept with the record and sent back with **Hent beviset** through the file
consent card to those who may read the record, checked again when they accept. Refusals are
said and audited; retention takes the file with the training record's person."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.file_hosts import FileHosts
from domain.files import FILE_DOWNLOAD_INFO
from domain.retention import RetentionSettings
from services.my_data import DatabaseMyDataServices
from services.retention_jobs import RetentionJob
from storage.documentation_models import DutyRecord
from storage.models import AuditEvent
from storage.proof_models import ProofFile
from storage.training_models import TrainingRecord
from tests.conftest import DatabaseTarget
from tests.support.card_nodes import walk
from tests.support.databases import orm_session
from tests.support.fake_connector import FakeConnector, Sent
from tests.support.photos import GPS_TEXT, OWNER_TEXT, jpeg_with_exif
from tests.support.teams import BotUnderTest, User
from tests.support.wellbeing import (
    AMK,
    EMPLOYEE,
    LEADER,
    OTHER_LEADER,
    SECRETARIAT,
    card_of,
    day,
    setup,
    text,
)

CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + b"0" * 2000 + b"\n%%EOF\n"
MAX_BYTES = 64 * 1024


@pytest.fixture
async def local_bot(
    database_target: DatabaseTarget, connector: FakeConnector
) -> AsyncIterator[BotUnderTest]:
    """The bot in local mode's file rules (any http(s) address), taking files of 64 kB."""
    under_test = BotUnderTest(
        database_target,
        connector,
        admin_upns={"admin@uni.dk"},
        file_hosts=FileHosts(enforced=False, max_bytes=MAX_BYTES),
    )
    await under_test.start()
    try:
        yield under_test
    finally:
        await under_test.stop()


def office(main_part: str) -> bytes:
    """A minimal .docx (`word/document.xml`) or .xlsx (`xl/workbook.xml`) package."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(main_part, "<document/>")
    return out.getvalue()


async def send(bot: BotUnderTest, user: User, text_: str, *files: tuple[str, bytes]) -> str:
    """Files dropped into the chat with `text_`, as Teams sends them; what the bot said."""
    attachments: list[dict[str, Any]] = []
    for name, data in files:
        attachments.append(
            {
                "contentType": FILE_DOWNLOAD_INFO,
                "name": name,
                "contentUrl": "https://uni-my.sharepoint.com/personal/x/Documents/" + name,
                "content": {
                    "downloadUrl": bot.connector.serve_file(
                        f"{len(bot.connector.files)}.bin", data
                    ),
                    "uniqueId": "8b3c0d6e-1f2a-4b5c-9d8e-7f6a5b4c3d2e",
                    "fileType": name.rsplit(".", 1)[-1],
                },
            }
        )
    fields: dict[str, Any] = {"text": text_}
    if attachments:
        fields["attachments"] = attachments
    sent = await bot._exchange(bot.personal(user, **fields))
    return _said(sent)


def _said(sent: list[Sent]) -> str:
    return " ".join(item.text + " " + item.card_text() for item in sent)


def _consents(sent: list[Sent]) -> list[dict[str, Any]]:
    return [
        item
        for message in sent
        for item in message.body.get("attachments") or []
        if item.get("contentType") == CONSENT
    ]


def fetch_button(card: dict[str, Any] | None) -> dict[str, Any]:
    """The data of the card's **Hent beviset** (the only one)."""
    (data,) = [
        dict(node["data"])
        for node in walk(card)
        if isinstance(node.get("data"), dict) and node["data"].get("kind") == "proof"
    ]
    assert data["action"] == "export.offer"
    return data


async def _rows(bot: BotUnderTest, model: Any) -> list[Any]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list((await session.scalars(select(model).order_by(model.id))).all())


async def _events(bot: BotUnderTest, action: str) -> list[AuditEvent]:
    return [e for e in await _rows(bot, AuditEvent) if e.action == action]


async def _training(bot: BotUnderTest, kemi: int) -> tuple[int, str]:
    """The AMK records Emil's training; its id and what the receipt card says."""
    values = {
        "unit_id": kemi,
        "person": EMPLOYEE.upn,
        "activity": "Kursus i håndtering af flussyre",
        "kind": "course",
        "given_on": day(-20),
        "given_by": "Kemisk Institut",
        "proof": "",
    }
    saved = text(card_of(await bot.invoke(AMK, "training.record", values)))
    [record] = await _rows(bot, TrainingRecord)
    return record.id, saved


async def test_a_pdf_proof_on_a_training_record_goes_only_to_those_who_may_read_it(
    local_bot: BotUnderTest,
) -> None:
    bot = local_bot
    kemi, _ = await setup(bot)
    record_id, receipt = await _training(bot, kemi)
    ref = f"T-{record_id}"
    assert f"send filen her i chatten med teksten «bevis {ref}»" in receipt
    assert f"Nr. {ref}" in receipt

    said = await send(bot, AMK, f"bevis {ref}", ("kursusbevis Emil.pdf", PDF))
    assert f"Beviset er gemt med {ref}: kursusbevis Emil.pdf." in said
    [stored] = await _rows(bot, ProofFile)
    assert (stored.training_record_id, stored.duty_record_id) == (record_id, None)
    assert (stored.name, stored.content_type, stored.size) == (
        "kursusbevis Emil.pdf",
        "application/pdf",
        len(PDF),
    )
    assert stored.data == PDF and stored.sha256 == hashlib.sha256(PDF).hexdigest()
    [attached] = await _events(bot, "proof.attach")
    assert (attached.entity_type, attached.entity_id) == ("training_record", str(record_id))
    assert attached.after is not None and "kursusbevis" not in str(attached.after)

    # the person: their own records carry the button; accepting uploads the very bytes
    mine = card_of(await bot.invoke(EMPLOYEE, "training.mine", {"unit_id": kemi}))
    button = fetch_button(mine)
    assert button["proof_id"] == stored.id
    (consent,) = _consents(await bot.submit(EMPLOYEE, button))
    assert consent["name"] == "kursusbevis Emil.pdf"
    assert consent["content"]["sizeInBytes"] == len(PDF)
    assert "beviset, til din OneDrive" in consent["content"]["description"]
    before = len(bot.connector.sent)
    answer = await bot.file_consent(EMPLOYEE, consent)
    assert answer.status == 200
    (put,) = bot.connector.uploads
    assert put.body == PDF
    after = [item for item in bot.connector.sent[before:] if item.method == "POST"]
    assert any(
        item.get("contentType") == FILE_INFO
        for message in after
        for item in message.body.get("attachments") or []
    )
    [fetched] = await _events(bot, "proof.fetch")
    assert (fetched.entity_type, fetched.entity_id) == ("training_record", str(record_id))
    assert fetched.after == {"file_id": stored.id, "bytes": len(PDF)}

    # the unit's leader may have it too; another unit's leader and the secretariat may not
    unit_card = card_of(await bot.invoke(LEADER, "training.unit", {"unit_id": kemi}))
    assert _consents(await bot.submit(LEADER, fetch_button(unit_card)))
    for outsider in (OTHER_LEADER, SECRETARIAT):
        refused = await bot.submit(outsider, button)
        assert not _consents(refused)
        assert "Du har ikke adgang til det bevis." in _said(refused)
    # a consent card answered by someone else is checked again: nothing is uploaded
    await bot.file_consent(OTHER_LEADER, consent)
    assert len(bot.connector.uploads) == 1
    assert len(await _events(bot, "proof.fetch.refused")) == 3
    assert len(await _events(bot, "proof.fetch")) == 1


async def test_a_documentation_records_proof_is_replaced_and_fetched_from_the_overview(
    local_bot: BotUnderTest,
) -> None:
    bot = local_bot
    kemi, _ = await setup(bot)
    saved = card_of(
        await bot.invoke(
            LEADER,
            "documentation.record",
            {"unit_id": kemi, "duty": "apv_physical", "met_on": day(-200), "proof": ""},
        )
    )
    [record] = await _rows(bot, DutyRecord)
    ref = f"D-{record.id}"
    assert f"«bevis {ref}»" in text(saved) and f"Nr. {ref}" in text(saved)

    assert f"gemt med {ref}: apv.pdf" in await send(bot, LEADER, f"bevis {ref}", ("apv.pdf", PDF))
    report = office("word/document.xml")
    said = await send(bot, AMK, f"proof {ref.lower()}", ("APV-rapport.docx", report))
    assert f"gemt med {ref}: APV-rapport.docx. Det erstatter den fil, der var der før." in said
    [stored] = await _rows(bot, ProofFile)
    assert stored.duty_record_id == record.id and stored.data == report
    assert stored.content_type.endswith("wordprocessingml.document")

    # whoever may see the overview may have it: here an employee
    overview = card_of(await bot.invoke(EMPLOYEE, "documentation.show", {"unit_id": kemi}))
    assert f"Nr. {ref}" in text(overview)
    (consent,) = _consents(await bot.submit(EMPLOYEE, fetch_button(overview)))
    assert consent["name"] == "APV-rapport.docx"
    await bot.file_consent(EMPLOYEE, consent)
    (put,) = bot.connector.uploads
    assert put.body == report
    [fetched] = await _events(bot, "proof.fetch")
    assert (fetched.entity_type, fetched.entity_id) == ("duty_record", str(record.id))


async def test_a_proof_that_is_not_taken_is_refused_in_words_and_audited(
    local_bot: BotUnderTest,
) -> None:
    bot = local_bot
    kemi, _ = await setup(bot)
    record_id, _ = await _training(bot, kemi)
    ref = f"T-{record_id}"

    alone = await send(bot, AMK, f"bevis {ref}")
    assert f"Send filen i samme besked som «bevis {ref}»" in alone and "64 kB" in alone
    program = b"MZ\x90\x00" + b"\x00" * 400
    assert "kan ikke gemmes som bevis" in await send(bot, AMK, f"bevis {ref}", ("b.pdf", program))
    png_named_pdf = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    refused = await send(bot, AMK, f"bevis {ref}", ("kort.pdf", png_named_pdf))
    assert "kort.pdf kan ikke gemmes som bevis" in refused
    assert "kan ikke gemmes" in await send(bot, AMK, f"bevis {ref}", ("noter.txt", b"tekst"))
    zipped = office("noget/andet.xml")
    assert "kan ikke gemmes" in await send(bot, AMK, f"bevis {ref}", ("x.xlsx", zipped))
    large = b"%PDF-1.7\n" + b"0" * MAX_BYTES
    assert "stor.pdf er for stor: jeg tager imod filer på højst 64 kB" in await send(
        bot, AMK, f"bevis {ref}", ("stor.pdf", large)
    )
    two = await send(bot, AMK, f"bevis {ref}", ("a.pdf", PDF), ("b.pdf", PDF))
    assert "Send én fil ad gangen" in two

    downloads = len(bot.connector.downloads)
    for someone in (EMPLOYEE, OTHER_LEADER, SECRETARIAT):
        said = await send(bot, someone, f"bevis {ref}", ("bevis.pdf", PDF))
        assert f"Du kan ikke tilføje et bevis til {ref}" in said
    assert len(bot.connector.downloads) == downloads, "not fetched for someone refused"
    unknown = await send(bot, AMK, "bevis T-999999", ("bevis.pdf", PDF))
    assert "Jeg kan ikke finde T-999999" in unknown

    assert await _rows(bot, ProofFile) == []
    reasons = [(e.after or {}).get("reason") for e in await _events(bot, "proof.attach.refused")]
    assert reasons == ["type"] * 4 + ["too_large"] + ["not_allowed"] * 3 + ["unknown"]

    # a picture is kept without its metadata
    said = await send(bot, AMK, f"bevis {ref}", ("foto.jpg", jpeg_with_exif()))
    assert "GPS-position, kameraoplysninger og tidspunkt er fjernet" in said
    [photo] = await _rows(bot, ProofFile)
    assert photo.content_type == "image/jpeg"
    assert GPS_TEXT not in photo.data and OWNER_TEXT not in photo.data


async def test_retention_removes_the_proof_file_with_the_training_records_person(
    local_bot: BotUnderTest,
) -> None:
    bot = local_bot
    kemi, _ = await setup(bot)
    record_id, _ = await _training(bot, kemi)
    await send(bot, AMK, f"bevis T-{record_id}", ("kursusbevis.pdf", PDF))
    mine = card_of(await bot.invoke(EMPLOYEE, "training.mine", {"unit_id": kemi}))
    button = fetch_button(mine)
    assert len(await _rows(bot, ProofFile)) == 1

    assert bot.runtime is not None
    later = datetime.now(UTC) + timedelta(days=6 * 366)
    done = await RetentionJob(bot.runtime.db, RetentionSettings()).apply(later)
    assert done["training"] == 1
    assert await _rows(bot, ProofFile) == []
    gone = await bot.submit(EMPLOYEE, button)
    assert not _consents(gone) and "Det bevis findes ikke længere" in _said(gone)


async def test_erasing_the_person_deletes_the_proof_files_of_their_training(
    local_bot: BotUnderTest,
) -> None:
    bot = local_bot
    kemi, _ = await setup(bot)
    record_id, _ = await _training(bot, kemi)
    await send(bot, AMK, f"bevis T-{record_id}", ("kursusbevis Emil Medarbejder.pdf", PDF))
    assert bot.runtime is not None
    services = DatabaseMyDataServices(bot.runtime.db)
    preview = await services.erase(EMPLOYEE.upn, dry_run=True, actor="test")
    assert preview is not None and preview.files == 1
    assert len(await _rows(bot, ProofFile)) == 1, "a dry run deletes nothing"
    erased = await services.erase(EMPLOYEE.upn, dry_run=False, actor="test")
    assert erased is not None and erased.files == 1
    assert await _rows(bot, ProofFile) == []
    [event] = await _events(bot, "person.erase")
    assert event.after is not None and event.after["proof_files"] == 1
