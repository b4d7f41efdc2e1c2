"""JPEG and PNG files with the metadata a phone writes (GPS, owner, time): small hand-made
ones, and a phone-sized photo made with Pillow."""

from __future__ import annotations

import io
import struct
import zlib
from functools import cache

from PIL import ExifTags, Image

GPS_TEXT = b"GPSLatitude 55.7861 N GPSLongitude 12.5234 E"
OWNER_TEXT = b"CameraOwnerName Mette Reporter"
TIME_TEXT = b"DateTimeOriginal 2026:11:25 08:12:44"
SCAN = bytes(range(0, 0xFF)) * 4  # entropy-coded data (no 0xFF bytes in it)


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_exif() -> bytes:
    """A JPEG whose APP1 holds EXIF with a GPS position, the camera owner and the time, plus
    XMP and a comment; the picture's own segments (JFIF, tables, frame, scan) around them."""
    exif = b"Exif\0\0MM\0*\0\0\0\x08" + GPS_TEXT + b"\0" + OWNER_TEXT + b"\0" + TIME_TEXT
    xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>" + GPS_TEXT + b"</x:xmpmeta>"
    return (
        b"\xff\xd8"
        + _segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0")
        + _segment(0xE1, exif)
        + _segment(0xE1, xmp)
        + _segment(0xFE, b"taken by " + OWNER_TEXT)
        + _segment(0xDB, b"\0" + bytes(range(1, 65)))
        + _segment(0xC0, b"\x08\0\x01\0\x01\x01\x01\x11\0")
        + _segment(0xDA, b"\x01\x01\0\0\x3f\0")
        + SCAN
        + b"\xff\xd9"
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with_text() -> bytes:
    """A 1×1 PNG with an author text, an EXIF chunk and a time chunk."""
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + _chunk(b"tEXt", b"Author\0" + OWNER_TEXT)
        + _chunk(b"eXIf", b"MM\0*" + GPS_TEXT)
        + _chunk(b"tIME", b"\x07\xea\x0b\x19\x08\x0c\x2c")
        + _chunk(b"IDAT", zlib.compress(b"\0\xff\0\0"))
        + _chunk(b"IEND", b"")
    )


PHONE_SIZE = (4000, 3000)
PHONE_OWNER = "Mette Reporter"


@cache
def phone_photo(orientation: int = 1) -> bytes:
    """A 4000×3000 JPEG of noise (so it stays several megabytes, as a phone's photo is) with
    EXIF as a phone writes it: GPS position, camera owner, time, the orientation (6: the
    phone was held upright, the picture is to be turned a quarter clockwise) and a comment."""
    picture = Image.effect_noise(PHONE_SIZE, 40).convert("RGB")
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Phone maker"
    exif[ExifTags.Base.CameraOwnerName] = PHONE_OWNER
    exif[ExifTags.Base.DateTimeOriginal] = "2026:11:25 08:12:44"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (55.0, 47.0, 10.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (12.0, 31.0, 24.0),
    }
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90, exif=exif, comment=b"taken by " + OWNER_TEXT)
    return out.getvalue()


def png_bomb() -> bytes:
    """A small PNG whose header claims 30000×30000 pixels (900 megapixels: gigabytes once
    decoded)."""
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 0, 0, 0, 0))
        + _chunk(b"IDAT", zlib.compress(bytes(30001 * 64)))
        + _chunk(b"IEND", b"")
    )
