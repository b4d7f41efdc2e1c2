"""Proof files of training and documentation records: attaching one sent into the chat with
«bevis T-12», and sending one back through the file consent card (`bot.files_out`).

Who may attach: those who may record (a training record: the unit's leaders and AMKs; a
documentation record: them, the secretariat and administrators). Who may have the file: a
training record's person and the unit's leaders and AMKs; a documentation record's, anyone
who may see the unit's overview. Every attach, fetch and refusal is audited, never the
file's content."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.actor import Speaker
from domain.exports import ExportRequest
from domain.proofs import CleanProof, ProofProblem, ProofRef, RecordKind, prepare_proof
from services.exports import Built, Missing, NotAllowed, Offer
from storage import audit, proofs, wellbeing
from storage.audit import audited
from storage.db import Database, HotConnection
from storage.documentation import ENTITY as DUTY_ENTITY
from storage.models import utcnow
from storage.proofs import FoundProof, ProofTarget
from storage.training import ENTITY as TRAINING_ENTITY

ATTACH: str = "proof.attach"
FETCH: str = "proof.fetch"


class AttachRefusal(StrEnum):
    UNKNOWN = "unknown"  # no such record (or past retention)
    NOT_ALLOWED = "not_allowed"  # not one who may record it
    TYPE = "type"  # not a PDF, JPEG, PNG, .docx or .xlsx (ProofProblem.TYPE)
    TOO_MANY_PIXELS = "too_many_pixels"  # a picture too large to decode
    TOO_LARGE = "too_large"  # over FILE_MAX_BYTES (stopped while fetching)
    FAILED = "failed"  # could not be fetched


@dataclass(frozen=True)
class Attached:
    """The proof was stored (its name; `replaced`: an earlier file went), or why not."""

    ref: ProofRef
    name: str = ""
    replaced: bool = False
    refused: AttachRefusal | None = None


def _entity(ref: ProofRef) -> str:
    return TRAINING_ENTITY if ref.kind is RecordKind.TRAINING else DUTY_ENTITY


class ProofServices:
    """Attaching proof files, and the file source `bot.files_out.FileExports` sends them
    from (`check`, `build`, `sent`, as `services.exports.ExportServices`)."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    # -- attaching ----------------------------------------------------------------------------

    async def may_attach(self, speaker: Speaker, ref: ProofRef) -> Attached:
        """Whether the speaker may attach a proof to `ref` (checked before the file is
        fetched); a refusal is audited."""
        async with self.db.reading() as connection:
            refusal = await self._attach_refusal(connection, speaker, ref)
        if refusal is not None:
            await self.refuse(speaker, ref, refusal)
        return Attached(ref, refused=refusal)

    async def refuse(self, speaker: Speaker, ref: ProofRef, reason: AttachRefusal) -> None:
        """Audit a refused attempt to attach (nothing was written)."""
        await audit.record_refusal(
            self.db,
            actor=speaker.actor,
            action=ATTACH,
            entity_type=_entity(ref),
            entity_id=ref.record_id,
            reason=reason.value,
        )

    async def attach(
        self, speaker: Speaker, ref: ProofRef, data: bytes, name: str, file_type: str
    ) -> Attached:
        """Store the file as the record's proof (replacing an earlier one), in one transaction
        with its audit event; or why not (audited)."""
        prepared = await asyncio.to_thread(prepare_proof, data, name, file_type)
        async with audited(self.db) as connection:
            refusal = await self._attach_refusal(connection, speaker, ref)
            if refusal is None and not isinstance(prepared, CleanProof):
                refusal = (
                    AttachRefusal.TOO_MANY_PIXELS
                    if prepared is ProofProblem.TOO_MANY_PIXELS
                    else AttachRefusal.TYPE
                )
            if refusal is not None or not isinstance(prepared, CleanProof):
                await audit.record(
                    connection,
                    actor=speaker.actor,
                    action=f"{ATTACH}.refused",
                    entity_type=_entity(ref),
                    entity_id=ref.record_id,
                    after={"reason": (refusal or AttachRefusal.TYPE).value},
                )
                return Attached(ref, refused=refusal or AttachRefusal.TYPE)
            file_id, replaced = await proofs.put(connection, ref, prepared, now=self.clock())
            await audit.record(
                connection,
                actor=speaker.actor,
                action=ATTACH,
                entity_type=_entity(ref),
                entity_id=ref.record_id,
                after={
                    "file_id": file_id,
                    "content_type": prepared.content_type,
                    "size": len(prepared.data),
                    "sha256": prepared.sha256,
                    "replaced": replaced,
                },
            )
        return Attached(ref, name=prepared.name, replaced=replaced)

    async def _attach_refusal(
        self, connection: HotConnection, speaker: Speaker, ref: ProofRef
    ) -> AttachRefusal | None:
        found = await proofs.target(connection, ref)
        if found is None:
            return AttachRefusal.UNKNOWN
        access = await wellbeing.access_of(connection, speaker.person_id, is_admin=speaker.is_admin)
        if ref.kind is RecordKind.TRAINING:
            allowed = access.person_id is not None and access.leads_or_coordinates(found.unit_id)
        else:
            allowed = access.may_record(found.unit_id)
        return None if allowed else AttachRefusal.NOT_ALLOWED

    # -- sending (the file source of bot.files_out) ------------------------------------------

    async def check(self, speaker: Speaker, request: ExportRequest) -> Offer:
        """The file as it will be sent, if the speaker may read its record now; raises
        `NotAllowed` (audited) or `Missing`."""
        found = await self._readable(speaker, request, data=False)
        return Offer(request=request, name=found.file.name, unit_name=None)

    async def build(self, speaker: Speaker, request: ExportRequest) -> Built:
        """Check again and read the file's bytes."""
        found = await self._readable(speaker, request, data=True)
        offer = Offer(request=request, name=found.file.name, unit_name=None)
        return Built(offer=offer, content=found.file.data, rows=1)

    async def sent(self, speaker: Speaker, built: Built) -> None:
        """The audit event of a proof that reached the reader's chat (never its content)."""
        file_id = built.offer.request.proof_id or 0
        async with self.db.reading() as reading:
            found = await proofs.read(reading, file_id, data=False)
        async with audited(self.db) as connection:
            await audit.record(
                connection,
                actor=speaker.actor,
                action=FETCH,
                entity_type=_entity(found.target.ref) if found else "proof_file",
                entity_id=found.target.ref.record_id if found else file_id,
                after={"file_id": file_id, "bytes": len(built.content)},
            )

    async def _readable(
        self, speaker: Speaker, request: ExportRequest, *, data: bool
    ) -> FoundProof:
        if request.proof_id is None:
            raise Missing("proof")
        async with self.db.reading() as connection:
            found = await proofs.read(connection, request.proof_id, data=data)
            if found is None:
                raise Missing("proof")
            allowed = await self._may_read(connection, speaker, found.target)
        if not allowed:
            await audit.record_refusal(
                self.db,
                actor=speaker.actor,
                action=FETCH,
                entity_type=found.target.entity,
                entity_id=found.target.ref.record_id,
            )
            raise NotAllowed(FETCH)
        return found

    @staticmethod
    async def _may_read(connection: HotConnection, speaker: Speaker, found: ProofTarget) -> bool:
        if speaker.person_id is None:
            return False
        if found.person_id is None:  # a documentation record: the overview is for everyone
            return True
        if found.person_id == speaker.person_id:
            return True
        access = await wellbeing.access_of(connection, speaker.person_id, is_admin=speaker.is_admin)
        return access.leads_or_coordinates(found.unit_id)
