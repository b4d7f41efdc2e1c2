"""Photos with a near-miss report: their metadata removed before they are stored.

A phone's photo carries EXIF (GPS position, camera make and owner, the moment it was taken)
and XMP in JPEG application segments, and PNG carries text, time and EXIF chunks. Only the
picture is kept: JPEG keeps its JFIF header (APP0), the Adobe colour segment (APP14) and
everything needed to decode; PNG keeps every chunk but text, time and EXIF. Anything that is
not a well-formed JPEG or PNG is refused rather than stored as it came.

`prepare_photo` is what is stored: a photo larger than the chat shows well (longest side over
`MAX_SIDE` pixels, or over `INLINE_BYTES`) or turned by its EXIF orientation is decoded with
Pillow, turned upright, scaled down and written again as a JPEG that carries no metadata at
all; a small upright one keeps its own bytes, only without metadata. A picture whose header
claims more than `MAX_PIXELS` pixels (a decompression bomb, or a camera's 200-megapixel mode)
is refused before anything is decoded.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from PIL import Image, ImageOps

SHOW_PHOTOS: Final = "near_miss.photos"
"""The report card's button that sends its photos into the reader's chat."""
JPEG: Final = "image/jpeg"
PNG: Final = "image/png"
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
# APP0 (JFIF) and APP14 (Adobe: colour transform) are needed to show the picture right.
_JPEG_KEPT_APP: Final = frozenset({0xE0, 0xEE})
_JPEG_STANDALONE: Final = frozenset({0x01, *range(0xD0, 0xD8)})
_PNG_DROPPED: Final = frozenset({b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"})

MAX_SIDE: Final = 1600
"""The longest side, in pixels, of a photo as stored (enough to see what happened)."""
JPEG_QUALITY: Final = 80
INLINE_BYTES: Final = 1024 * 1024
"""The largest photo the chat gets inline (a base64 `data:` URI in the message); a larger one
is scaled down even when its sides are within `MAX_SIDE`."""
MAX_PIXELS: Final = 50_000_000
"""The most pixels a photo may have (a 12-megapixel phone photo has 12,000,000); decoding more
would take hundreds of megabytes of memory."""
_ORIENTATION: Final = 0x0112


class PhotoProblem(StrEnum):
    """Why a photo cannot be stored."""

    NOT_PHOTO = "not_photo"  # not a JPEG or PNG, or damaged
    TOO_MANY_PIXELS = "too_many_pixels"  # over MAX_PIXELS: refused before decoding


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


def prepare_photo(data: bytes) -> CleanPhoto | PhotoProblem:
    """The photo as it is stored: without metadata, upright, at most `MAX_SIDE` pixels on its
    longest side and `INLINE_BYTES` in size where scaling down gets it there (see the
    module); or why it cannot be stored."""
    cleaned = strip_metadata(data)
    if cleaned is None:
        return PhotoProblem.NOT_PHOTO
    try:
        # Pillow refuses a picture over twice Image.MAX_IMAGE_PIXELS itself, as it opens it
        with Image.open(io.BytesIO(data), formats=("JPEG", "PNG")) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return PhotoProblem.TOO_MANY_PIXELS
            upright = _orientation(image) in (None, 1)
            if upright and max(width, height) <= MAX_SIDE and len(cleaned.data) <= INLINE_BYTES:
                return cleaned
            return CleanPhoto(_downscaled(image), JPEG)
    except Image.DecompressionBombError:
        return PhotoProblem.TOO_MANY_PIXELS
    except (OSError, SyntaxError, ValueError, EOFError):
        return PhotoProblem.NOT_PHOTO


def for_chat(photo: StoredPhoto) -> StoredPhoto:
    """The photo as the chat gets it. One stored before photos were scaled down as they were
    stored can be over `INLINE_BYTES`: it is scaled down now by `prepare_photo`, as it would
    be stored today (the stored photo stays as it is); if that cannot be done, the photo as
    stored."""
    if len(photo.data) <= INLINE_BYTES:
        return photo
    prepared = prepare_photo(photo.data)
    if not isinstance(prepared, CleanPhoto):
        return photo
    return StoredPhoto(photo.id, prepared.content_type, prepared.data)


def _orientation(image: Image.Image) -> int | None:
    """The EXIF orientation tag (1: upright; 6: turned a quarter clockwise …), None if none
    can be read."""
    try:
        value = image.getexif().get(_ORIENTATION)
    except Exception:  # a damaged EXIF block: the picture may still be fine
        return None
    return value if isinstance(value, int) else None


def _downscaled(image: Image.Image) -> bytes:
    """The picture decoded, turned upright, scaled to `MAX_SIDE` and written as a new JPEG:
    nothing of the original's EXIF, XMP, ICC profile or comment is carried over."""
    scale = min(1.0, MAX_SIDE / max(image.size))
    # A JPEG decodes straight at 1/2, 1/4 or 1/8 of its size when that is still large enough.
    image.draft("RGB", (max(1, int(image.width * scale)), max(1, int(image.height * scale))))
    image.load()
    turned = ImageOps.exif_transpose(image) or image
    turned.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    if turned.mode in ("RGBA", "LA", "PA") or "transparency" in turned.info:
        rgba = turned.convert("RGBA")
        picture = Image.new("RGB", rgba.size, "white")
        picture.paste(rgba, mask=rgba.getchannel("A"))
    else:
        picture = Image.new("RGB", turned.size)
        picture.paste(turned.convert("RGB"))
    # a fresh image: no `info` (comment, exif, icc_profile) for Pillow to write again
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    written = strip_metadata(out.getvalue())
    if written is None:
        raise ValueError("the re-encoded photo could not be read back")
    return written.data
