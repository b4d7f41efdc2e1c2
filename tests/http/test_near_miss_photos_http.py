"""Near-miss photos over HTTP: pasted into the chat while reporting (or afterwards with the
report's number), stored without their metadata and without their sender, and shown to the
AMK from the report card."""

from __future__ import annotations

import base64
import io
from datetime import UTC, datetime
from typing import Any

from PIL import ExifTags, Image
from sqlalchemy import select

from domain.files import FILE_DOWNLOAD_INFO
from domain.i18n import COPENHAGEN
from domain.photos import INLINE_BYTES, SHOW_PHOTOS, strip_metadata
from storage import near_miss_photos
from storage.models import AuditEvent, DialogStateRow
from storage.near_miss_models import NearMissPhoto
from tests.support.card_nodes import walk
from tests.support.databases import orm_session
from tests.support.fake_connector import Sent
from tests.support.near_miss import AMK, OUTSIDER, REPORTER, form, reports, setup, to
from tests.support.photos import (
    GPS_TEXT,
    OWNER_TEXT,
    PHONE_OWNER,
    SCAN,
    jpeg_with_exif,
    phone_photo,
    png_bomb,
    png_with_text,
)
from tests.support.teams import BotUnderTest, User

YEAR = datetime.now(COPENHAGEN).year
NOW = datetime.now(UTC)


async def paste(bot: BotUnderTest, user: User, data: bytes, text: str | None = None) -> list[Sent]:
    """An image pasted into the message, as Teams sends it: an `image/*` attachment behind
    the connector, and the message's HTML copy."""
    image_id = f"0-weu-d3-{len(bot.connector.files)}"
    url = bot.connector.serve_image(image_id, data)
    attachments = [
        {"contentType": "image/jpeg", "contentUrl": url},
        {"contentType": "text/html", "content": f'<p>{text or ""}<img src="{url}"></p>'},
    ]
    fields: dict[str, Any] = {"attachments": attachments}
    if text:
        fields["text"] = text
    return await bot._exchange(bot.personal(user, **fields))


def _text(sent: list[Sent]) -> str:
    return " ".join(item.text + " " + item.card_text() for item in sent)


async def _photos(bot: BotUnderTest) -> list[NearMissPhoto]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        return list((await session.scalars(select(NearMissPhoto).order_by(NearMissPhoto.id))).all())


async def _audit(bot: BotUnderTest, action: str) -> list[AuditEvent]:
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        found = await session.scalars(select(AuditEvent).where(AuditEvent.action == action))
        return list(found.all())


def _show_button(card: dict[str, Any] | None) -> dict[str, Any]:
    for node in walk(card):
        data = node.get("data")
        if isinstance(data, dict) and data.get("action") == SHOW_PHOTOS:
            assert node["title"] == "Vis fotos (1)"
            return dict(data)
    raise AssertionError("no photo button on the card")


async def test_a_photo_sent_while_reporting_is_stored_without_its_gps_and_shown_to_the_amk(
    bot: BotUnderTest,
) -> None:
    kemi = await setup(bot)
    await bot.say(REPORTER, "nærved")
    kept = await paste(bot, REPORTER, jpeg_with_exif())
    text = _text(kept)
    assert "Fotoet er gemt og kommer med indberetningen, når du sender formularen (1 i alt)" in text
    assert "GPS-position, kameraoplysninger og tidspunkt er fjernet" in text
    assert "et foto stadig kan afsløre, hvem der har taget det" in text
    (pending,) = await _photos(bot)
    assert pending.report_id is None and pending.pending_key
    await bot.submit(REPORTER, form(kemi))
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    (stored_report,) = await reports(bot)
    (photo,) = await _photos(bot)
    assert photo.report_id == stored_report.id and photo.pending_key is None
    assert photo.content_type == "image/jpeg"
    assert GPS_TEXT not in photo.data and OWNER_TEXT not in photo.data and b"Exif" not in photo.data
    assert photo.data.endswith(SCAN + b"\xff\xd9")
    amk_card = to(bot.connector.messages(), AMK)[-1].card
    shown = await bot.submit(AMK, _show_button(amk_card))
    assert f"Fotos til NM-{YEAR}-0001" in _text(shown)
    (image,) = [item.body["attachments"][0] for item in shown if item.body.get("attachments")]
    assert image["contentType"] == "image/jpeg"
    assert image["contentUrl"].startswith("data:image/jpeg;base64,")
    assert base64.b64decode(image["contentUrl"].split(",", 1)[1]) == photo.data
    (read,) = await _audit(bot, "near_miss.photos.view")
    assert read.entity_id == str(stored_report.id) and read.actor.startswith("person:")
    refused = await bot.submit(OUTSIDER, _show_button(amk_card))
    assert "Du har ikke adgang til fotos fra den indberetning" in _text(refused)
    assert not any(item.body.get("attachments") for item in refused)
    assert len(await _audit(bot, "near_miss.refused")) == 1


async def test_an_anonymous_reports_photo_keeps_nothing_that_leads_back_to_the_reporter(
    bot: BotUnderTest,
) -> None:
    kemi = await setup(bot)
    await bot.say(REPORTER, "nærved")
    before = len(await _audit(bot, "near_miss.report"))
    kept = await paste(bot, REPORTER, png_with_text())
    assert "Indberetter du anonymt" in _text(kept)
    await bot.submit(REPORTER, form(kemi, anonymous="true"))
    (stored_report,) = await reports(bot)
    assert stored_report.anonymous and stored_report.reporter_id is None
    (photo,) = await _photos(bot)
    assert photo.report_id == stored_report.id
    assert photo.pending_key is None and OWNER_TEXT not in photo.data
    assert photo.created_at == stored_report.created_at  # not the moment it was sent
    assert set(NearMissPhoto.__table__.columns.keys()) == {
        "id",
        "report_id",
        "pending_key",
        "content_type",
        "size",
        "data",
        "created_at",
    }
    (event,) = (await _audit(bot, "near_miss.report"))[before:]
    assert event.actor == "anonymous"
    assert bot.runtime is not None
    async with orm_session(bot.runtime.db) as session:
        states = (await session.scalars(select(DialogStateRow.data))).all()
    assert not any("photo_key" in state for state in states)
    assert await _audit(bot, "near_miss.photo.add") == []


async def test_the_named_reporter_adds_a_photo_afterwards_by_the_reports_number(
    bot: BotUnderTest,
) -> None:
    kemi = await setup(bot)
    await bot.say(REPORTER, "nærved")
    await bot.submit(REPORTER, form(kemi))
    number = f"NM-{YEAR}-0001"
    how = await bot.say(REPORTER, f"foto {number}")
    assert f"Sæt fotoet ind i samme besked som «foto {number}»" in _text(how)
    added = await paste(bot, REPORTER, jpeg_with_exif(), text=f"foto {number}")
    assert f"Fotoet er tilføjet {number} (1 i alt)" in _text(added)
    (photo,) = await _photos(bot)
    assert GPS_TEXT not in photo.data
    (event,) = await _audit(bot, "near_miss.photo.add")
    assert event.actor.startswith("person:")
    stranger = await paste(bot, OUTSIDER, jpeg_with_exif(), text=f"foto {number}")
    assert "Jeg kan kun tilføje fotos til dine egne indberetninger" in _text(stranger)
    assert len(await _photos(bot)) == 1


async def test_a_file_that_is_not_a_photo_is_not_stored(bot: BotUnderTest) -> None:
    await setup(bot)
    await bot.say(REPORTER, "nærved")
    url = bot.connector.serve_file("skitse.jpg", b"GIF89a not really a jpeg")
    attachment = {
        "contentType": FILE_DOWNLOAD_INFO,
        "name": "skitse.jpg",
        "content": {"downloadUrl": url, "uniqueId": "x", "fileType": "jpg"},
    }
    answer = await bot._exchange(bot.personal(REPORTER, attachments=[attachment]))
    assert "skitse.jpg kan ikke gemmes som foto: jeg tager imod billeder i JPEG og PNG" in _text(
        answer
    )
    assert await _photos(bot) == []


def _picture(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


async def test_a_phone_photo_is_stored_scaled_down_without_its_metadata_and_shown_inline(
    bot: BotUnderTest,
) -> None:
    original = phone_photo()
    assert len(original) > 4 * INLINE_BYTES
    assert _picture(original).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the position is there
    kemi = await setup(bot)
    await bot.say(REPORTER, "nærved")
    kept = await paste(bot, REPORTER, original)
    assert "Fotoet er gemt og kommer med indberetningen" in _text(kept)
    await bot.submit(REPORTER, form(kemi))
    assert bot.runtime is not None
    await bot.runtime.background.drain()
    (photo,) = await _photos(bot)
    assert photo.content_type == "image/jpeg" and photo.size == len(photo.data) <= INLINE_BYTES
    stored = _picture(photo.data)
    assert stored.size == (1600, 1200) and stored.format == "JPEG"
    assert dict(stored.getexif()) == {} and "comment" not in stored.info
    for secret in (b"Exif", b"GPS", PHONE_OWNER.encode(), OWNER_TEXT, b"Phone maker"):
        assert secret not in photo.data
    amk_card = to(bot.connector.messages(), AMK)[-1].card
    shown = await bot.submit(AMK, _show_button(amk_card))
    (image,) = [item.body["attachments"][0] for item in shown if item.body.get("attachments")]
    assert base64.b64decode(image["contentUrl"].split(",", 1)[1]) == photo.data
    assert "for stort til at blive vist" not in _text(shown)


async def test_a_photo_stored_too_large_before_scaling_is_shown_scaled_down(
    bot: BotUnderTest,
) -> None:
    kemi = await setup(bot)
    await bot.say(REPORTER, "nærved")
    await bot.submit(REPORTER, form(kemi))
    assert bot.runtime is not None
    await bot.runtime.background.drain()  # the AMK's card about the new report is sent
    (report,) = await reports(bot)
    old = strip_metadata(phone_photo())  # as photos were stored before they were scaled down
    assert old is not None and len(old.data) > INLINE_BYTES
    async with bot.runtime.db.writing() as connection:
        await near_miss_photos.add(
            connection, data=old.data, content_type=old.content_type, now=NOW, report_id=report.id
        )
    shown = await bot.submit(AMK, {"action": SHOW_PHOTOS, "report_id": report.id})
    assert "for stort til at blive vist" not in _text(shown)
    (image,) = [item.body["attachments"][0] for item in shown if item.body.get("attachments")]
    sent = base64.b64decode(image["contentUrl"].split(",", 1)[1])
    assert len(sent) <= INLINE_BYTES and _picture(sent).size == (1600, 1200)
    (photo,) = await _photos(bot)
    assert photo.data == old.data  # shown scaled down, not stored again


async def test_a_photo_taken_upright_is_stored_upright(bot: BotUnderTest) -> None:
    kemi = await setup(bot)
    await bot.say(REPORTER, "nærved")
    await bot.submit(REPORTER, form(kemi))
    number = f"NM-{YEAR}-0001"
    added = await paste(bot, REPORTER, phone_photo(orientation=6), text=f"foto {number}")
    assert f"Fotoet er tilføjet {number} (1 i alt)" in _text(added)
    (photo,) = await _photos(bot)
    assert _picture(photo.data).size == (1200, 1600)


async def test_a_decompression_bomb_and_a_damaged_photo_are_refused_with_a_reason(
    bot: BotUnderTest,
) -> None:
    await setup(bot)
    await bot.say(REPORTER, "nærved")
    bomb = await paste(bot, REPORTER, png_bomb())
    assert "er et for stort billede til at blive gemt: højst 50 megapixel" in _text(bomb)
    damaged = phone_photo()[:200_000]
    cut = await paste(bot, REPORTER, damaged)
    assert "kan ikke gemmes som foto: jeg tager imod billeder i JPEG og PNG" in _text(cut)
    assert await _photos(bot) == []
    await bot.say(REPORTER, "language")
    await bot.say(REPORTER, "nærved")
    english = await paste(bot, REPORTER, png_bomb())
    assert "is too large a picture to be saved: at most 50 megapixels" in _text(english)
    assert await _photos(bot) == []
