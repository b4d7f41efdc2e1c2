"""Photos with a near-miss report: their metadata removed before they are stored.

A phone's photo carries EXIF (GPS position, camera make and owner, the moment it was taken)
and XMP in JPEG application segments, and PNG carries text, time and EXIF chunks. Only the
picture is kept: JPEG keeps its JFIF header (APP0), the Adobe colour segment (APP14) and
everything needed to decode; PNG keeps every chunk but text, time and EXIF. Anything that is
not a well-formed JPEG or PNG is refused rather than stored as it came.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Final

SHOW_PHOTOS: Final = "near_miss.photos"
"""The report card's button that sends its photos into the reader's chat."""
JPEG: Final = "image/jpeg"
PNG: Final = "image/png"
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
# APP0 (JFIF) and APP14 (Adobe: colour transform) are needed to show the picture right.
_JPEG_KEPT_APP: Final = frozenset({0xE0, 0xEE})
_JPEG_STANDALONE: Final = frozenset({0x01, *range(0xD0, 0xD8)})
_PNG_DROPPED: Final = frozenset({b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"})


@dataclass(frozen=True)
class CleanPhoto:
    """A photo without its metadata, and its real content type."""

    data: bytes
    content_type: str


@dataclass(frozen=True)
class StoredPhoto:
    """A photo as stored with a report."""

    id: int
    content_type: str
    data: bytes


def strip_metadata(data: bytes) -> CleanPhoto | None:
    """The photo without EXIF, XMP, comments or text chunks; None if it is not a JPEG or PNG
    that can be read through."""
    if data.startswith(b"\xff\xd8"):
        cleaned = _strip_jpeg(data)
        return CleanPhoto(cleaned, JPEG) if cleaned is not None else None
    if data.startswith(_PNG_SIGNATURE):
        cleaned = _strip_png(data)
        return CleanPhoto(cleaned, PNG) if cleaned is not None else None
    return None


def _strip_jpeg(data: bytes) -> bytes | None:
    out = bytearray(b"\xff\xd8")
    at = 2
    while at < len(data):
        if data[at] != 0xFF:
            return None
        while at < len(data) and data[at] == 0xFF:  # fill bytes
            at += 1
        if at >= len(data):
            return None
        marker = data[at]
        at += 1
        if marker in _JPEG_STANDALONE:
            out += bytes((0xFF, marker))
            continue
        if marker == 0xD9:  # end of image before any scan
            return None
        if at + 2 > len(data):
            return None
        (length,) = struct.unpack(">H", data[at : at + 2])
        if length < 2 or at + length > len(data):
            return None
        segment = data[at : at + length]
        at += length
        if marker == 0xDA:  # start of scan: the picture itself follows to the end
            out += bytes((0xFF, marker)) + segment + data[at:]
            return bytes(out)
        if (0xE0 <= marker <= 0xEF and marker not in _JPEG_KEPT_APP) or marker == 0xFE:
            continue  # EXIF, XMP, ICC, maker notes, comments
        out += bytes((0xFF, marker)) + segment
    return None


def _strip_png(data: bytes) -> bytes | None:
    out = bytearray(_PNG_SIGNATURE)
    at = len(_PNG_SIGNATURE)
    while at + 12 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        end = at + 12 + length
        if end > len(data) or not kind.isalpha():
            return None
        if kind not in _PNG_DROPPED:
            out += data[at:end]
        at = end
        if kind == b"IEND":
            return bytes(out)
    return None
