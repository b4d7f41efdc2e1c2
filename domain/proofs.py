"""Proof files of § 18 training records and documentation duties: the short reference a
record is known by in the chat ("T-12", "D-7"), which files are taken, and the file as stored.

A proof is a PDF, a JPEG or PNG picture, a Word document (.docx) or an Excel workbook (.xlsx).
The file's bytes decide what it is (its magic numbers, and for .docx and .xlsx the parts of
the zip package); a name whose extension says otherwise, or a type not listed, is refused. A
picture is stored the way near-miss photos are (`domain.photos.prepare_photo`: EXIF, GPS
position and camera details removed, scaled down if large).
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from domain.photos import JPEG, PNG, CleanPhoto, PhotoProblem, prepare_photo

PDF: Final = "application/pdf"
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS: Final[dict[str, str]] = {
    "pdf": PDF,
    "jpg": JPEG,
    "jpeg": JPEG,
    "png": PNG,
    "docx": DOCX,
    "xlsx": XLSX,
}
"""The file types a proof may have (extension → content type)."""
_EXTENSION_OF: Final[dict[str, str]] = {
    PDF: "pdf",
    JPEG: "jpg",
    PNG: "png",
    DOCX: "docx",
    XLSX: "xlsx",
}
NAME_MAX: Final = 200
"""The longest file name kept (the extension included)."""
CONTENT_TYPE_MAX: Final = 100
_REFERENCE: Final = re.compile(r"^(?:bevis|proof)\s+([td])\s*-\s*(\d{1,9})$")
_UNSAFE: Final = re.compile(r"[\\/:*?\"<>|\x00-\x1f\x7f]+")
_ZIP: Final = b"PK\x03\x04"


class RecordKind(StrEnum):
    """What a proof belongs to: a training record (T-12) or a documentation record (D-7)."""

    TRAINING = "T"
    DOCUMENTATION = "D"


@dataclass(frozen=True)
class ProofRef:
    """A record as the chat names it."""

    kind: RecordKind
    record_id: int

    def __str__(self) -> str:
        return f"{self.kind.value}-{self.record_id}"


def training_ref(record_id: int) -> str:
    return str(ProofRef(RecordKind.TRAINING, record_id))


def documentation_ref(record_id: int) -> str:
    return str(ProofRef(RecordKind.DOCUMENTATION, record_id))


def proof_words(text: str) -> ProofRef | None:
    """The record in «bevis T-12» / «proof D-7» (normalised text), or None."""
    found = _REFERENCE.match(text)
    if found is None:
        return None
    record_id = int(found.group(2))
    if not 1 <= record_id <= 2**31 - 1:
        return None
    return ProofRef(RecordKind(found.group(1).upper()), record_id)


class ProofProblem(StrEnum):
    """Why a file cannot be a proof."""

    TYPE = "type"  # not a PDF, JPEG, PNG, .docx or .xlsx, or the name says something else
    TOO_MANY_PIXELS = "too_many_pixels"  # a picture too large to decode (domain.photos)


@dataclass(frozen=True)
class CleanProof:
    """A proof as it is stored: its name, real content type, bytes and their SHA-256."""

    name: str
    content_type: str
    data: bytes
    sha256: str


def sniff(data: bytes) -> str | None:
    """The content type the bytes show, among the proof types; None for anything else."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(_ZIP):
        return _office_type(data)
    return None


def _office_type(data: bytes) -> str | None:
    """A .docx or .xlsx package: a zip with its content-types part and its main part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def safe_name(name: str, content_type: str) -> str:
    """The file's name without folders or characters a file system refuses, ending in the
    extension of what the file really is, at most `NAME_MAX` characters."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    base = " ".join(_UNSAFE.sub(" ", base).split()).strip(". ")
    if "." in base and base.rsplit(".", 1)[1].lower() in EXTENSIONS:
        base = base.rsplit(".", 1)[0].rstrip(". ")
    extension = _EXTENSION_OF[content_type]
    base = (base or "bevis")[: NAME_MAX - len(extension) - 1]
    return f"{base}.{extension}"


def prepare_proof(data: bytes, name: str, file_type: str) -> CleanProof | ProofProblem:
    """The proof as stored, or why not: the bytes must be one of the types and agree with
    the type the name (or Teams, `file_type`) gives; a picture loses its metadata."""
    found = sniff(data)
    declared = EXTENSIONS.get(file_type.strip().lower().lstrip("."))
    if found is None or declared is None or declared != found:
        return ProofProblem.TYPE
    content_type, stored = found, data
    if found in (JPEG, PNG):
        photo = prepare_photo(data)
        if photo is PhotoProblem.TOO_MANY_PIXELS:
            return ProofProblem.TOO_MANY_PIXELS
        if not isinstance(photo, CleanPhoto):
            return ProofProblem.TYPE
        content_type, stored = photo.content_type, photo.data
    return CleanProof(
        name=safe_name(name, content_type),
        content_type=content_type,
        data=stored,
        sha256=hashlib.sha256(stored).hexdigest(),
    )


@dataclass(frozen=True)
class RecordProof:
    """A record's line: its reference ("D-7") and its proof file, if one was sent."""

    ref: str
    file_id: int | None = None


@dataclass(frozen=True)
class StoredProof:
    """A proof file as read back to be sent."""

    id: int
    name: str
    content_type: str
    data: bytes
