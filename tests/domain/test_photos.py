"""Metadata is removed from photos before they are stored, and the picture is kept whole; a
large one is scaled down, and a picture too large to decode is refused."""

from __future__ import annotations

import io

from PIL import Image

from domain.photos import (
    INLINE_BYTES,
    JPEG,
    MAX_SIDE,
    PNG,
    CleanPhoto,
    PhotoProblem,
    StoredPhoto,
    for_chat,
    prepare_photo,
    strip_metadata,
)
from tests.support.photos import (
    GPS_TEXT,
    OWNER_TEXT,
    SCAN,
    TIME_TEXT,
    jpeg_with_exif,
    phone_photo,
    png_bomb,
    png_with_text,
)


def test_a_jpeg_loses_exif_xmp_and_comments_and_keeps_the_picture() -> None:
    original = jpeg_with_exif()
    clean = strip_metadata(original)
    assert clean is not None and clean.content_type == JPEG
    for secret in (GPS_TEXT, OWNER_TEXT, TIME_TEXT, b"Exif", b"xmpmeta"):
        assert secret in original and secret not in clean.data
    assert clean.data.startswith(b"\xff\xd8\xff\xe0") and b"JFIF" in clean.data
    assert clean.data.endswith(SCAN + b"\xff\xd9")
    assert strip_metadata(clean.data) == clean  # nothing more to remove


def test_a_png_loses_text_time_and_exif_chunks() -> None:
    clean = strip_metadata(png_with_text())
    assert clean is not None and clean.content_type == PNG
    for kind in (b"tEXt", b"eXIf", b"tIME", GPS_TEXT, OWNER_TEXT):
        assert kind not in clean.data
    for kind in (b"IHDR", b"IDAT", b"IEND"):
        assert kind in clean.data


def test_anything_else_is_refused_rather_than_stored_as_it_came() -> None:
    jpeg = jpeg_with_exif()
    png = png_with_text()
    assert strip_metadata(b"GIF89a\x01\x00") is None
    assert strip_metadata(b"%PDF-1.7") is None
    assert strip_metadata(jpeg[:40]) is None  # cut off before the picture
    assert strip_metadata(jpeg[:4] + b"\xff\xff") is None
    assert strip_metadata(png[:30]) is None  # no IEND
    assert strip_metadata(b"\xff\xd8\xff\xd9") is None  # no picture at all


def test_a_small_upright_photo_keeps_its_own_bytes_without_metadata() -> None:
    for original in (jpeg_with_exif(), png_with_text()):
        assert prepare_photo(original) == strip_metadata(original)


def test_a_wide_transparent_png_becomes_a_scaled_jpeg_on_white() -> None:
    picture = Image.new("RGBA", (3200, 200), (255, 0, 0, 0))
    out = io.BytesIO()
    picture.save(out, "PNG")
    prepared = prepare_photo(out.getvalue())
    assert isinstance(prepared, CleanPhoto) and prepared.content_type == JPEG
    stored = Image.open(io.BytesIO(prepared.data))
    assert stored.size == (MAX_SIDE, 100) and stored.getpixel((10, 10)) == (255, 255, 255)


def test_bombs_and_what_is_not_a_picture_are_refused() -> None:
    assert prepare_photo(png_bomb()) is PhotoProblem.TOO_MANY_PIXELS
    assert prepare_photo(b"GIF89a\x01\x00") is PhotoProblem.NOT_PHOTO
    assert prepare_photo(phone_photo()[:100_000]) is PhotoProblem.NOT_PHOTO


def test_the_chat_gets_a_photo_stored_too_large_scaled_down_and_a_small_one_as_stored() -> None:
    small = StoredPhoto(1, JPEG, jpeg_with_exif())
    assert for_chat(small) is small
    damaged = StoredPhoto(2, JPEG, phone_photo()[: 2 * INLINE_BYTES])
    assert for_chat(damaged) is damaged  # cannot be scaled: the dialog names it instead
    shown = for_chat(StoredPhoto(3, JPEG, phone_photo()))
    assert shown.id == 3 and shown.content_type == JPEG and len(shown.data) <= INLINE_BYTES
