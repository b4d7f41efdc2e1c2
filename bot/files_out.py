"""Registers sent as files in a personal chat, the way Teams lets a bot send files: the bot
offers the file with a file consent card, the person accepts, Teams answers with a
`fileConsent/invoke` holding an upload URL in their OneDrive, the bot PUTs the bytes there
(`Content-Range`) and shows the file with a file info card.

The workbook is built when it is offered (so the card states its size), in the export worker
process (`services.exports`), and kept a quarter of an hour for the accept; the accept checks
again that the person may have it (the card's context says only what was asked for) and
builds it again if it is no longer kept. Building and uploading give the turn's place up
(`bot.turn_gate.aside`), so other people's turns go on meanwhile.
The upload URL must be on a Teams file host (`bot.file_hosts.FileHosts`); a refused or
failed upload says so, and nothing is claimed as sent."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Literal, Protocol

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.schema import ActivityTypes, Attachment, InvokeResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.file_hosts import FileHosts
from bot.turn_gate import aside
from cards.exports import consent_attachment, file_info_attachment
from dialogs.outgoing import OutgoingActivity, text_activity
from domain.actor import Speaker
from domain.exports import ExportKind, ExportRequest
from domain.i18n import t
from domain.org import UnknownUnit
from services.exports import Built, ExportServices, Missing, NotAllowed, Offer

log = logging.getLogger(__name__)

# OneDrive takes an upload session's fragments in multiples of 320 KiB; one PUT up to this.
CHUNK_BYTES = 12 * 320 * 1024
KEEP_SECONDS = 15 * 60
KEEP_AT_MOST = 16


class UploadFailed(Exception):
    """The upload URL did not take the file (status, or None for no answer)."""

    def __init__(self, status: int | None) -> None:
        super().__init__(f"upload failed ({status or 'no answer'})")
        self.status = status


class _UploadInfo(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    name: str = Field(min_length=1, max_length=400)
    upload_url: str = Field(alias="uploadUrl", min_length=1, max_length=8192)
    content_url: str = Field(default="", alias="contentUrl", max_length=8192)
    unique_id: str = Field(default="", alias="uniqueId", max_length=400)
    file_type: str = Field(default="xlsx", alias="fileType", max_length=40)


class _Context(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    export: ExportRequest
    token: str = Field(default="", max_length=64)


class _Consent(BaseModel):
    """A `fileConsent/invoke`'s value, checked at the edge."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    action: Literal["accept", "decline"]
    context: _Context
    upload_info: _UploadInfo | None = Field(default=None, alias="uploadInfo")


class FileSource(Protocol):
    """Where a file sent with a consent card comes from: the workbooks
    (`services.exports.ExportServices`) or a record's proof file (`services.proofs`)."""

    async def check(self, speaker: Speaker, request: ExportRequest) -> Offer: ...

    async def build(self, speaker: Speaker, request: ExportRequest) -> Built: ...

    async def sent(self, speaker: Speaker, built: Built) -> None: ...


def _text_key(request: ExportRequest | None, key: str) -> str:
    """A proof file's own wording where the workbooks' speaks of "eksport" or Excel."""
    if request is not None and request.kind is ExportKind.PROOF:
        return f"proofs.{key}"
    return f"exports.{key}"


@dataclass(frozen=True)
class _Kept:
    person_id: int | None
    built: Built
    until: float


class FileExports:
    """Offers workbooks with a consent card and uploads them when accepted."""

    def __init__(
        self,
        services: ExportServices,
        hosts: FileHosts,
        *,
        proofs: FileSource | None = None,
        attempts: int = 3,
        timeout: float = 30.0,
        pause: float = 0.5,
    ) -> None:
        self.services = services
        self.proofs = proofs
        self.hosts = hosts
        self.attempts = attempts
        self.timeout = timeout
        self.pause = pause
        self._kept: OrderedDict[str, _Kept] = OrderedDict()

    def close(self) -> None:
        """Stop the export worker process (at shutdown)."""
        self.services.close()

    def _source(self, request: ExportRequest) -> FileSource:
        if request.kind is ExportKind.PROOF:
            if self.proofs is None:
                raise Missing(request.kind.value)
            return self.proofs
        return self.services

    # -- the offer ---------------------------------------------------------------------------

    async def offer(
        self, turn_context: TurnContext, speaker: Speaker, request: ExportRequest
    ) -> None:
        """Build the file the person may have and send the consent card for it."""
        lang = speaker.lang
        try:
            async with aside():
                built = await self._source(request).build(speaker, request)
        except NotAllowed:
            key = _text_key(request, "not_allowed")
            await turn_context.send_activity(text_activity(t(lang, key)))
            return
        except UnknownUnit:
            await turn_context.send_activity(text_activity(t(lang, "exports.unknown_unit")))
            return
        except Missing:
            await turn_context.send_activity(text_activity(t(lang, "proofs.gone")))
            return
        token = secrets.token_urlsafe(18)
        self._keep(token, _Kept(speaker.person_id, built, time.monotonic() + KEEP_SECONDS))
        card = consent_attachment(
            lang, built.offer.name, len(built.content), built.offer.request, token
        )
        await turn_context.send_activity(
            OutgoingActivity(
                type=ActivityTypes.message,
                attachments=[
                    Attachment(
                        content_type=card["contentType"], name=card["name"], content=card["content"]
                    )
                ],
            )
        )

    # -- the answer --------------------------------------------------------------------------

    async def on_consent(
        self, turn_context: TurnContext, speaker: Speaker, value: Any
    ) -> InvokeResponse:
        """Accept: check again, upload, show the file; decline: say nothing was sent."""
        lang = speaker.lang
        try:
            consent = _Consent.model_validate(value)
        except ValidationError as error:
            fields = sorted({".".join(map(str, item["loc"])) for item in error.errors()})
            log.info("file consent answer did not validate (%s)", ", ".join(fields))
            await turn_context.send_activity(text_activity(t(lang, "exports.stale")))
            return _done()
        kept = self._take(consent.context.token)
        request = consent.context.export
        if consent.action == "decline":
            key = _text_key(request, "declined")
            await turn_context.send_activity(text_activity(t(lang, key)))
            return _done()
        info = consent.upload_info
        if info is None:
            await turn_context.send_activity(text_activity(t(lang, "exports.stale")))
            return _done()
        if not self.hosts.allows(info.upload_url):
            log.warning("refused to upload a file to a host that is not a Teams file host")
            await turn_context.send_activity(text_activity(t(lang, "exports.refused_host")))
            return _done()
        try:
            source = self._source(request)
            async with aside():
                offer = await source.check(speaker, request)
                if kept is None or kept.person_id != speaker.person_id or kept.built.offer != offer:
                    built = await source.build(speaker, request)
                else:
                    built = kept.built
                await self.upload(info.upload_url, built.content)
        except NotAllowed:
            key = _text_key(request, "not_allowed")
            await turn_context.send_activity(text_activity(t(lang, key)))
            return _done()
        except UnknownUnit:
            await turn_context.send_activity(text_activity(t(lang, "exports.unknown_unit")))
            return _done()
        except Missing:
            await turn_context.send_activity(text_activity(t(lang, "proofs.gone")))
            return _done()
        except UploadFailed as failure:
            log.warning("upload of an export failed (%s)", failure.status or "no answer")
            why = f"{failure.status}" if failure.status else t(lang, "exports.failed.busy")
            key = _text_key(request, "failed")
            await turn_context.send_activity(text_activity(t(lang, key, why=why)))
            return _done()
        card = file_info_attachment(info.name, info.content_url, info.unique_id, info.file_type)
        await turn_context.send_activity(
            OutgoingActivity(
                type=ActivityTypes.message,
                text=t(lang, "exports.sent", name=info.name),
                attachments=[
                    Attachment(
                        content_type=card["contentType"],
                        content_url=card["contentUrl"],
                        name=card["name"],
                        content=card["content"],
                    )
                ],
            )
        )
        await source.sent(speaker, built)
        return _done()

    # -- the upload --------------------------------------------------------------------------

    async def upload(self, url: str, content: bytes) -> None:
        """PUT `content` to the upload URL, one `Content-Range` at a time (one request up to
        `CHUNK_BYTES`); each part is tried `attempts` times on 5xx, 429 and no answer.
        Raises `UploadFailed`."""
        total = len(content)
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            start = 0
            while True:
                end = min(start + CHUNK_BYTES, total)
                await self._put(http, url, content[start:end], start, total)
                start = end
                if start >= total:
                    return

    async def _put(
        self, http: aiohttp.ClientSession, url: str, part: bytes, start: int, total: int
    ) -> None:
        headers = {
            "Content-Range": f"bytes {start}-{start + len(part) - 1}/{total}",
            "Content-Length": str(len(part)),
        }
        status: int | None = None
        for attempt in range(self.attempts):
            if attempt:
                await asyncio.sleep(self.pause * 2 ** (attempt - 1))
            try:
                async with http.put(url, data=part, headers=headers) as response:
                    status = response.status
                    await response.read()
            except (TimeoutError, aiohttp.ClientError):
                status = None
                continue
            if status < 300:
                return
            if status != HTTPStatus.TOO_MANY_REQUESTS and status < 500:
                raise UploadFailed(status)
        raise UploadFailed(status)

    # -- workbooks kept for the accept ---------------------------------------------------------

    def _keep(self, token: str, kept: _Kept) -> None:
        now = time.monotonic()
        for old in [key for key, item in self._kept.items() if item.until < now]:
            del self._kept[old]
        self._kept[token] = kept
        while len(self._kept) > KEEP_AT_MOST:
            self._kept.popitem(last=False)

    def _take(self, token: str) -> _Kept | None:
        kept = self._kept.pop(token, None) if token else None
        if kept is None or kept.until < time.monotonic():
            return None
        return kept


def _done() -> InvokeResponse:
    """The invoke's answer: Teams only needs to hear that the bot took it."""
    return InvokeResponse(status=int(HTTPStatus.OK))
