"""Files and images in a personal-chat message: what the message holds, and the port that
fetches them (`bot.files_in.Downloads`: allowed hosts only, size-capped)."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from botbuilder.core import TurnContext
from botbuilder.dialogs import DialogContext

from domain.actor import Speaker
from domain.files import (
    FILE_DOWNLOAD_INFO,
    Fetched,
    FetchProblem,
    FileKind,
    IncomingFile,
    file_type_of,
    megabytes,
)
from domain.i18n import t


class FileFetcher(Protocol):
    """Fetches a file of the turn's message (never from a host Teams does not keep files on)."""

    @property
    def max_bytes(self) -> int: ...

    async def fetch(self, file: IncomingFile, service_url: str) -> Fetched: ...


@runtime_checkable
class FileReceiver(Protocol):
    """A module that takes files sent into the chat (a workbook, an organisation file, photos)."""

    async def on_files(
        self, dialog_context: DialogContext, files: list[IncomingFile], text: str
    ) -> bool:
        """Handle the message's files (`text`: what was typed with them, normalised); False if
        they are not for this module in this state."""


def incoming_files(activity: Any) -> list[IncomingFile]:
    """The files dropped into the message (`file.download.info`) and the images pasted into
    it (`image/*` with a `contentUrl`); cards and the message's HTML copy are not files."""
    found: list[IncomingFile] = []
    for attachment in getattr(activity, "attachments", None) or []:
        content_type = str(getattr(attachment, "content_type", "") or "")
        name = str(getattr(attachment, "name", "") or "")
        if content_type == FILE_DOWNLOAD_INFO:
            content = getattr(attachment, "content", None)
            info = content if isinstance(content, dict) else {}
            url = info.get("downloadUrl")
            if isinstance(url, str) and url:
                declared = info.get("fileType")
                found.append(
                    IncomingFile(
                        FileKind.FILE,
                        name,
                        url,
                        file_type_of(name, declared if isinstance(declared, str) else None),
                    )
                )
        elif content_type.startswith("image/"):
            url = getattr(attachment, "content_url", None)
            if isinstance(url, str) and url:
                found.append(
                    IncomingFile(FileKind.IMAGE, name, url, file_type_of("", None, content_type))
                )
    return found


def files_of(turn_context: TurnContext) -> list[IncomingFile]:
    return incoming_files(turn_context.activity)


def fetch_problem_text(
    speaker: Speaker, problem: FetchProblem | None, name: str, limit: int
) -> str:
    """Why a file sent into the chat could not be used, as the sender reads it."""
    if problem is FetchProblem.TOO_LARGE:
        return t(speaker.lang, "files_in.too_large", name=name, limit=megabytes(limit))
    if problem is FetchProblem.HOST:
        return t(speaker.lang, "files_in.host")
    return t(speaker.lang, "files_in.failed", name=name)
