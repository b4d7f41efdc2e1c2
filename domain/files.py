"""Files sent to the bot in a personal chat: what Teams says about them, and what may become
of them (which kinds each use accepts, why a download was refused)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

FILE_DOWNLOAD_INFO: Final = "application/vnd.microsoft.teams.file.download.info"
WORKBOOK_TYPES: Final = frozenset({"xlsx"})
ORG_FILE_TYPES: Final = frozenset({"yaml", "yml"})
PHOTO_TYPES: Final = frozenset({"jpg", "jpeg", "png"})


class FileKind(StrEnum):
    """A file dropped into the chat (on SharePoint, fetched without a token), or an image
    pasted into the message (behind the Bot Connector, fetched with the bot's token)."""

    FILE = "file"
    IMAGE = "image"


@dataclass(frozen=True)
class IncomingFile:
    """One file or image of a message, as Teams describes it (nothing fetched yet)."""

    kind: FileKind
    name: str
    url: str
    file_type: str

    @property
    def is_photo(self) -> bool:
        return self.file_type in PHOTO_TYPES


class FetchProblem(StrEnum):
    """Why a file was not fetched."""

    HOST = "host"  # not where Teams keeps files: never fetched
    TOO_LARGE = "too_large"  # over the limit: reading stopped there
    FAILED = "failed"  # no answer, an error status, or a timeout


@dataclass(frozen=True)
class Fetched:
    """The bytes of a file, or why there are none."""

    data: bytes | None = None
    problem: FetchProblem | None = None


def file_type_of(name: str, declared: str | None = None, content_type: str | None = None) -> str:
    """The file's type in lower case, from what Teams declares, the name's extension or the
    image's content type ("" if none)."""
    if declared and declared.strip():
        return declared.strip().lower().lstrip(".")
    if "." in name:
        return name.rsplit(".", 1)[1].strip().lower()
    if content_type and content_type.startswith("image/"):
        subtype = content_type.split("/", 1)[1].split(";", 1)[0].strip().lower()
        return "jpg" if subtype in ("jpeg", "pjpeg") else subtype
    return ""


def megabytes(size: int) -> str:
    """A size limit as people say it ("10 MB")."""
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 1 else f"{max(size // 1024, 1)} kB"
