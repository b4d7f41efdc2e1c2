"""Proof files sent into the chat: a file with the text «bevis T-12» / «proof D-7» becomes
the proof of that training or documentation record (`services.proofs`); the text alone says
how. Getting a proof back is the export module's **Hent beviset** (a file consent card)."""

from __future__ import annotations

from typing import Protocol

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogContext

from dialogs.context import speaker_of
from dialogs.files import FileFetcher, fetch_problem_text
from dialogs.outgoing import text_activity
from domain.actor import Speaker
from domain.commands import Flow
from domain.files import FetchProblem, IncomingFile, megabytes
from domain.i18n import t
from domain.photos import JPEG, MAX_PIXELS, PNG
from domain.proofs import EXTENSIONS, ProofRef, proof_words
from services.proofs import Attached, AttachRefusal

_FETCH_REFUSALS = {
    FetchProblem.TOO_LARGE: AttachRefusal.TOO_LARGE,
    FetchProblem.HOST: AttachRefusal.FAILED,
    FetchProblem.FAILED: AttachRefusal.FAILED,
}


class ProofAttaching(Protocol):
    """What attaching a proof needs from the rest of the bot."""

    async def may_attach(self, speaker: Speaker, ref: ProofRef) -> Attached: ...

    async def refuse(self, speaker: Speaker, ref: ProofRef, reason: AttachRefusal) -> None: ...

    async def attach(
        self, speaker: Speaker, ref: ProofRef, data: bytes, name: str, file_type: str
    ) -> Attached: ...


class ProofModule:
    """No dialog and no menu entry: the words «bevis T-12» with a file, or alone."""

    flow: Flow | None = None
    dialog_id: str | None = None
    name_key = "proofs.fetch"

    def __init__(self, services: ProofAttaching, fetcher: FileFetcher | None = None) -> None:
        self.services = services
        self.fetcher = fetcher

    def dialogs(self) -> list[Dialog]:
        return []

    def _limit(self) -> str:
        return megabytes(self.fetcher.max_bytes) if self.fetcher is not None else ""

    async def on_text(self, turn_context: TurnContext, text: str) -> bool:
        """«bevis T-12» without a file: how to send one."""
        ref = proof_words(text)
        if ref is None:
            return False
        speaker = speaker_of(turn_context)
        said = t(speaker.lang, "proofs.how", ref=str(ref), limit=self._limit())
        await turn_context.send_activity(text_activity(said))
        return True

    async def on_files(
        self, dialog_context: DialogContext, files: list[IncomingFile], text: str
    ) -> bool:
        """A file with «bevis T-12»: checked (who may attach, before it is fetched), fetched
        within the size limit, and stored as the record's proof; each refusal is said."""
        ref = proof_words(text)
        if ref is None or self.fetcher is None:
            return False
        turn_context = dialog_context.context
        speaker = speaker_of(turn_context)
        said = await self._attach(turn_context, speaker, ref, files)
        await turn_context.send_activity(text_activity(said))
        return True

    async def _attach(
        self, turn_context: TurnContext, speaker: Speaker, ref: ProofRef, files: list[IncomingFile]
    ) -> str:
        lang, shown = speaker.lang, str(ref)
        assert self.fetcher is not None
        if len(files) > 1:
            return t(lang, "proofs.one_file", ref=shown)
        allowed = await self.services.may_attach(speaker, ref)
        if allowed.refused is not None:
            return _refusal_text(speaker, allowed, "")
        (file,) = files
        name = file.name or t(lang, "files_in.unnamed")
        fetched = await self.fetcher.fetch(file, turn_context.activity.service_url)
        if fetched.data is None:
            problem = fetched.problem or FetchProblem.FAILED
            await self.services.refuse(speaker, ref, _FETCH_REFUSALS[problem])
            return fetch_problem_text(speaker, problem, name, self.fetcher.max_bytes)
        added = await self.services.attach(
            speaker, ref, fetched.data, file.name or f"bevis-{shown}", file.file_type
        )
        if added.refused is not None:
            return _refusal_text(speaker, added, name)
        key = "proofs.replaced" if added.replaced else "proofs.added"
        lines = [t(lang, key, ref=shown, name=added.name)]
        if EXTENSIONS.get(added.name.rsplit(".", 1)[-1]) in (JPEG, PNG):
            lines.append(t(lang, "proofs.picture"))
        return " ".join(lines)


def _refusal_text(speaker: Speaker, attached: Attached, name: str) -> str:
    lang, ref = speaker.lang, str(attached.ref)
    refused = attached.refused
    if refused is AttachRefusal.UNKNOWN:
        return t(lang, "proofs.unknown", ref=ref)
    if refused is AttachRefusal.NOT_ALLOWED:
        return t(lang, "proofs.not_yours", ref=ref)
    if refused is AttachRefusal.TOO_MANY_PIXELS:
        return t(lang, "proofs.too_many_pixels", name=name, most=MAX_PIXELS // 1_000_000)
    return t(lang, "proofs.type", name=name)
